// Unbiasedness by simulation: many logs drawn from a world whose click rates and logging policy are
// known, so the target's true value is a closed form; each estimator's mean over the logs must land on
// it within a few standard errors, and the bootstrap intervals must cover it about as often as stated.
import { describe, expect, it } from 'vitest';
import { evaluatePolicy } from './evaluate.js';
import { estimatesOf, rowTerms } from './estimators.js';
import { fitRewardModel } from './reward-model.js';
import { createRandom, type Random } from './rng.js';
import { parseTableTarget } from './targets.js';
import type { LoggedRow } from './types.js';

const ACTIONS = ['a', 'b', 'c', 'd'];
/** True click rate by position (rows) and action (columns). */
const CLICK = [
  [0.1, 0.3, 0.05, 0.2],
  [0.06, 0.2, 0.03, 0.1],
];
/** The logging policy, skewed away from the best action. */
const LOGGER = [
  [0.4, 0.1, 0.3, 0.2],
  [0.25, 0.25, 0.25, 0.25],
];
const TARGET_TABLE = { a: [0.1, 0.2], b: [0.6, 0.4], c: [0.1, 0.2], d: [0.2, 0.2] };
const target = parseTableTarget({ probabilities: TARGET_TABLE }, [0, 1]).policy;
// Both positions appear equally often, so the value per row is the mean of the positions' values.
const TRUTH =
  CLICK.map((rates, pos) =>
    ACTIONS.reduce((s, a, k) => s + TARGET_TABLE[a as keyof typeof TARGET_TABLE][pos]! * rates[k]!, 0),
  ).reduce((s, v) => s + v, 0) / 2;

function drawLog(random: Random, n: number): LoggedRow[] {
  return Array.from({ length: n }, (_, i) => {
    const position = i % 2;
    const probs = LOGGER[position]!;
    let u = random(),
      k = 0;
    while (k < probs.length - 1 && u >= probs[k]!) u -= probs[k++]!;
    return {
      action: ACTIONS[k]!,
      position,
      propensity: probs[k]!,
      reward: random() < CLICK[position]![k]! ? 1 : 0,
    };
  });
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const sd = (xs: number[]) => Math.sqrt(xs.reduce((s, x) => s + (x - mean(xs)) ** 2, 0) / (xs.length - 1));

describe('estimators on simulated logs with a known target value', () => {
  const random = createRandom(20261202);
  const logs = Array.from({ length: 400 }, () => drawLog(random, 400));

  it('IPW and DR are unbiased (even with a wrong reward model); SNIPW and DM are consistent', () => {
    const est = logs.map((log) => estimatesOf(rowTerms(log, target, fitRewardModel(log))));
    const wrongModelDr = logs.map((log) => estimatesOf(rowTerms(log, target, () => 0.5)).dr);
    for (const values of [est.map((e) => e.ipw), est.map((e) => e.dr), wrongModelDr]) {
      // Mean of 400 unbiased draws: within 4 standard errors of the truth.
      expect(Math.abs(mean(values) - TRUTH)).toBeLessThan((4 * sd(values)) / Math.sqrt(values.length));
    }
    // SNIPW carries O(1/n) bias: at n = 400 it is within 0.005 of the truth on average.
    expect(Math.abs(mean(est.map((e) => e.snipw)) - TRUTH)).toBeLessThan(0.005);
    // DM's cells (20-100 rows here) are shrunk towards the position mean by PRIOR_ROWS pseudo-rows,
    // a bias that fades as cells fill: visible at n = 400, gone at n = 40,000.
    expect(Math.abs(mean(est.map((e) => e.dm)) - TRUTH)).toBeLessThan(0.03);
    const big = drawLog(random, 40_000);
    expect(Math.abs(estimatesOf(rowTerms(big, target, fitRewardModel(big))).dm - TRUTH)).toBeLessThan(0.005);
    // A wrong model biases the direct method by exactly its error: it reads 0.5 whatever happened.
    expect(estimatesOf(rowTerms(logs[0]!, target, () => 0.5)).dm).toBeCloseTo(0.5, 12);
  });

  it('95% bootstrap intervals of IPW and DR cover the truth in about 95% of logs', () => {
    const some = logs.slice(0, 150);
    const evals = some.map((log, i) => evaluatePolicy(log, target, { bootstrapSamples: 200, seed: i + 1 }));
    for (const name of ['ipw', 'dr'] as const) {
      const covered = evals.filter(
        (e) => e.estimates[name].ciLower <= TRUTH && TRUTH <= e.estimates[name].ciUpper,
      );
      // Binomial(150, 0.95) lies in [134, 149] with probability > 0.99; percentile intervals run a little narrow.
      expect(covered.length / some.length).toBeGreaterThan(0.87);
      expect(covered.length / some.length).toBeLessThan(0.995);
    }
  });
});
