// The penalty path's decisions on held-back losses worked out by hand.
import { describe, expect, it } from 'vitest';
import { PenaltyPath } from './penalty-path.js';

/** The decisions for a sequence of losses, with the penalty in force after each. */
function walk(path: PenaltyPath, losses: number[]) {
  return losses.map((loss) => [path.check(loss), path.penalty] as const);
}

describe('PenaltyPath', () => {
  it('goes on to a weaker penalty after one that improved, and stops at one that did not', () => {
    const path = new PenaltyPath([0.01, 0.001, 0.0001], 2, 0.01);
    expect(walk(path, [0.5, 0.4, 0.399, 0.398, 0.3, 0.31, 0.32, 0.305])).toEqual([
      ['best', 0.01],
      ['best', 0.01],
      // within 1% of 0.4: not an improvement, on the level or overall
      ['continue', 0.01],
      ['weaker', 0.001],
      // under 0.001 the loss improves on the overall best, so the next penalty gets its turn
      ['best', 0.001],
      ['continue', 0.001],
      ['weaker', 0.0001],
      // 0.305 is the best under 0.0001 (a new start) but not below 0.3: no overall best
      ['continue', 0.0001],
    ]);
    expect(walk(path, [0.306, 0.307])).toEqual([
      ['continue', 0.0001],
      ['stop', 0.0001],
    ]);
    expect(path.chosen).toBe(0.001);
  });

  it('judges a weaker penalty on its own best, so a rise after the switch does not end it', () => {
    const path = new PenaltyPath([0.01, 0.001], 2, 0);
    walk(path, [0.5, 0.4, 0.41, 0.42]); // 0.01 done: best 0.4
    // the loss rises, then falls under the level's own best each check, then below 0.4
    expect(walk(path, [0.45, 0.44, 0.43, 0.39]).map(([d]) => d)).toEqual([
      'continue',
      'continue',
      'continue',
      'best',
    ]);
    expect(path.chosen).toBe(0.001);
  });

  it('stops after the first penalty when that is the path, or when the next brings nothing', () => {
    const one = new PenaltyPath([0.003], 3, 0);
    expect(walk(one, [0.3, 0.31, 0.3, 0.32]).map(([d]) => d)).toEqual([
      'best',
      'continue',
      'continue',
      'stop',
    ]);
    const two = new PenaltyPath([0.01, 0.001], 1, 0);
    // the first check under 0.001 is that level's best so far, the second is not: stop
    expect(walk(two, [0.3, 0.31, 0.32, 0.33]).map(([d]) => d)).toEqual([
      'best',
      'weaker',
      'continue',
      'stop',
    ]);
    expect(two.chosen).toBe(0.01);
  });

  it('refuses an empty path', () => {
    expect(() => new PenaltyPath([], 2, 0)).toThrow(/at least one/);
  });
});
