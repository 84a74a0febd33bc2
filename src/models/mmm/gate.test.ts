// The MMM's promotion rule: any failing diagnostic keeps a fit from serving, and the reason says which.
import { describe, expect, it } from 'vitest';
import { decideMmmPromotion } from './gate.js';

const sound = { rhatMax: 1.004, essBulkMin: 1500, essTailMin: 900, divergences: 0, chains: 4 };

describe('decideMmmPromotion', () => {
  it('promotes a fit whose diagnostics all pass', () => {
    const d = decideMmmPromotion(sound);
    expect(d.promote).toBe(true);
    expect(d.reason).toMatch(/diagnostics pass/);
  });

  it('never promotes a fit with R-hat above 1.01, a divergence, or fewer than 100 effective draws per chain', () => {
    const cases = [
      [{ rhatMax: 1.011 }, /R-hat 1.011 > 1.01/],
      [{ rhatMax: Number.NaN }, /R-hat NaN/],
      [{ divergences: 1 }, /1 divergent/],
      [{ essBulkMin: 399 }, /bulk ESS 399 < 400/],
      [{ essTailMin: 50 }, /tail ESS 50 < 400/],
    ] as const;
    for (const [change, why] of cases) {
      const d = decideMmmPromotion({ ...sound, ...change });
      expect(d.promote).toBe(false);
      expect(d.reason).toMatch(why);
      expect(d.reason).toMatch(/never promoted/);
    }
    // The ESS floor scales with the chains: 250 is enough for 2 chains, not for 4.
    expect(decideMmmPromotion({ ...sound, essBulkMin: 250, essTailMin: 250, chains: 2 }).promote).toBe(true);
    expect(decideMmmPromotion({ ...sound, essBulkMin: 250, essTailMin: 250 }).promote).toBe(false);
  });
});
