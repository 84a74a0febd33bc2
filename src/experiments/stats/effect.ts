// The effect of a treatment arm against the control and its standard error, plain or CUPED-adjusted,
// absolute or relative (delta method, arms independent). Section 2, 6 of the reference.
import {
  sampleCovariance,
  sampleVariance,
  valueMoments,
  type ArmMoments,
  type SufficientStats,
} from './moments.js';

export type Difference = 'relative' | 'absolute';

export type EffectError = 'ZERO_NEGATIVE_VARIANCE' | 'ZERO_NEGATIVE_BASELINE_VARIATION';

export type Effect =
  | { ok: true; estimate: number; se: number; dof: number; controlMean: number; cupedTheta: number | null }
  | { ok: false; error: EffectError; controlMean: number };

/** Welch–Satterthwaite degrees of freedom on the per-unit variances. */
export function welchDof(a: ArmMoments, b: ArmMoments): number {
  const va = a.variance / a.n;
  const vb = b.variance / b.n;
  return (va + vb) ** 2 / (vb ** 2 / (b.n - 1) + va ** 2 / (a.n - 1));
}

export function finish(
  difference: Difference,
  a: ArmMoments,
  b: ArmMoments,
  controlMean: number,
  absolute: number,
  variance: number,
  cupedTheta: number | null,
): Effect {
  if (a.variance <= 0 || b.variance <= 0 || !(variance > 0))
    return { ok: false, error: 'ZERO_NEGATIVE_VARIANCE', controlMean };
  if (difference === 'relative' && controlMean === 0)
    return { ok: false, error: 'ZERO_NEGATIVE_BASELINE_VARIATION', controlMean };
  const estimate = difference === 'relative' ? absolute / Math.abs(controlMean) : absolute;
  return { ok: true, estimate, se: Math.sqrt(variance), dof: welchDof(a, b), controlMean, cupedTheta };
}

/** Plain comparison of two arms' values. */
export function plainEffect(a: ArmMoments, b: ArmMoments, difference: Difference): Effect {
  const va = a.variance / a.n;
  const vb = b.variance / b.n;
  const variance =
    difference === 'absolute' || a.mean === 0 ? va + vb : vb / a.mean ** 2 + (va * b.mean ** 2) / a.mean ** 4;
  return finish(difference, a, b, a.mean, b.mean - a.mean, variance, null);
}

type CupedArm = {
  n: number;
  yMean: number;
  yVariance: number;
  xMean: number;
  xVariance: number;
  covariance: number;
};

function cupedArm(type: 'mean' | 'binomial', s: SufficientStats): CupedArm {
  const y = valueMoments(type, s);
  const sx = s.covariateSum ?? 0;
  return {
    n: s.n,
    yMean: y.mean,
    yVariance: y.variance,
    xMean: s.n > 0 ? sx / s.n : 0,
    xVariance: sampleVariance(s.n, sx, s.covariateSumSquares ?? 0),
    covariance: sampleCovariance(s.n, sx, s.sum, s.covariateSumProduct ?? 0),
  };
}

/** θ estimated once on the two arms pooled into one sample; 0 when either pooled variance is 0. */
export function pooledTheta(type: 'mean' | 'binomial', a: SufficientStats, b: SufficientStats): number {
  const pooled: SufficientStats = {
    n: a.n + b.n,
    sum: a.sum + b.sum,
    sumSquares: (a.sumSquares ?? 0) + (b.sumSquares ?? 0),
    covariateSum: (a.covariateSum ?? 0) + (b.covariateSum ?? 0),
    covariateSumSquares: (a.covariateSumSquares ?? 0) + (b.covariateSumSquares ?? 0),
    covariateSumProduct: (a.covariateSumProduct ?? 0) + (b.covariateSumProduct ?? 0),
  };
  const p = cupedArm(type, pooled);
  if (p.xVariance <= 0 || p.yVariance <= 0) return 0;
  return p.covariance / p.xVariance;
}

/**
 * CUPED: each arm's value adjusted by θ·x̄ with a pre-period covariate x. The relative lift divides by
 * the unadjusted control mean, so it differs from (ỹ_b − ỹ_a)/ỹ_a by design.
 */
export function cupedEffect(
  type: 'mean' | 'binomial',
  sa: SufficientStats,
  sb: SufficientStats,
  difference: Difference,
): Effect {
  const theta = pooledTheta(type, sa, sb);
  const a = cupedArm(type, sa);
  const b = cupedArm(type, sb);
  const adjustedVariance = (arm: CupedArm) =>
    arm.yVariance + theta ** 2 * arm.xVariance - 2 * theta * arm.covariance;
  const ma: ArmMoments = { n: a.n, mean: a.yMean - theta * a.xMean, variance: adjustedVariance(a) };
  const mb: ArmMoments = { n: b.n, mean: b.yMean - theta * b.xMean, variance: adjustedVariance(b) };
  const absolute = mb.mean - ma.mean;
  let variance: number;
  if (difference === 'absolute' || a.yMean === 0) {
    variance = ma.variance / a.n + mb.variance / b.n;
  } else {
    const c2 = a.yMean ** 2;
    const controlPart =
      (a.yVariance * b.yMean ** 2) / c2 -
      (2 * theta * a.covariance * b.yMean) / a.yMean +
      theta ** 2 * a.xVariance;
    variance = mb.variance / (b.n * c2) + controlPart / (a.n * c2);
  }
  return finish(difference, ma, mb, a.yMean, absolute, variance, theta);
}
