// Response curves against a hand-computed Hill response: one draw, so every interval collapses to
// the curve itself, and the point at multiple 1 is today's spend.
import { describe, expect, it } from 'vitest';
import { responseCurves } from './curves.js';
import type { ResponseModel } from './response.js';

describe('responseCurves', () => {
  it('traces β·hill(spend/scale·carry) from zero to 2.5× today, with today at multiple 1', () => {
    const model: ResponseModel = {
      saturation: 'hill',
      channels: ['tv'],
      spendScale: [100],
      draws: [[{ beta: 50, carry: 2, saturation: [1, 1] }]],
    };
    const points = responseCurves(model, [100], { level: 0.9, points: 10 });
    expect(points).toHaveLength(11);
    expect(points[0]).toMatchObject({ multiple: 0, spend: 0, mean: 0 });
    const today = points.find((p) => p.multiple === 1)!;
    // spend 100 → scaled 1 → adstocked 2 → hill 2/(2+1) → 50·2/3.
    expect(today.spend).toBe(100);
    expect(today.mean).toBeCloseTo((50 * 2) / 3, 12);
    expect(today.lower).toBeCloseTo(today.mean, 12);
    const last = points.at(-1)!;
    expect(last.mean).toBeCloseTo((50 * 5) / 6, 12);
  });
});
