// Percentile bootstrap over rows, seeded, for every estimator at once. Each resample refits the
// direct method's reward model (cell means are sums, so refitting is one pass over the resample):
// DM's and DR's intervals then carry the model's own uncertainty, not only the rows' noise.
import { PRIOR_ROWS } from './reward-model.js';
import { createRandom } from './rng.js';
import { ESTIMATORS, type EstimatorName, type LoggedRow, type TargetPolicy } from './types.js';

type Design = {
  n: number;
  weight: Float64Array;
  reward: Float64Array;
  cell: Uint32Array;
  group: Uint32Array;
  pos: Uint32Array;
  cellPos: number[];
  /** Per group (a target distribution in one position): its (cell, probability) pairs. */
  groups: { pos: number; entries: [number, number][] }[];
  positions: number;
};

function design(rows: readonly LoggedRow[], target: TargetPolicy, clip?: number): Design {
  const n = rows.length;
  const d: Design = {
    n,
    weight: new Float64Array(n),
    reward: new Float64Array(n),
    cell: new Uint32Array(n),
    group: new Uint32Array(n),
    pos: new Uint32Array(n),
    cellPos: [],
    groups: [],
    positions: 0,
  };
  const posIndex = new Map<number, number>();
  const cellIndex = new Map<string, number>();
  const groupIndex = new Map<ReadonlyMap<string, number>, Map<number, number>>();
  const cellOf = (action: string, p: number) => {
    const k = `${p}\u0000${action}`;
    let c = cellIndex.get(k);
    if (c === undefined) cellIndex.set(k, (c = d.cellPos.push(p) - 1));
    return c;
  };
  rows.forEach((r, i) => {
    let p = posIndex.get(r.position);
    if (p === undefined) posIndex.set(r.position, (p = posIndex.size));
    const dist = target.probabilities(r);
    let w = (dist.get(r.action) ?? 0) / r.propensity;
    if (clip !== undefined) w = Math.min(w, clip);
    let byPos = groupIndex.get(dist);
    if (!byPos) groupIndex.set(dist, (byPos = new Map<number, number>()));
    let g = byPos.get(p);
    if (g === undefined) {
      const pp = p;
      byPos.set(
        p,
        (g = d.groups.push({ pos: p, entries: [...dist].map(([a, q]) => [cellOf(a, pp), q]) }) - 1),
      );
    }
    d.weight[i] = w;
    d.reward[i] = r.reward;
    d.cell[i] = cellOf(r.action, p);
    d.group[i] = g;
    d.pos[i] = p;
  });
  d.positions = posIndex.size;
  return d;
}

/** All four estimates over the rows at `index` (with repeats), refitting the cell model on them. */
function resampleEstimates(d: Design, index: Uint32Array): Record<EstimatorName, number> {
  const cells = d.cellPos.length;
  const cellN = new Float64Array(cells),
    cellR = new Float64Array(cells),
    cellW = new Float64Array(cells);
  const posN = new Float64Array(d.positions),
    posR = new Float64Array(d.positions);
  const groupN = new Float64Array(d.groups.length);
  let w = 0,
    wr = 0,
    r = 0;
  for (const i of index) {
    const c = d.cell[i]!;
    cellN[c]!++;
    cellR[c]! += d.reward[i]!;
    cellW[c]! += d.weight[i]!;
    posN[d.pos[i]!]!++;
    posR[d.pos[i]!]! += d.reward[i]!;
    groupN[d.group[i]!]!++;
    w += d.weight[i]!;
    wr += d.weight[i]! * d.reward[i]!;
    r += d.reward[i]!;
  }
  const n = index.length;
  const q = d.cellPos.map((p, c) => {
    const prior = posN[p]! > 0 ? posR[p]! / posN[p]! : r / n;
    return (cellR[c]! + PRIOR_ROWS * prior) / (cellN[c]! + PRIOR_ROWS);
  });
  let dm = 0;
  d.groups.forEach((g, k) => {
    if (groupN[k]! > 0) for (const [c, p] of g.entries) dm += groupN[k]! * p * q[c]!;
  });
  let correction = wr;
  for (let c = 0; c < cells; c++) correction -= q[c]! * cellW[c]!;
  return { ipw: wr / n, snipw: w > 0 ? wr / w : 0, dm: dm / n, dr: (dm + correction) / n };
}

export function bootstrapIntervals(
  rows: readonly LoggedRow[],
  target: TargetPolicy,
  options: { samples: number; confidence: number; seed: number; clip?: number },
): Record<EstimatorName, [number, number]> {
  const d = design(rows, target, options.clip);
  const random = createRandom(options.seed);
  const draws = Object.fromEntries(ESTIMATORS.map((e) => [e, new Float64Array(options.samples)])) as Record<
    EstimatorName,
    Float64Array
  >;
  const index = new Uint32Array(d.n);
  for (let b = 0; b < options.samples; b++) {
    for (let k = 0; k < d.n; k++) index[k] = Math.floor(random() * d.n);
    const e = resampleEstimates(d, index);
    for (const name of ESTIMATORS) draws[name][b] = e[name];
  }
  const alpha = (1 - options.confidence) / 2;
  return Object.fromEntries(
    ESTIMATORS.map((name) => {
      const sorted = draws[name].sort();
      return [name, [quantile(sorted, alpha), quantile(sorted, 1 - alpha)]];
    }),
  ) as Record<EstimatorName, [number, number]>;
}

/** The estimates on the rows as logged, through the same path the resamples take (a test checks it). */
export function fullSampleEstimates(rows: readonly LoggedRow[], target: TargetPolicy, clip?: number) {
  return resampleEstimates(design(rows, target, clip), Uint32Array.from(rows.keys()));
}

/** Linear interpolation between order statistics (type 7, as R and numpy default). */
function quantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}
