import { describe, expect, it } from 'vitest';
import { hashToUnit } from './assignment.js';
import { initialRanges, rebalance, variationAt } from './ranges.js';

const users = Array.from({ length: 20_000 }, (_, i) => `user-${i}`);

describe('hash ranges under weight changes', () => {
  it('moves only as many users as the weights demand', () => {
    const before = initialRanges([0.5, 0.5]);
    const after = rebalance(before, [0.2, 0.8]);
    let moved = 0;
    const counts = [0, 0];
    for (const u of users) {
      const unit = hashToUnit('seed-1', u);
      const a = variationAt(before, unit);
      const b = variationAt(after, unit);
      counts[b]!++;
      if (a !== b) {
        moved++;
        expect([a, b]).toEqual([0, 1]); // only control → treatment, never the other way
      }
    }
    // 30% of the hash space changes hands; a full reshuffle would move about half.
    expect(moved / users.length).toBeCloseTo(0.3, 1);
    expect(counts[1]! / users.length).toBeCloseTo(0.8, 1);
  });

  it('adding a variation takes only from the arms that shrink, and unused traffic stays out', () => {
    const before = initialRanges([0.4, 0.4]); // 20% of traffic not in the experiment
    expect(variationAt(before, 0.9)).toBe(-1);
    const after = rebalance(before, [0.3, 0.3, 0.3]);
    for (const u of users.slice(0, 5000)) {
      const unit = hashToUnit('s', u);
      const a = variationAt(before, unit);
      const b = variationAt(after, unit);
      if (a !== -1 && a !== b) expect(b).toBe(2);
    }
    after.forEach((rs, i) =>
      expect(rs.reduce((s, [x, y]) => s + y - x, 0)).toBeCloseTo([0.3, 0.3, 0.3][i]!, 12),
    );
  });
});
