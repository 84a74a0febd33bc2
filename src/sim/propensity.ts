// Each customer's true probability of purchasing in the 30 days after the snapshot, as a known
// function of their history (and one latent trait), so the best achievable AUC is known.
import { sigmoid } from './rng.js';
import type { Segment } from './customers.js';

export type PropensityHistory = {
  purchases180d: number;
  sessions30d: number;
  daysSinceLastPurchase: number;
  emailClicks90d: number;
  segment: Segment;
  activityZ: number;
};

export const PROPENSITY_TRUTH = {
  formula:
    'p = sigmoid(intercept + a·ln(1+purchases180d) + b·ln(1+sessions30d) + c·min(daysSinceLastPurchase,365)/30 + d·[emailClicks90d>0] + e·[premium] + f·[budget] + g·activityZ)',
  intercept: -2.6,
  purchases180d: 0.9,
  sessions30d: 0.45,
  recencyPer30Days: -0.18,
  emailClicked: 0.5,
  premium: 0.35,
  budget: -0.25,
  activityZ: 0.6,
  windowDays: 30,
} as const;

export function truePurchaseProbability(h: PropensityHistory): number {
  const t = PROPENSITY_TRUTH;
  return sigmoid(
    t.intercept +
      t.purchases180d * Math.log1p(h.purchases180d) +
      t.sessions30d * Math.log1p(h.sessions30d) +
      (t.recencyPer30Days * Math.min(h.daysSinceLastPurchase, 365)) / 30 +
      (h.emailClicks90d > 0 ? t.emailClicked : 0) +
      (h.segment === 'premium' ? t.premium : 0) +
      (h.segment === 'budget' ? t.budget : 0) +
      t.activityZ * h.activityZ,
  );
}

/** Expected AUC of a scorer that knows the true p: P(p_pos > p_neg) + ½P(tie), with outcomes ~ Bernoulli(p). */
export function expectedBayesAuc(ps: readonly number[]): number {
  const sorted = [...ps].sort((a, b) => a - b);
  // Σ_i Σ_j p_i (1 − p_j) [p_i > p_j]: sweep in ascending order keeping Σ(1 − p_j) of smaller ones.
  let below = 0;
  let num = 0;
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    let tieNeg = 0;
    let tiePos = 0;
    while (j < sorted.length && sorted[j] === sorted[i]) {
      tieNeg += 1 - (sorted[j] ?? 0);
      tiePos += sorted[j] ?? 0;
      j++;
    }
    num += tiePos * below + 0.5 * (tiePos * tieNeg - sorted.slice(i, j).reduce((s, p) => s + p * (1 - p), 0));
    below += tieNeg;
    i = j;
  }
  const pos = ps.reduce((s, p) => s + p, 0);
  const neg = ps.length - pos;
  const selfPairs = ps.reduce((s, p) => s + p * (1 - p), 0); // a customer cannot be paired with itself
  return num / (pos * neg - selfPairs);
}

/** The realized AUC of scores against 0/1 outcomes (Mann–Whitney, ties count half). */
export function auc(scores: readonly number[], outcomes: readonly (0 | 1)[]): number {
  const idx = scores.map((s, i) => i).sort((a, b) => (scores[a] ?? 0) - (scores[b] ?? 0));
  let rankSum = 0;
  let nPos = 0;
  let k = 0;
  while (k < idx.length) {
    let m = k;
    while (m < idx.length && scores[idx[m]!] === scores[idx[k]!]) m++;
    const avgRank = (k + 1 + m) / 2;
    for (let q = k; q < m; q++)
      if (outcomes[idx[q]!] === 1) {
        rankSum += avgRank;
        nPos++;
      }
    k = m;
  }
  const nNeg = scores.length - nPos;
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}
