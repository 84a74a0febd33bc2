import { describe, expect, it } from 'vitest';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { choose, type Candidate } from './policy.js';
import { createRandom } from './rng.js';

const cand = (id: string, mean: number, spread = 0, value = 1, cost = 0): Candidate => ({
  id,
  value,
  cost,
  lever: 1,
  prediction: { mean, spread, sigma2: 1 },
});

describe('policies', () => {
  it('epsilon-greedy: (1 − ε) on the best EV plus ε/K, then the floor', () => {
    const r = choose(
      [cand('a', 0.2), cand('b', 0.5), cand('c', 0.1)],
      { policy: 'epsilon-greedy', exploration: 0.3, floor: 0.06 },
      createRandom(1),
    );
    const p = Object.fromEntries(r.scored.map((s) => [s.id, s.probability]));
    const eg = (best: boolean) => (1 - 0.06) * ((best ? 0.7 : 0) + 0.1) + 0.02;
    expect(p.b).toBeCloseTo(eg(true), 12);
    expect(p.a).toBeCloseTo(eg(false), 12);
    expect(p.c).toBeCloseTo(eg(false), 12);
  });

  it('EV = p × value × lever − cost decides, not p alone', () => {
    const r = choose(
      [cand('cheap', 0.3, 0, 10, 0), cand('valuable', 0.1, 0, 100, 5)],
      { policy: 'linucb', exploration: 0, floor: 0 },
      createRandom(1),
    );
    expect(r.chosen).toBe('valuable'); // 0.1 × 100 − 5 = 5 > 0.3 × 10 = 3
    expect(r.scored.find((s) => s.id === 'valuable')!.expectedValue).toBeCloseTo(5, 12);
  });

  it('LinUCB ranks by the optimistic bound: mean + α × posterior sd', () => {
    // a: 0.30 + 1 × 0.05; b: 0.25 + 1 × 0.2 → b wins at α = 1, a at α = 0.
    const c = [cand('a', 0.3, 0.0025), cand('b', 0.25, 0.04)];
    expect(choose(c, { policy: 'linucb', exploration: 1, floor: 0 }, createRandom(1)).chosen).toBe('b');
    expect(choose(c, { policy: 'linucb', exploration: 0, floor: 0 }, createRandom(1)).chosen).toBe('a');
  });

  it('Thompson: each probability is P(its draw is the largest), Φ((μa − μb)/√(σa² + σb²)) for two', () => {
    const c = [cand('a', 0.5, 0.01), cand('b', 0.45, 0.0225)]; // sd 0.1 and 0.15
    const a = choose(c, { policy: 'thompson', exploration: 1, floor: 0 }, createRandom(7)).scored.find(
      (s) => s.id === 'a',
    )!.probability;
    expect(Math.abs(a - normalCdf(0.05 / Math.sqrt(0.01 + 0.0225), 0, 1))).toBeLessThan(1e-6);
  });

  it('draws the choice from exactly the probabilities it reports', () => {
    const random = createRandom(3);
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    const n = 20_000;
    let probs: Record<string, number> = {};
    for (let i = 0; i < n; i++) {
      const r = choose(
        [cand('a', 0.2), cand('b', 0.5), cand('c', 0.1)],
        { policy: 'epsilon-greedy', exploration: 0.5, floor: 0 },
        random,
      );
      counts[r.chosen]!++;
      probs = Object.fromEntries(r.scored.map((s) => [s.id, s.probability]));
    }
    for (const id of ['a', 'b', 'c']) {
      const p = probs[id]!;
      expect(Math.abs(counts[id]! / n - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
    }
  });
});
