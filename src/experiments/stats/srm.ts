// Sample-ratio mismatch: chi-square goodness of fit of the units per arm to the configured weights,
// with GrowthBook's app semantics (zero-weight arms dropped; p = 1 when fewer than two arms remain).
import { chiSquareSf } from './distributions.js';

/** GrowthBook's alert threshold: a mismatch this unlikely means the assignment or tracking is broken. */
export const SRM_THRESHOLD = 0.001;

export type SrmResult = {
  pValue: number;
  flagged: boolean;
  chiSquare: number;
  dof: number;
  expected: number[];
  threshold: number;
};

export function sampleRatioMismatch(
  counts: readonly number[],
  weights: readonly number[],
  threshold = SRM_THRESHOLD,
): SrmResult {
  const kept = counts.map((u, i) => ({ u, w: weights[i] ?? 0, i })).filter((a) => a.w > 0 && a.u >= 0);
  const total = kept.reduce((s, a) => s + a.u, 0);
  const totalWeight = kept.reduce((s, a) => s + a.w, 0);
  const expected = counts.map((_, i) => {
    const w = weights[i] ?? 0;
    return w > 0 && totalWeight > 0 ? (w / totalWeight) * total : 0;
  });
  if (kept.length < 2 || total <= 0)
    return { pValue: 1, flagged: false, chiSquare: 0, dof: 0, expected, threshold };
  let x = 0;
  for (const a of kept) x += (a.u - expected[a.i]!) ** 2 / expected[a.i]!;
  const pValue = chiSquareSf(x, kept.length - 1);
  return { pValue, flagged: pValue < threshold, chiSquare: x, dof: kept.length - 1, expected, threshold };
}
