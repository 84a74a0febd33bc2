// Per-arm means and per-unit variances from sufficient statistics (GrowthBook's conventions).
// Sums are read as floats: SQL aggregates are not always integers.

export type MetricType = 'mean' | 'binomial' | 'ratio' | 'quantile';

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
  /** CUPED for ratio metrics: the pre-period denominator's Σd₀ and Σd₀². */
  covariateDenominatorSum?: number | undefined;
  covariateDenominatorSumSquares?: number | undefined;
  /** CUPED for ratio metrics: the cross-products of post (m₁, d₁) and pre (m₀, d₀) per-unit sums. */
  crossProducts?: RatioCrossProducts | undefined;
  /** Quantile metrics: n* (the sample size at which the bounds' ranks were taken) and the bounds. */
  nStar?: number | undefined;
  quantile?: number | undefined;
  quantileLower?: number | undefined;
  quantileUpper?: number | undefined;
  /** Post-stratification: the arm's sums within each pre-experiment stratum. */
  strata?: StratumStats[] | undefined;
};

export type RatioCrossProducts = {
  /** Σ m₁·m₀ */
  numeratorNumeratorPre: number;
  /** Σ d₁·d₀ */
  denominatorDenominatorPre: number;
  /** Σ m₀·d₀ */
  numeratorPreDenominatorPre: number;
  /** Σ m₁·d₀ */
  numeratorDenominatorPre: number;
  /** Σ m₀·d₁ */
  numeratorPreDenominator: number;
};

export type StratumStats = { name: string; n: number; sum: number; sumSquares?: number | undefined };

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

/** z of the quantile bounds' 95% ranks: GrowthBook uses 1.96 whatever α (reference section 1). */
const QUANTILE_BOUND_Z = 1.959963984540054;

/**
 * A quantile metric (Deng, Knoblich & Yu): the arm's value is the sample quantile q̂ at `level`, its
 * per-unit variance recovered from the width of the quantile's 95% bounds. Variance 0 (no
 * comparison) when the arm is too small for the bounds to mean anything.
 */
export function quantileMoments(s: SufficientStats, level: number): ArmMoments {
  const mean = s.quantile ?? 0;
  const nStar = s.nStar ?? s.n;
  const width = ((s.quantileUpper ?? mean) - (s.quantileLower ?? mean)) / (2 * QUANTILE_BOUND_Z);
  const s0 = (nStar / s.n) * (s.n - 1) * width ** 2;
  const z2 = QUANTILE_BOUND_Z ** 2;
  if (s.n <= (z2 * level) / (1 - level) || s.n <= (z2 * (1 - level)) / level || !(s0 > 0))
    return { n: s.n, mean, variance: 0 };
  return { n: s.n, mean, variance: s.n < 100 ? s0 : Math.max(s0, 1e-5) };
}

export function armMoments(type: MetricType, s: SufficientStats, level = 0.5): ArmMoments {
  if (type === 'quantile') return quantileMoments(s, level);
  return type === 'ratio' ? ratioMoments(s) : valueMoments(type, s);
}
