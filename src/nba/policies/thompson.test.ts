import { describe, expect, it } from 'vitest';
import stdlibNormalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { normalCdf, thompsonShares, type ThompsonInput } from './thompson.js';
import { choose, type Candidate } from './policy.js';
import { createRandom, normal } from './rng.js';

/** Thompson's probabilities the slow way: `draws` sampled EVs per candidate, ties split evenly. */
function monteCarlo(cands: readonly ThompsonInput[], draws: number, seed: number): number[] {
  const random = createRandom(seed);
  const wins = new Array<number>(cands.length).fill(0);
  for (let d = 0; d < draws; d++) {
    let best = -Infinity;
    let at: number[] = [];
    for (let i = 0; i < cands.length; i++) {
      const c = cands[i]!;
      const v = Math.min(1, Math.max(0, c.mean + c.sd * normal(random))) * c.worth - c.cost;
      if (v > best) [best, at] = [v, [i]];
      else if (v === best) at.push(i);
    }
    for (const i of at) wins[i]! += 1 / at.length;
  }
  return wins.map((w) => w / draws);
}

const c = (mean: number, sd: number, worth: number, cost: number): ThompsonInput => ({
  mean,
  sd,
  worth,
  cost,
});

describe('Thompson probabilities', () => {
  it('Φ agrees with @stdlib to 1e-7', () => {
    for (let z = -9; z <= 9; z += 0.01)
      expect(Math.abs(normalCdf(z) - stdlibNormalCdf(z, 0, 1))).toBeLessThan(1e-7);
  });

  it('two candidates far from the clamp: Φ((μa − μb)/√(σa² + σb²)) to 1e-6', () => {
    const [a] = thompsonShares([c(0.5, 0.05, 1, 0), c(0.45, 0.075, 1, 0)]);
    expect(Math.abs(a! - stdlibNormalCdf(0.05 / Math.hypot(0.05, 0.075), 0, 1))).toBeLessThan(1e-6);
    // In EV units: worth 40 and 30, costs 2 and 0: EVs N(18, 2²) and N(13.5, 2.25²).
    const [b] = thompsonShares([c(0.5, 0.05, 40, 2), c(0.45, 0.075, 30, 0)]);
    expect(Math.abs(b! - stdlibNormalCdf(4.5 / Math.hypot(2, 2.25), 0, 1))).toBeLessThan(1e-6);
  });

  it('ties split evenly: identical candidates, and equal points', () => {
    for (const p of thompsonShares([c(0.1, 0.3, 10, 1), c(0.1, 0.3, 10, 1), c(0.1, 0.3, 10, 1)]))
      expect(p).toBeCloseTo(1 / 3, 9);
    // Worth 0: each EV is the point −cost; two at 0 tie, the third (−1) never wins.
    expect(thompsonShares([c(0.3, 0.1, 0, 0), c(0.2, 0.1, 0, 0), c(0.9, 0.1, 0, 1)])).toEqual([0.5, 0.5, 0]);
  });

  it('agree with 400,000 Monte Carlo draws within 4 standard errors: wide, sharp, clamped and tied cases', () => {
    const cases: ThompsonInput[][] = [
      // The bench's prior: response sd 1.3, most mass clamped at 0 or 1 (atoms at −cost and worth − cost).
      [c(0, 1.3, 139, 0.9), c(0, 1.3, 90, 2.5), c(0, 1.3, 45, 4.5), c(0, 1.3, 38, 1.8), c(0, 1.24, 30, 0.6)],
      // A fitted model: sharp, overlapping posteriors.
      [c(0.05, 0.01, 40, 1), c(0.054, 0.012, 41, 1), c(0.06, 0.004, 38, 1.2), c(0.03, 0.02, 45, 0.5)],
      // Zero costs: the atoms at 0 coincide and tie; one candidate is a point (sd 0).
      [c(0.02, 0.05, 30, 0), c(0.01, 0.08, 45, 0), c(0.3, 0, 2, 0), c(-0.1, 0.2, 139, 0)],
      // Mixed scales: one very sharp among wide ones, and one that never wins.
      [c(0.1, 0.001, 50, 1), c(0.08, 0.2, 60, 1), c(0.2, 0.5, 20, 0), c(0.01, 0.001, 10, 5)],
    ];
    const draws = 400_000;
    cases.forEach((cands, n) => {
      const exact = thompsonShares(cands);
      const mc = monteCarlo(cands, draws, n + 1);
      expect(exact.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      exact.forEach((p, i) => {
        const se = Math.sqrt(Math.max(p * (1 - p), 1e-6) / draws);
        expect(Math.abs(p - mc[i]!)).toBeLessThan(4 * se);
      });
    });
  });

  it('the chosen action comes up as often as its logged probability says', () => {
    const cand = (id: string, mean: number, sd: number, value: number, cost: number): Candidate => ({
      id,
      value,
      cost,
      lever: 1,
      prediction: { mean, spread: sd * sd, sigma2: 1 },
    });
    const cands = [cand('a', 0.05, 0.03, 40, 1), cand('b', 0.06, 0.02, 30, 0.5), cand('c', 0.02, 0.1, 60, 2)];
    const random = createRandom(11);
    const n = 20_000;
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    let logged: Record<string, number> = {};
    for (let i = 0; i < n; i++) {
      const r = choose(cands, { policy: 'thompson', exploration: 1, floor: 0.02 }, random);
      counts[r.chosen]!++;
      logged = Object.fromEntries(r.scored.map((s) => [s.id, s.probability]));
    }
    for (const id of ['a', 'b', 'c']) {
      const p = logged[id]!;
      expect(p).toBeGreaterThan(0.05);
      expect(Math.abs(counts[id]! / n - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
    }
  });
});
