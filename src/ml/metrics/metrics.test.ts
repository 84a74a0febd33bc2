// Metrics against scikit-learn's answers on the same labels and scores (fixtures/ml, written by
// scripts/reference/ml_metrics.py) and against cases worked by hand.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  averagePrecision,
  bootstrapInterval,
  brier,
  calibration,
  gainsByDecile,
  logLoss,
  rocAuc,
} from './index.js';

type Case = {
  name: string;
  y: number[];
  p: number[];
  rocAuc: number;
  averagePrecision: number;
  logLoss: number;
  brier: number;
};
const fixture = JSON.parse(
  fs.readFileSync(new URL('../../../fixtures/ml/metrics-sklearn.json', import.meta.url), 'utf8'),
) as {
  cases: Case[];
};

describe('metrics against scikit-learn', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(rocAuc(c.y, c.p)).toBeCloseTo(c.rocAuc, 12);
    expect(averagePrecision(c.y, c.p)).toBeCloseTo(c.averagePrecision, 12);
    expect(logLoss(c.y, c.p)).toBeCloseTo(c.logLoss, 10);
    expect(brier(c.y, c.p)).toBeCloseTo(c.brier, 12);
  });
});

describe('metrics by hand', () => {
  it('counts a tie between a positive and a negative as half a correct ordering', () => {
    // pairs (pos, neg): (0.8,0.1) ok, (0.8,0.4) ok, (0.4,0.1) ok, (0.4,0.4) half → 3.5/4
    expect(rocAuc([1, 0, 1, 0], [0.8, 0.1, 0.4, 0.4])).toBeCloseTo(3.5 / 4, 12);
    expect(rocAuc([1, 1], [0.2, 0.3])).toBeNaN();
  });

  it('computes average precision as the step-wise sum over thresholds', () => {
    // ranked: 0.9 (1), 0.8 (0), 0.7 (1): AP = 1·(1/2) + (2/3)·(1/2)
    expect(averagePrecision([1, 0, 1], [0.9, 0.8, 0.7])).toBeCloseTo(0.5 + 1 / 3, 12);
  });

  it('measures calibration error as the weighted gap between predicted and observed rates', () => {
    // bin [0.2,0.3): predicted 0.2 twice, observed 1/2 → gap 0.3; bin [0.9,1]: predicted 0.9 twice, observed 1 → gap 0.1
    const { ece, bins } = calibration([0, 1, 1, 1], [0.2, 0.2, 0.9, 0.9]);
    expect(bins).toHaveLength(2);
    expect(ece).toBeCloseTo(0.5 * 0.3 + 0.5 * 0.1, 12);
  });

  it('puts the highest scores in the first decile and captures every positive by the last', () => {
    const y = Array.from({ length: 100 }, (_, i) => (i < 10 ? 1 : 0));
    const s = Array.from({ length: 100 }, (_, i) => 1 - i / 100);
    const g = gainsByDecile(y, s);
    expect(g[0]).toMatchObject({
      decile: 1,
      people: 10,
      positives: 10,
      rate: 1,
      lift: 10,
      cumulativeGain: 1,
    });
    expect(g[9]!.cumulativeGain).toBe(1);
  });

  it('covers a known AUC with a bootstrap interval of plausible width', () => {
    // Scores N(1,1) for positives and N(0,1) for negatives: AUC = Φ(1/√2) ≈ 0.7602.
    let seed = 7;
    const normal = () => {
      seed = (seed * 16807) % 2147483647;
      const u = seed / 2147483647;
      seed = (seed * 16807) % 2147483647;
      const v = seed / 2147483647;
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    };
    const y = Array.from({ length: 2000 }, (_, i) => i % 2);
    const s = y.map((v) => v + normal());
    const ci = bootstrapInterval(rocAuc, y, s, { resamples: 300 });
    expect(ci.lower).toBeLessThan(0.7602);
    expect(ci.upper).toBeGreaterThan(0.7602);
    expect(ci.upper - ci.lower).toBeGreaterThan(0.02);
    expect(ci.upper - ci.lower).toBeLessThan(0.08);
  });
});
