// Multiple-testing correction over a family of p-values (section 9): Holm–Bonferroni controls the
// family-wise error rate, Benjamini–Hochberg the false discovery rate.
import { normalQuantile } from './distributions.js';

export type Correction = 'none' | 'holm' | 'bh';

export function holm(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}

export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const adjusted = new Array<number>(m);
  let running = 1;
  for (let rank = m - 1; rank >= 0; rank--) {
    const { p, i } = order[rank]!;
    running = Math.min(running, Math.min(1, (m * p) / (rank + 1)));
    adjusted[i] = running;
  }
  return adjusted;
}

export function adjustPValues(pValues: readonly number[], correction: Correction): number[] {
  if (correction === 'holm') return holm(pValues);
  if (correction === 'bh') return benjaminiHochberg(pValues);
  return [...pValues];
}

/**
 * The interval implied by an adjusted two-sided p-value (GrowthBook's ad hoc rule): it is shown only if
 * it contains the unadjusted one; unbounded when the adjusted p is essentially 1.
 */
export function adjustedInterval(
  estimate: number,
  adjustedP: number,
  alpha: number,
  unadjusted: { ciLower: number | null; ciUpper: number | null },
): { ciLower: number | null; ciUpper: number | null } | null {
  if (adjustedP > 0.999999) return { ciLower: null, ciUpper: null };
  const sd = Math.abs(estimate / normalQuantile(1 - adjustedP / 2));
  const z = normalQuantile(1 - alpha / 2);
  const lower = estimate - z * sd;
  const upper = estimate + z * sd;
  const contains =
    (unadjusted.ciLower === null || lower <= unadjusted.ciLower) &&
    (unadjusted.ciUpper === null || upper >= unadjusted.ciUpper);
  return contains ? { ciLower: lower, ciUpper: upper } : null;
}
