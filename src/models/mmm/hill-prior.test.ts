// The Hill prior against closed forms: integrated over log K it leaves the shape's own LogNormal
// (the Jacobian term is right), a's mean is the stated one, and the derivatives match differences.
import { describe, expect, it } from 'vitest';
import { hillLogPrior } from './hill-prior.js';
import { DEFAULT_PRIORS, type Priors } from './spec.js';

const priors: Priors = { ...DEFAULT_PRIORS, saturationLogit: { mean: 0.5, sd: 1.3 }, hillShapeLogSd: 0.4 };
const logW = 0.3;

/** ∫ f(log K) d log K by the trapezoid rule over a range wide enough for every shape used here. */
function integrate(f: (logK: number) => number): number {
  const lo = -200;
  const hi = 200;
  const n = 400_000;
  const h = (hi - lo) / n;
  let s = 0.5 * (f(lo) + f(hi));
  for (let i = 1; i < n; i++) s += f(lo + i * h);
  return s * h;
}

describe('the Hill prior (Normal on the saturation logit at average spend, LogNormal shape)', () => {
  it.each([-1.2, -0.4, 0, 0.5, 1.1])('integrates over log K to the shape prior at log s = %s', (logS) => {
    const mass = integrate((logK) => Math.exp(hillLogPrior(priors, logW, logK, logS).lp));
    const shapeKernel = Math.exp(-0.5 * (logS / priors.hillShapeLogSd) ** 2);
    expect(mass / shapeKernel).toBeCloseTo(priors.saturationLogit.sd * Math.sqrt(2 * Math.PI), 6);
  });

  it('gives the saturation logit its stated mean and sd whatever the shape', () => {
    for (const logS of [-0.8, 0.6]) {
      const s = Math.exp(logS);
      const w = (logK: number) => Math.exp(hillLogPrior(priors, logW, logK, logS).lp);
      const mass = integrate(w);
      const mean = integrate((logK) => s * (logW - logK) * w(logK)) / mass;
      const second = integrate((logK) => (s * (logW - logK)) ** 2 * w(logK)) / mass;
      expect(mean).toBeCloseTo(priors.saturationLogit.mean, 6);
      expect(Math.sqrt(second - mean * mean)).toBeCloseTo(priors.saturationLogit.sd, 6);
    }
  });

  it('has the derivatives of its log density (central differences)', () => {
    const h = 1e-6;
    for (const [lw, lk, ls] of [
      [0.3, -0.5, 0.2],
      [0, 1.4, -0.7],
      [0.8, 0.1, 0.9],
    ] as const) {
      const t = hillLogPrior(priors, lw, lk, ls);
      const fd = (f: (d: number) => number) => (f(h) - f(-h)) / (2 * h);
      expect(t.dLogK).toBeCloseTo(
        fd((d) => hillLogPrior(priors, lw, lk + d, ls).lp),
        6,
      );
      expect(t.dLogS).toBeCloseTo(
        fd((d) => hillLogPrior(priors, lw, lk, ls + d).lp),
        6,
      );
      expect(t.dLogW).toBeCloseTo(
        fd((d) => hillLogPrior(priors, lw + d, lk, ls).lp),
        6,
      );
    }
  });
});
