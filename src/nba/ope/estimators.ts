// Per-row terms of the four estimators. Each estimate is a mean (or, for SNIPW, a ratio of means)
// of these terms, which is what lets the bootstrap resample rows without refitting anything.
import type { RewardModel } from './reward-model.js';
import type { LoggedRow, TargetPolicy } from './types.js';

export type RowTerms = {
  /** Importance weight π_target(a|pos) / π_log(a|pos), clipped when asked. */
  weight: Float64Array;
  /** weight × reward (IPW's term; SNIPW divides its sum by the weights' sum). */
  weighted: Float64Array;
  /** Σ_a π_target(a|pos) q̂(a, pos): the direct method's term. */
  direct: Float64Array;
  /** direct + weight × (reward − q̂(logged action, pos)): the doubly robust term. */
  doublyRobust: Float64Array;
};

export function rowTerms(
  rows: readonly LoggedRow[],
  target: TargetPolicy,
  model: RewardModel,
  clip?: number,
): RowTerms {
  const n = rows.length;
  const t: RowTerms = {
    weight: new Float64Array(n),
    weighted: new Float64Array(n),
    direct: new Float64Array(n),
    doublyRobust: new Float64Array(n),
  };
  // A target's distribution is usually shared by every row of a position: cache its direct term.
  const directCache = new Map<ReadonlyMap<string, number>, Map<number, number>>();
  rows.forEach((r, i) => {
    const dist = target.probabilities(r);
    let w = (dist.get(r.action) ?? 0) / r.propensity;
    if (clip !== undefined) w = Math.min(w, clip);
    let byPos = directCache.get(dist);
    if (!byPos) directCache.set(dist, (byPos = new Map<number, number>()));
    let direct = byPos.get(r.position);
    if (direct === undefined) {
      direct = 0;
      for (const [a, p] of dist) direct += p * model(a, r.position);
      byPos.set(r.position, direct);
    }
    t.weight[i] = w;
    t.weighted[i] = w * r.reward;
    t.direct[i] = direct;
    t.doublyRobust[i] = direct + w * (r.reward - model(r.action, r.position));
  });
  return t;
}

/** The four point estimates over a subset of rows (all rows, or a bootstrap resample's indices). */
export function estimatesOf(t: RowTerms, index?: Uint32Array) {
  const n = index ? index.length : t.weight.length;
  let w = 0,
    wr = 0,
    dm = 0,
    dr = 0;
  for (let k = 0; k < n; k++) {
    const i = index ? index[k]! : k;
    w += t.weight[i]!;
    wr += t.weighted[i]!;
    dm += t.direct[i]!;
    dr += t.doublyRobust[i]!;
  }
  return { ipw: wr / n, snipw: w > 0 ? wr / w : 0, dm: dm / n, dr: dr / n };
}
