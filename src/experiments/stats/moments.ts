// Per-arm means and per-unit variances from sufficient statistics (GrowthBook's conventions).
// Sums are read as floats: SQL aggregates are not always integers.

export type MetricType = 'mean' | 'binomial' | 'ratio';

export type SufficientStats = {
  n: number;
  sum: number;
  sumSquares?: number | undefined;
  denominatorSum?: number | undefined;
  denominatorSumSquares?: number | undefined;
  sumProduct?: number | undefined;
  covariateSum?: number | undefined;
  covariateSumSquares?: number | undefined;
  covariateSumProduct?: number | undefined;
};

/** What every comparison needs from an arm: units, the arm's value and its per-unit variance. */
export type ArmMoments = { n: number; mean: number; variance: number };

/** Sample variance with n − 1; 0 for a single unit. */
export function sampleVariance(n: number, sum: number, sumSquares: number): number {
  if (n <= 1) return 0;
  return (sumSquares - (sum * sum) / n) / (n - 1);
}

/** Sample covariance of two per-unit quantities with n − 1; 0 for a single unit. */
export function sampleCovariance(n: number, sumX: number, sumY: number, sumXY: number): number {
  if (n <= 1) return 0;
  return (sumXY - (sumX * sumY) / n) / (n - 1);
}

/** Mean and per-unit variance of a mean or binomial metric (binomial: p(1 − p), no n − 1). */
export function valueMoments(type: 'mean' | 'binomial', s: SufficientStats): ArmMoments {
  const mean = s.n > 0 ? s.sum / s.n : 0;
  if (type === 'binomial') return { n: s.n, mean, variance: mean * (1 - mean) };
  return { n: s.n, mean, variance: sampleVariance(s.n, s.sum, s.sumSquares ?? 0) };
}

/**
 * A ratio metric (numerator and denominator summed per unit; the unit of analysis is not the unit
 * of randomisation): R = ΣM/ΣD, per-unit variance by the delta method.
 */
export function ratioMoments(s: SufficientStats): ArmMoments {
  const sumD = s.denominatorSum ?? 0;
  const mean = sumD === 0 ? 0 : s.sum / sumD;
  if (s.n <= 1) return { n: s.n, mean, variance: 0 };
  const muM = s.sum / s.n;
  const muD = sumD / s.n;
  if (muD === 0) return { n: s.n, mean, variance: 0 };
  const varM = sampleVariance(s.n, s.sum, s.sumSquares ?? 0);
  const varD = sampleVariance(s.n, sumD, s.denominatorSumSquares ?? 0);
  const cov = sampleCovariance(s.n, s.sum, sumD, s.sumProduct ?? 0);
  const variance = varM / muD ** 2 + (varD * muM ** 2) / muD ** 4 - (2 * cov * muM) / muD ** 3;
  return { n: s.n, mean, variance };
}

export function armMoments(type: MetricType, s: SufficientStats): ArmMoments {
  return type === 'ratio' ? ratioMoments(s) : valueMoments(type, s);
}
