// Two-sample statistics for drift, each with the convention it is reported under. Pure functions on
// arrays or on counts per category.
import { chiSquareSf, normalSf } from '../experiments/stats/distributions.js';

/** Shares below this are raised to it before PSI takes logs (Evidently's floor), so a category seen on one side only stays finite. */
export const SHARE_FLOOR = 1e-4;

export type ChiSquareResult = { statistic: number; pValue: number; dof: number };

/** Pearson's chi-square test of homogeneity on the 2 × k table of counts, no continuity correction. */
export function chiSquareHomogeneity(
  reference: readonly number[],
  current: readonly number[],
): ChiSquareResult {
  const cols = reference.map((r, i) => ({ r, c: current[i] ?? 0 })).filter((x) => x.r + x.c > 0);
  const nr = cols.reduce((s, x) => s + x.r, 0);
  const nc = cols.reduce((s, x) => s + x.c, 0);
  const total = nr + nc;
  if (cols.length < 2 || nr === 0 || nc === 0)
    return { statistic: 0, pValue: 1, dof: Math.max(cols.length - 1, 0) };
  let x2 = 0;
  for (const { r, c } of cols) {
    const er = ((r + c) * nr) / total;
    const ec = ((r + c) * nc) / total;
    x2 += (r - er) ** 2 / er + (c - ec) ** 2 / ec;
  }
  const dof = cols.length - 1;
  return { statistic: x2, pValue: chiSquareSf(x2, dof), dof };
}

/** Two-proportion z-test (pooled variance, two-sided) on the share of the first category. */
export function twoProportionZ(
  referenceHits: number,
  referenceN: number,
  currentHits: number,
  currentN: number,
): { statistic: number; pValue: number } {
  const p = (referenceHits + currentHits) / (referenceN + currentN);
  const se = Math.sqrt(p * (1 - p) * (1 / referenceN + 1 / currentN));
  if (!(se > 0)) return { statistic: 0, pValue: 1 };
  const z = Math.abs(currentHits / currentN - referenceHits / referenceN) / se;
  return { statistic: z, pValue: 2 * normalSf(z) };
}

/** Wasserstein-1 between two empirical distributions: ∫|F_ref − F_cur| dx, in data units. */
export function wasserstein1(sortedA: Float64Array, sortedB: Float64Array): number {
  const all = Float64Array.from([...sortedA, ...sortedB]).sort();
  let i = 0;
  let j = 0;
  let distance = 0;
  for (let k = 0; k < all.length - 1; k++) {
    const x = all[k]!;
    while (i < sortedA.length && sortedA[i]! <= x) i++;
    while (j < sortedB.length && sortedB[j]! <= x) j++;
    distance += Math.abs(i / sortedA.length - j / sortedB.length) * (all[k + 1]! - x);
  }
  return distance;
}

/** Population standard deviation (ddof 0), as Evidently normalises Wasserstein with it. */
export function populationStd(values: Float64Array): number {
  let mean = 0;
  for (const v of values) mean += v / values.length;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  return Math.sqrt(ss / values.length);
}

const shares = (counts: readonly number[]) => {
  const total = counts.reduce((s, c) => s + c, 0);
  return counts.map((c) => (total > 0 ? c / total : 0));
};

/** Jensen–Shannon distance (the square root of the divergence), natural log: 0 … √ln 2. */
export function jensenShannonDistance(
  referenceCounts: readonly number[],
  currentCounts: readonly number[],
): number {
  const p = shares(referenceCounts);
  const q = shares(currentCounts);
  let divergence = 0;
  p.forEach((pi, i) => {
    const qi = q[i] ?? 0;
    const m = (pi + qi) / 2;
    if (pi > 0) divergence += 0.5 * pi * Math.log(pi / m);
    if (qi > 0) divergence += 0.5 * qi * Math.log(qi / m);
  });
  return Math.sqrt(Math.max(divergence, 0));
}

/** Population stability index Σ (r − c)·ln(r / c) over bins, empty shares floored at 1e-4. */
export function populationStabilityIndex(
  referenceCounts: readonly number[],
  currentCounts: readonly number[],
): number {
  const p = shares(referenceCounts).map((x) => (x === 0 ? SHARE_FLOOR : x));
  const q = shares(currentCounts).map((x) => (x === 0 ? SHARE_FLOOR : x));
  return p.reduce((s, pi, i) => s + (pi - q[i]!) * Math.log(pi / q[i]!), 0);
}
