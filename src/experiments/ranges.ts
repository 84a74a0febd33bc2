// Hash-space ranges per variation. A user's hash in [0, 1) falls in one variation's ranges (or in
// none: the share of traffic outside the experiment). When weights change, ranges move minimally:
// a shrinking arm gives up the tail of its ranges and a growing arm takes freed or unused space, so
// only users in the slices that change hands could see another arm, and the server keeps even those
// on the arm of their first exposure (experiment_assignments).

export type Range = [number, number];

const EPS = 1e-12;
const length = (rs: readonly Range[]) => rs.reduce((s, [a, b]) => s + (b - a), 0);

export function initialRanges(weights: readonly number[]): Range[][] {
  let at = 0;
  return weights.map((w) => {
    const r: Range = [at, Math.min(1, at + w)];
    at = r[1];
    return w > 0 ? [r] : [];
  });
}

/** Space in [0, 1) that no variation owns, as sorted ranges. */
function unallocated(ranges: readonly Range[][]): Range[] {
  const taken = ranges.flat().sort((x, y) => x[0] - y[0]);
  const free: Range[] = [];
  let at = 0;
  for (const [a, b] of taken) {
    if (a - at > EPS) free.push([at, a]);
    at = Math.max(at, b);
  }
  if (1 - at > EPS) free.push([at, 1]);
  return free;
}

export function rebalance(previous: readonly Range[][], weights: readonly number[]): Range[][] {
  const next = previous.map((rs) => rs.map((r) => [...r] as Range));
  while (next.length < weights.length) next.push([]);
  // Shrink first: trim each shrinking arm from the end of its last range.
  weights.forEach((w, i) => {
    let excess = length(next[i]!) - w;
    while (excess > EPS && next[i]!.length) {
      const last = next[i]![next[i]!.length - 1]!;
      const cut = Math.min(excess, last[1] - last[0]);
      last[1] -= cut;
      excess -= cut;
      if (last[1] - last[0] <= EPS) next[i]!.pop();
    }
  });
  // Then grow from the free space, lowest first.
  const pool = unallocated(next);
  weights.forEach((w, i) => {
    let need = w - length(next[i]!);
    while (need > EPS && pool.length) {
      const piece = pool[0]!;
      const take = Math.min(need, piece[1] - piece[0]);
      const own = next[i]!;
      const last = own[own.length - 1];
      if (last && Math.abs(last[1] - piece[0]) <= EPS) last[1] = piece[0] + take;
      else own.push([piece[0], piece[0] + take]);
      own.sort((x, y) => x[0] - y[0]);
      piece[0] += take;
      need -= take;
      if (piece[1] - piece[0] <= EPS) pool.shift();
    }
  });
  return next;
}

/** Index of the variation whose ranges hold `unit`, or -1 when the user is outside the experiment. */
export function variationAt(ranges: readonly Range[][], unit: number): number {
  return ranges.findIndex((rs) => rs.some(([a, b]) => unit >= a && unit < b));
}
