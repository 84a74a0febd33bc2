import { describe, expect, it } from 'vitest';
import { assignVariation, chooseVariation, fnv1a32, hashToUnit } from './assignment.js';

describe('assignment', () => {
  it('hashes with FNV-1a 32-bit (published test vectors), applied twice', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
    expect(hashToUnit('seed', 'user')).toBe((fnv1a32(String(fnv1a32('seeduser'))) % 10000) / 10000);
  });

  it('is stable for a user and splits users by the weights', () => {
    expect(assignVariation('exp-1', 'user-42', [0.5, 0.5])).toBe(
      assignVariation('exp-1', 'user-42', [0.5, 0.5]),
    );
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[assignVariation('exp-1', `u${i}`, [0.2, 0.3, 0.5])]! += 1;
    // Binomial SE at n=30000 is under 0.003; allow 4 SE.
    expect(counts[0]! / 30_000).toBeCloseTo(0.2, 1);
    expect(Math.abs(counts[1]! / 30_000 - 0.3)).toBeLessThan(0.012);
    expect(Math.abs(counts[2]! / 30_000 - 0.5)).toBeLessThan(0.012);
  });

  it('maps units onto cumulative ranges', () => {
    expect(chooseVariation(0, [0.5, 0.5])).toBe(0);
    expect(chooseVariation(0.4999, [0.5, 0.5])).toBe(0);
    expect(chooseVariation(0.5, [0.5, 0.5])).toBe(1);
    expect(chooseVariation(0.95, [0.45, 0.45])).toBe(-1);
  });
});
