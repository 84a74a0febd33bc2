// Histogram bins for PSI and Jensen–Shannon on numeric columns. Default: Evidently's binning, equal-width
// Sturges bins over the pooled samples (as numpy.histogram_bin_edges(..., "sturges")); optional:
// reference-quantile bins, which put the same share of the reference into each bin.

export type Binning = 'sturges' | 'quantile';

/** numpy's Sturges edges: ⌈log₂ n⌉ + 1 equal bins between the pooled minimum and maximum. */
export function sturgesEdges(pooled: Float64Array): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of pooled) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const bins = Math.ceil(Math.log2(pooled.length) + 1);
  const step = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + i * step);
  edges[bins] = hi;
  return edges;
}

/** Edges at the reference's quantiles (type 7, as numpy's default), open-ended at both sides. */
export function quantileEdges(sortedReference: Float64Array, bins: number): number[] {
  const n = sortedReference.length;
  const inner: number[] = [];
  for (let k = 1; k < bins; k++) {
    const pos = (k / bins) * (n - 1);
    const i = Math.floor(pos);
    const v =
      sortedReference[i]! +
      (pos - i) * ((sortedReference[Math.min(i + 1, n - 1)] ?? 0) - sortedReference[i]!);
    if (inner.length === 0 || v > inner[inner.length - 1]!) inner.push(v);
  }
  return [-Infinity, ...inner, Infinity];
}

/**
 * Counts per bin as numpy.histogram does: bins are [a, b) except the last, which is closed; values
 * outside the edges are not counted.
 */
export function histogram(values: Float64Array, edges: readonly number[]): number[] {
  const bins = edges.length - 1;
  const counts = new Array<number>(bins).fill(0);
  const first = edges[0]!;
  const last = edges[bins]!;
  for (const v of values) {
    if (v < first || v > last) continue;
    let lo = 0;
    let hi = bins;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (v >= edges[mid]!) lo = mid;
      else hi = mid;
    }
    counts[lo]!++;
  }
  return counts;
}
