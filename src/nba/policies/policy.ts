// The policies: from each candidate's predicted response (a Bayesian linear model's mean and spread)
// and its economics to a probability for every candidate. Expected value is
//   EV = P(response | context, action) × value × lever − cost,
// where the lever is the business's weight on the action (1 = neutral). Every policy mixes in a
// floor η spread evenly (π = (1 − η)·π_policy + η/K), so every eligible candidate keeps a logged
// probability above zero and the log can evaluate any other policy off-line. Pure.
import type { Random } from './rng.js';
import { thompsonShares } from './thompson.js';

export const POLICIES = ['thompson', 'linucb', 'epsilon-greedy', 'uniform'] as const;
export type PolicyName = (typeof POLICIES)[number];

/** Default exploration: Thompson's posterior scale, LinUCB's α, epsilon-greedy's ε. */
export const DEFAULT_EXPLORATION: Record<PolicyName, number> = {
  thompson: 1,
  linucb: 1,
  'epsilon-greedy': 0.1,
  uniform: 0,
};
/** Share of probability spread evenly over the candidates whatever the policy (see above). */
export const DEFAULT_FLOOR = 0.02;

export type PolicySettings = { policy: PolicyName; exploration: number; floor: number };

export type Candidate = {
  id: string;
  value: number;
  cost: number;
  lever: number;
  /** Posterior mean of the response, xᵀA⁻¹x and the noise variance σ² (predict() of linear-model.ts). */
  prediction: { mean: number; spread: number; sigma2: number };
};

export type ScoredCandidate = {
  id: string;
  probability: number;
  /** P(response) at the posterior mean, clamped to [0, 1]. */
  pResponse: number;
  /** Posterior standard deviation of the response. */
  pResponseSd: number;
  value: number;
  lever: number;
  cost: number;
  /** EV at the posterior mean. */
  expectedValue: number;
  /** What the policy ranks by: EV at the optimistic bound (LinUCB), at the mean otherwise. */
  score: number;
};

const clamp01 = (p: number) => Math.min(1, Math.max(0, p));
const ev = (c: Candidate, p: number) => clamp01(p) * c.value * c.lever - c.cost;

/** Indicator of the arg-max (ties split evenly). */
function argmaxShares(values: readonly number[]): number[] {
  const best = Math.max(...values);
  const winners = values.map((v) => (v >= best - 1e-12 ? 1 : 0));
  const k = winners.reduce((a: number, b) => a + b, 0);
  return winners.map((w) => w / k);
}

function policyShares(cands: readonly Candidate[], s: PolicySettings): number[] {
  const k = cands.length;
  const sd = cands.map((c) => Math.sqrt(c.prediction.sigma2 * c.prediction.spread));
  if (s.policy === 'uniform') return cands.map(() => 1 / k);
  if (s.policy === 'linucb')
    return argmaxShares(cands.map((c, i) => ev(c, c.prediction.mean + s.exploration * sd[i]!)));
  if (s.policy === 'epsilon-greedy') {
    const greedy = argmaxShares(cands.map((c) => ev(c, c.prediction.mean)));
    return greedy.map((g) => (1 - s.exploration) * g + s.exploration / k);
  }
  // Thompson: the probability that each candidate's sampled EV is the largest, computed (thompson.ts).
  return thompsonShares(
    cands.map((c, i) => ({
      mean: c.prediction.mean,
      sd: s.exploration * sd[i]!,
      worth: c.value * c.lever,
      cost: c.cost,
    })),
  );
}

/**
 * Every candidate's probability under the policy (with the floor), and one choice drawn from exactly
 * those probabilities, so the logged propensity is the one the choice was made with.
 */
export function choose(
  cands: readonly Candidate[],
  settings: PolicySettings,
  random: Random,
): { chosen: string; scored: ScoredCandidate[] } {
  if (!cands.length) throw new Error('choose needs at least one candidate');
  const k = cands.length;
  const shares = policyShares(cands, settings);
  const probs = shares.map((p) => (1 - settings.floor) * p + settings.floor / k);
  let u = random();
  let pick = k - 1;
  for (let i = 0; i < k; i++) {
    u -= probs[i]!;
    if (u < 0) {
      pick = i;
      break;
    }
  }
  const scored = cands.map((c, i): ScoredCandidate => {
    const sd = Math.sqrt(c.prediction.sigma2 * c.prediction.spread);
    const optimistic =
      settings.policy === 'linucb' ? c.prediction.mean + settings.exploration * sd : c.prediction.mean;
    return {
      id: c.id,
      probability: probs[i]!,
      pResponse: clamp01(c.prediction.mean),
      pResponseSd: sd,
      value: c.value,
      lever: c.lever,
      cost: c.cost,
      expectedValue: ev(c, c.prediction.mean),
      score: ev(c, optimistic),
    };
  });
  return { chosen: cands[pick]!.id, scored };
}
