// The Hill saturation's prior, in the model's coordinates (log K, log s): Normal on the saturation
// logit at an average week's adstocked spend, a = s·(log W − log K), and Normal on log s. The change
// from a to log K given s has |∂a/∂log K| = s, hence the + log s; so the shape's marginal is its own
// LogNormal exactly (hill-prior.test.ts integrates it out).
import type { Priors } from './spec.js';

export type HillPriorTerm = {
  /** Log density (up to a constant). */
  lp: number;
  /** Its derivatives by log K, log s and log W. */
  dLogK: number;
  dLogS: number;
  dLogW: number;
};

export function hillLogPrior(priors: Priors, logW: number, logK: number, logS: number): HillPriorTerm {
  const { mean, sd } = priors.saturationLogit;
  const s = Math.exp(logS);
  const a = s * (logW - logK);
  const e = (a - mean) / sd;
  const dA = -e / sd; // d lp / d a
  return {
    lp: -0.5 * e * e + logS - 0.5 * (logS / priors.hillShapeLogSd) ** 2,
    dLogK: -dA * s,
    dLogS: dA * a + 1 - logS / priors.hillShapeLogSd ** 2,
    dLogW: dA * s,
  };
}
