// Frequentist intervals and p-values: Welch's t for a fixed horizon (section 3), and the asymptotic
// confidence sequences of Waudby-Smith et al. (arXiv 2103.06476v7, eq. 9, 134, 155) for peeking.
import { tCdf, tQuantile, tSf } from './distributions.js';

export type TestDirection = 'two-sided' | 'greater' | 'less';

export type Interval = { ciLower: number | null; ciUpper: number | null; pValue: number };

type EffectEstimate = { estimate: number; se: number; dof: number };

export function fixedHorizon(e: EffectEstimate, alpha: number, test: TestDirection): Interval {
  const t = e.estimate / e.se;
  if (test === 'two-sided') {
    const q = tQuantile(1 - alpha / 2, e.dof);
    return {
      ciLower: e.estimate - q * e.se,
      ciUpper: e.estimate + q * e.se,
      pValue: Math.min(1, 2 * tSf(Math.abs(t), e.dof)),
    };
  }
  const q = tQuantile(1 - alpha, e.dof);
  if (test === 'greater') return { ciLower: e.estimate - q * e.se, ciUpper: null, pValue: tSf(t, e.dof) };
  return { ciLower: null, ciUpper: e.estimate + q * e.se, pValue: tCdf(t, e.dof) };
}

/** ρ of the confidence sequence, tuned so it is tightest when the two arms hold `tuning` units in all. */
export function sequentialRho(alpha: number, tuning: number): number {
  return Math.sqrt((-2 * Math.log(alpha) + Math.log(1 - 2 * Math.log(alpha))) / tuning);
}

const ONE_SIDED_P_FLOOR = 1e-5;
const ONE_SIDED_P_CEILING = 0.4999;

/**
 * Always-valid interval and p-value after N = n_a + n_b units. Only the interval and p change; the
 * estimate and se are the fixed-horizon ones.
 */
export function sequential(
  e: EffectEstimate & { totalUnits: number },
  alpha: number,
  test: TestDirection,
  tuning: number,
): Interval {
  const N = e.totalUnits;
  const s2 = e.se ** 2 * N;
  if (test === 'two-sided') {
    const rho = sequentialRho(alpha, tuning);
    const A = N * rho ** 2 + 1;
    const h = Math.sqrt(s2) * Math.sqrt(((2 * A) / (N ** 2 * rho ** 2)) * Math.log(Math.sqrt(A) / alpha));
    // p = 1/E with E the mixture martingale (eq. 155), in logs so large effects do not overflow.
    const logE = (rho ** 2 * N * e.estimate ** 2) / (e.se ** 2 * 2 * A) - 0.5 * Math.log(A);
    return { ciLower: e.estimate - h, ciUpper: e.estimate + h, pValue: Math.min(1, Math.exp(-logE)) };
  }
  const rho = sequentialRho(2 * alpha, tuning);
  const A = N * rho ** 2 + 1;
  const scale = (s2 * 2 * A) / (N ** 2 * rho ** 2);
  const h = Math.sqrt(scale * Math.log(1 + Math.sqrt(A) / (2 * alpha)));
  // p: the α* at which the one-sided bound crosses 0, ρ held at its value for the configured α.
  // Solving h(α*) = |Δ| gives α* = √A / (2(exp(Δ²/scale) − 1)) exactly, so no bisection is needed.
  const towardH1 = test === 'greater' ? e.estimate : -e.estimate;
  let pValue = ONE_SIDED_P_CEILING;
  if (towardH1 > 0) {
    const root = Math.sqrt(A) / (2 * Math.expm1(towardH1 ** 2 / scale));
    pValue = Math.min(ONE_SIDED_P_CEILING, Math.max(ONE_SIDED_P_FLOOR, root));
  }
  return test === 'greater'
    ? { ciLower: e.estimate - h, ciUpper: null, pValue }
    : { ciLower: null, ciUpper: e.estimate + h, pValue };
}
