// Bayesian analysis on the normal approximation of the effect (section 5): a flat or proper normal
// prior on the relative lift, posterior chance to win, equal-tailed credible interval and the
// expected loss (risk) of keeping the control or shipping the treatment.
import { normalCdf, normalPdf, normalQuantile } from './distributions.js';

export type Prior = { mean: number; stddev: number };

export type Posterior = {
  estimate: number;
  sd: number;
  ciLower: number;
  ciUpper: number;
  chanceToWin: number;
  risk: { control: number; variation: number };
};

/** Closed form of E[max(X, 0)] and E[max(−X, 0)] for X ~ N(m, sd²); exact limits far in the tails. */
export function expectedLosses(m: number, sd: number): [number, number] {
  const z = m / sd;
  if (Math.abs(z) > 37) return [Math.max(m, 0), Math.max(-m, 0)];
  return [m * normalCdf(z) + sd * normalPdf(z), sd * normalPdf(z) - m * normalCdf(-z)];
}

export function posterior(
  effect: { estimate: number; se: number; controlMean: number },
  opts: { prior: Prior | null; difference: 'relative' | 'absolute'; alpha: number; inverse: boolean },
): Posterior {
  let precision = 1 / effect.se ** 2;
  let m = effect.estimate;
  if (opts.prior) {
    // The prior is stated on the relative lift; rescale it for an absolute analysis.
    const scale = opts.difference === 'absolute' ? Math.abs(effect.controlMean) : 1;
    const mu0 = opts.prior.mean * scale;
    const var0 = (opts.prior.stddev * scale) ** 2;
    precision += 1 / var0;
    m = (effect.estimate / effect.se ** 2 + mu0 / var0) / precision;
  }
  const sd = 1 / Math.sqrt(precision);
  const up = normalCdf(m / sd);
  const [keepControl, shipVariation] = expectedLosses(m, sd);
  return {
    estimate: m,
    sd,
    ciLower: m + sd * normalQuantile(opts.alpha / 2),
    ciUpper: m + sd * normalQuantile(1 - opts.alpha / 2),
    chanceToWin: opts.inverse ? 1 - up : up,
    risk: opts.inverse
      ? { control: shipVariation, variation: keepControl }
      : { control: keepControl, variation: shipVariation },
  };
}
