// Fixed-horizon and sequential power for a relative lift (section 11 of the reference), solved exactly
// by bisection for the sample size that reaches a target power, or the minimum detectable effect at a
// given sample size.
import { normalCdf, normalQuantile } from './distributions.js';
import { sequentialRho } from './frequentist.js';

export type PowerSettings = {
  metric: 'binomial' | 'mean';
  /** Control conversion rate (binomial) or mean (mean metric). */
  baselineMean: number;
  /** Per-unit standard deviation of a mean metric (assumed equal in both arms); ignored for binomial. */
  baselineStddev?: number | undefined;
  /** Share of traffic in the control and in the treatment. */
  controlShare: number;
  treatmentShare: number;
  alpha: number;
  /** Number of comparisons the α is shared over (Bonferroni), 1 when uncorrected. */
  comparisons: number;
  sequentialTuning: number | null;
  /** The scale the analysis will test on; relative (the default analysis) costs power when the lift is positive. */
  difference?: 'relative' | 'absolute' | undefined;
};

/** Variance of the relative-lift estimate with N units in all and a true relative lift δ. */
export function relativeLiftVariance(s: PowerSettings, totalUnits: number, lift: number): number {
  const mu = s.baselineMean;
  const muB = mu * (1 + lift);
  const varA = s.metric === 'binomial' ? mu * (1 - mu) : (s.baselineStddev ?? 0) ** 2;
  const varB = s.metric === 'binomial' ? muB * (1 - muB) : (s.baselineStddev ?? 0) ** 2;
  const nA = totalUnits * s.controlShare;
  const nB = totalUnits * s.treatmentShare;
  // Both in units of the relative lift; the relative (delta-method) estimate carries the control's
  // noise scaled by (μ_b/μ_a)², the absolute one does not.
  if (s.difference === 'absolute') return (varA / nA + varB / nB) / mu ** 2;
  return varB / (nB * mu ** 2) + (varA * muB ** 2) / (nA * mu ** 4);
}

/** Probability that a two-sided test rejects with N units in all when the true relative lift is δ. */
export function powerAt(s: PowerSettings, totalUnits: number, lift: number): number {
  const v = relativeLiftVariance(s, totalUnits, lift);
  const a = s.alpha / s.comparisons;
  let h: number;
  if (s.sequentialTuning === null) {
    h = normalQuantile(1 - a / 2) * Math.sqrt(v);
  } else {
    const rho = sequentialRho(s.alpha, s.sequentialTuning);
    const N = totalUnits;
    const A = N * rho ** 2 + 1;
    h = Math.sqrt(N * v) * Math.sqrt(((2 * A) / (N ** 2 * rho ** 2)) * Math.log(Math.sqrt(A) / a));
  }
  const sd = Math.sqrt(v);
  return 1 - normalCdf((h - lift) / sd) + normalCdf(-(h + lift) / sd);
}

function bisect(f: (x: number) => number, lo: number, hi: number, tolerance: number): number {
  for (let i = 0; i < 200 && hi - lo > tolerance * Math.max(1, Math.abs(lo)); i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) < 0) lo = mid;
    else hi = mid;
  }
  return hi;
}

const MAX_UNITS = 1e12;

/** Units in all (both arms) for `power` at relative lift δ; null if even 10¹² units would not do. */
export function sampleSizeFor(s: PowerSettings, lift: number, power: number): number | null {
  if (powerAt(s, MAX_UNITS, lift) < power) return null;
  const n = bisect(
    (logN) => powerAt(s, Math.exp(logN), lift) - power,
    Math.log(4),
    Math.log(MAX_UNITS),
    1e-10,
  );
  return Math.ceil(Math.exp(n));
}

/** Smallest relative lift detected with `power` at N units in all; null if none below the largest possible lift. */
export function minimumDetectableEffect(s: PowerSettings, totalUnits: number, power: number): number | null {
  // A conversion rate cannot exceed 1, which caps the lift a binomial metric can show.
  const maxLift = s.metric === 'binomial' ? (1 - 1e-9) / s.baselineMean - 1 : 1e6;
  if (powerAt(s, totalUnits, maxLift) < power) return null;
  return bisect((lift) => powerAt(s, totalUnits, lift) - power, 0, maxLift, 1e-12);
}
