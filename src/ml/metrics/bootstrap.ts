// Percentile bootstrap intervals for any metric of (labels, scores), resampling rows with a seeded
// generator so a report's intervals are reproducible.
import type { Labels, Scores } from './ranking.js';

export type Interval = { estimate: number; lower: number; upper: number };

/** mulberry32: small, fast, good enough for resampling indices. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function bootstrapInterval(
  metric: (y: Labels, s: Scores) => number,
  y: Labels,
  scores: Scores,
  options: { resamples?: number; level?: number; seed?: number } = {},
): Interval {
  const { resamples = 200, level = 0.95, seed = 20261203 } = options;
  const rand = seededRandom(seed);
  const n = y.length;
  const by = new Float64Array(n);
  const bs = new Float64Array(n);
  const values: number[] = [];
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) {
      const j = Math.floor(rand() * n);
      by[i] = y[j]!;
      bs[i] = scores[j]!;
    }
    const v = metric(by, bs);
    if (Number.isFinite(v)) values.push(v);
  }
  values.sort((a, b) => a - b);
  const q = (p: number) =>
    values[Math.min(values.length - 1, Math.max(0, Math.round(p * (values.length - 1))))]!;
  return { estimate: metric(y, scores), lower: q((1 - level) / 2), upper: q(1 - (1 - level) / 2) };
}
