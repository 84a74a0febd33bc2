// Ranking metrics of scores against 0/1 labels, with sklearn's conventions: ROC AUC counts tied
// scores as half (Mann–Whitney), PR AUC is average precision (step-wise, no interpolation).

export type Labels = ArrayLike<number>;
export type Scores = ArrayLike<number>;

function positives(y: Labels): number {
  let n = 0;
  for (let i = 0; i < y.length; i++) n += y[i] === 1 ? 1 : 0;
  return n;
}

function orderBy(scores: Scores, descending: boolean): Int32Array {
  const idx = Int32Array.from({ length: scores.length }, (_, i) => i);
  return idx.sort((a, b) => (descending ? scores[b]! - scores[a]! : scores[a]! - scores[b]!));
}

/**
 * Area under the ROC curve; NaN when only one class is present. Counted as P(s₊ > s₋) + ½ P(s₊ = s₋)
 * over the two classes' scores, each sorted natively (a typed-array sort without a comparator is
 * several times faster than ranking indices through one; the penalty search scores five times).
 */
export function rocAuc(y: Labels, scores: Scores): number {
  const nPos = positives(y);
  const nNeg = y.length - nPos;
  if (nPos === 0 || nNeg === 0) return Number.NaN;
  const pos = new Float64Array(nPos);
  const neg = new Float64Array(nNeg);
  for (let i = 0, p = 0, q = 0; i < y.length; i++) {
    if (y[i] === 1) pos[p++] = scores[i]!;
    else neg[q++] = scores[i]!;
  }
  pos.sort();
  neg.sort();
  // For each positive: negatives strictly below it, and half of those equal to it.
  let wins = 0;
  let below = 0;
  let upTo = 0;
  for (let i = 0; i < nPos; i++) {
    const s = pos[i]!;
    while (below < nNeg && neg[below]! < s) below++;
    if (upTo < below) upTo = below;
    while (upTo < nNeg && neg[upTo]! === s) upTo++;
    wins += below + (upTo - below) / 2;
  }
  return wins / (nPos * nNeg);
}

/** Average precision: Σ (R_k − R_{k−1}) P_k over distinct score thresholds, as sklearn computes it. */
export function averagePrecision(y: Labels, scores: Scores): number {
  const nPos = positives(y);
  if (nPos === 0) return Number.NaN;
  const idx = orderBy(scores, true);
  let tp = 0;
  let fp = 0;
  let prevRecall = 0;
  let ap = 0;
  for (let k = 0; k < idx.length;) {
    let m = k;
    while (m < idx.length && scores[idx[m]!] === scores[idx[k]!]) {
      if (y[idx[m]!] === 1) tp++;
      else fp++;
      m++;
    }
    const recall = tp / nPos;
    ap += (recall - prevRecall) * (tp / (tp + fp));
    prevRecall = recall;
    k = m;
  }
  return ap;
}

export type GainRow = {
  decile: number;
  people: number;
  positives: number;
  rate: number;
  /** rate / overall rate */
  lift: number;
  /** share of all positives captured by deciles 1..this one */
  cumulativeGain: number;
};

/** Lift and cumulative gain by decile of score (decile 1 = highest scores). */
export function gainsByDecile(y: Labels, scores: Scores, groups = 10): GainRow[] {
  const idx = orderBy(scores, true);
  const nPos = positives(y);
  const overall = nPos / Math.max(1, y.length);
  const out: GainRow[] = [];
  let captured = 0;
  for (let g = 0; g < groups; g++) {
    const from = Math.floor((g * idx.length) / groups);
    const to = Math.floor(((g + 1) * idx.length) / groups);
    let pos = 0;
    for (let k = from; k < to; k++) pos += y[idx[k]!] === 1 ? 1 : 0;
    captured += pos;
    const people = to - from;
    const rate = people ? pos / people : 0;
    out.push({
      decile: g + 1,
      people,
      positives: pos,
      rate,
      lift: overall > 0 ? rate / overall : 0,
      cumulativeGain: nPos ? captured / nPos : 0,
    });
  }
  return out;
}
