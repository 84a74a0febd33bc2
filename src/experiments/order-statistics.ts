// PostgreSQL's percentile_cont and percentile_disc, as positions in a sorted list, so that the kept
// aggregates can fetch the one or two values they need through an index instead of sorting every unit.
// The arithmetic is PostgreSQL's own (orderedsetaggs.c), in the same double precision.
import { QUANTILE_BOUND_Z } from './metrics-sql.js';

/** percentile_cont(p) over n sorted values: 0-based positions of the two neighbours and the weight of the upper one. */
export function continuousPositions(p: number, n: number): { lower: number; upper: number; weight: number } {
  const at = p * (n - 1);
  const lower = Math.floor(at);
  return { lower, upper: Math.ceil(at), weight: at - lower };
}

/** PostgreSQL's interpolation between the neighbours (float8_lerp). */
export function interpolate(lo: number, hi: number, weight: number, lower: number, upper: number): number {
  return upper > lower ? lo + weight * (hi - lo) : lo;
}

/** percentile_disc(p) over n sorted values: the 0-based position it returns. */
export function discretePosition(p: number, n: number): number {
  return Math.max(1, Math.ceil(n * p)) - 1;
}

/** The levels metrics-sql asks percentile_disc for: the quantile and its 95% bounds' ranks (n·q ± z·√(n·q(1 − q))). */
export function quantileLevels(level: number, n: number): [number, number, number] {
  const half = QUANTILE_BOUND_Z * Math.sqrt((level * (1 - level)) / Math.max(n, 1));
  return [level, Math.max(level - half, 0), Math.min(level + half, 1)];
}
