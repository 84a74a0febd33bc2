// The MMM's plain-number parts: the input file's checks and the budget optimizer against the
// optimum worked out from its first-order conditions.
import { describe, expect, it } from 'vitest';
import { readMmmData } from './data.js';
import { optimizeBudget, parseBounds } from './optimizer.js';
import type { ResponseModel } from './response.js';
import { ValidationError } from '../../platform/errors.js';

const cols = { dateColumn: 'week', kpi: 'kpi', channels: ['a', 'b'] };

describe('readMmmData', () => {
  it('reads weekly rows', () => {
    const d = readMmmData('week,kpi,a,b\n2024-01-01,10,1,0\n2024-01-08,11,2,3\n', cols);
    expect(d.spend).toEqual([
      [1, 2],
      [0, 3],
    ]);
    expect(d.periodDays).toBe(7);
  });

  it('names every problem: missing column', () => {
    expect(() => readMmmData('week,kpi,a\n2024-01-01,1,1\n', cols)).toThrow(ValidationError);
  });

  it('names every problem: non-numeric and negative spend, a gap, too few rows', () => {
    try {
      readMmmData('week,kpi,a,b\n2024-01-01,10,1,x\n2024-01-08,11,-2,1\n2024-01-22,12,1,1\n', cols, 30);
      expect.unreachable();
    } catch (err) {
      const messages = (err as ValidationError).errors.map((e) => e.message).join('\n');
      expect(messages).toMatch(/"x" is not a number/);
      expect(messages).toMatch(/spend -2 is negative/);
      expect(messages).toMatch(/after 14 days/);
      expect(messages).toMatch(/too few/);
    }
  });
});

describe('optimizeBudget', () => {
  // Two Michaelis–Menten channels β·x/(x + K) (Hill shape 1, no carry-over), one draw: the optimum
  // equalises marginal returns β K / (x + K)², so x_b + K_b = sqrt(β_b K_b / (β_a K_a)) (x_a + K_a).
  const model: ResponseModel = {
    saturation: 'hill',
    channels: ['a', 'b'],
    spendScale: [1, 1],
    draws: [
      [
        { beta: 100, carry: 1, saturation: [10, 1] },
        { beta: 400, carry: 1, saturation: [40, 1] },
      ],
    ],
  };
  it('spends the budget where marginal returns are equal', () => {
    const budget = 200;
    const r = Math.sqrt((400 * 40) / (100 * 10));
    // x_a + x_b = B and x_b + 40 = r (x_a + 10).
    const xa = (budget + 40 - 10 * r) / (1 + r);
    const p = optimizeBudget(model, [100, 100], { budget });
    expect(p.allocations[0]!.proposed).toBeCloseTo(xa, -0.3);
    expect(p.budget).toBeCloseTo(budget, 3);
  });

  it('respects bounds and stops at a target marginal ROI', () => {
    const p = optimizeBudget(model, [100, 100], { budget: 200, bounds: parseBounds('b=:50') });
    expect(p.allocations[1]!.proposed).toBeLessThanOrEqual(50);
    const t = optimizeBudget(model, [10, 10], { targetRoi: 1 });
    // Marginal ROI β K/(x+K)² = 1 at x = sqrt(βK) − K: a 21.6, b 86.5.
    expect(t.allocations[0]!.proposed).toBeCloseTo(Math.sqrt(1000) - 10, -0.5);
    expect(t.allocations[1]!.proposed).toBeCloseTo(Math.sqrt(16000) - 40, -0.5);
  });
});
