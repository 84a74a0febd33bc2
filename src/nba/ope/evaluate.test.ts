import { describe, expect, it } from 'vitest';
import { evaluatePolicy, evaluateByPosition } from './evaluate.js';
import { estimatesOf, rowTerms } from './estimators.js';
import { parseTableTarget, uniformTarget, empiricalTarget } from './targets.js';
import { PRIOR_ROWS } from './reward-model.js';
import { fullSampleEstimates } from './bootstrap.js';
import type { LoggedRow } from './types.js';

const row = (action: string, reward: number, propensity = 0.5, position = 0): LoggedRow => ({
  action,
  position,
  reward,
  propensity,
});

// Four rows logged uniformly over {a, b}; the target shows a with 0.8 and b with 0.2.
const LOG = [row('a', 1), row('a', 1), row('b', 0), row('b', 1)];
const TARGET = parseTableTarget({ probabilities: { a: 0.8, b: 0.2 } }, [0]).policy;

describe('the four estimators on a log small enough to work by hand', () => {
  const e = evaluatePolicy(LOG, TARGET, { bootstrapSamples: 200 });
  // Weights: a → 0.8/0.5 = 1.6, b → 0.2/0.5 = 0.4.
  const ipw = (1.6 + 1.6 + 0 + 0.4) / 4;
  const snipw = (1.6 + 1.6 + 0 + 0.4) / (1.6 + 1.6 + 0.4 + 0.4);
  // Reward model: cell means shrunk to the position mean 3/4 by PRIOR_ROWS pseudo-rows.
  const qa = (2 + PRIOR_ROWS * 0.75) / (2 + PRIOR_ROWS);
  const qb = (1 + PRIOR_ROWS * 0.75) / (2 + PRIOR_ROWS);
  const dm = 0.8 * qa + 0.2 * qb;
  const dr = dm + (1.6 * (1 - qa) * 2 + 0.4 * (0 - qb) + 0.4 * (1 - qb)) / 4;

  it('matches the arithmetic', () => {
    expect(e.rows).toBe(4);
    expect(e.estimates.ipw.value).toBeCloseTo(ipw, 12);
    expect(e.estimates.snipw.value).toBeCloseTo(snipw, 12);
    expect(e.estimates.dm.value).toBeCloseTo(dm, 12);
    expect(e.estimates.dr.value).toBeCloseTo(dr, 12);
    expect(e.weights.mean).toBeCloseTo(1, 12);
    expect(e.weights.max).toBeCloseTo(1.6, 12);
    expect(e.weights.effectiveSampleSize).toBeCloseTo(16 / (2 * 1.6 ** 2 + 2 * 0.4 ** 2), 12);
  });

  it('the bootstrap path (which refits the model per resample) gives the same point estimates', () => {
    const f = fullSampleEstimates(LOG, TARGET);
    for (const name of ['ipw', 'snipw', 'dm', 'dr'] as const)
      expect(f[name]).toBeCloseTo(e.estimates[name].value, 12);
    const g = fullSampleEstimates(LOG, TARGET, 1);
    expect(g.dr).toBeCloseTo(
      evaluatePolicy(LOG, TARGET, { clip: 1, bootstrapSamples: 5 }).estimates.dr.value,
      12,
    );
  });

  it('brackets each estimate with its interval, the same for the same seed', () => {
    for (const v of Object.values(e.estimates)) {
      expect(v.ciLower).toBeLessThanOrEqual(v.value + 1e-12);
      expect(v.ciUpper).toBeGreaterThanOrEqual(v.value - 1e-12);
    }
    expect(evaluatePolicy(LOG, TARGET, { bootstrapSamples: 200 })).toEqual(e);
  });

  it('clips weights only when asked, and says so', () => {
    const clipped = evaluatePolicy(LOG, TARGET, { clip: 1, bootstrapSamples: 10 });
    expect(clipped.weights.max).toBe(1);
    expect(clipped.estimates.ipw.value).toBeCloseTo((1 + 1 + 0 + 0.4) / 4, 12);
    expect(clipped.warnings.join(' ')).toMatch(/clipped at 1/);
    expect(e.warnings).toEqual([]);
  });

  it('warns about mass on unlogged actions and about a small effective sample size', () => {
    const c = parseTableTarget({ probabilities: { a: 0.5, c: 0.5 } }, [0]).policy;
    expect(evaluatePolicy(LOG, c, { bootstrapSamples: 10 }).warnings.join(' ')).toMatch(
      /50\.0% of its probability/,
    );
    // One row in a hundred carries all the weight.
    const skewed = [row('rare', 1, 0.01), ...Array.from({ length: 99 }, () => row('common', 0, 0.99))];
    const only = parseTableTarget({ probabilities: { rare: 1 } }, [0]).policy;
    expect(evaluatePolicy(skewed, only, { bootstrapSamples: 10 }).warnings.join(' ')).toMatch(
      /Effective sample size 1\.0 of 100/,
    );
  });
});

describe('targets', () => {
  it('uniform spreads over every logged action; empirical counts per position', () => {
    const rows = [row('a', 0, 0.5, 0), row('b', 0, 0.5, 0), row('c', 0, 0.5, 1), row('a', 0, 0.5, 1)];
    expect([...uniformTarget(rows).probabilities(rows[0]!)]).toEqual([
      ['a', 1 / 3],
      ['b', 1 / 3],
      ['c', 1 / 3],
    ]);
    const emp = empiricalTarget([...rows, row('c', 0, 0.5, 1)]);
    expect(emp.probabilities(rows[2]!).get('c')).toBeCloseTo(2 / 3, 12);
    expect(emp.probabilities(rows[0]!).get('c')).toBeUndefined();
  });

  it('a table names every bad probability and every position that does not sum to 1', () => {
    const { problems } = parseTableTarget({ probabilities: { a: [0.5, 2], b: 0.4 } }, [0, 1]);
    expect(problems).toEqual([
      'probabilities.a: position 1 needs a number in [0, 1], got 2',
      'position 0: probabilities sum to 0.9, not 1',
      'position 1: probabilities sum to 0.4, not 1',
    ]);
    expect(parseTableTarget([], [0]).problems[0]).toMatch(/must be/);
  });
});

describe('slates are evaluated per position', () => {
  it('gives each position its own value, and the whole is their row-weighted mean', () => {
    const rows = [row('a', 1, 0.5, 0), row('b', 0, 0.5, 0), row('a', 0, 0.5, 1), row('b', 0, 0.5, 1)];
    const t = parseTableTarget({ probabilities: { a: 1 } }, [0, 1]).policy;
    const parts = evaluateByPosition(rows, t, { bootstrapSamples: 10 });
    expect(parts.map((p) => p.evaluation.estimates.ipw.value)).toEqual([1, 0]);
    expect(evaluatePolicy(rows, t, { bootstrapSamples: 10 }).estimates.ipw.value).toBe(0.5);
  });
});

describe('doubly robust stays unbiased with a wrong reward model, the direct method does not', () => {
  it('holds on one log in expectation: the correction term cancels the model error', () => {
    // With weights exactly π/μ over the full support, E[w(r − q)] = V − Σπq for any q.
    const full = [row('a', 1), row('b', 0)]; // one row per action, each logged with 0.5
    const terms = rowTerms(full, TARGET, () => 0.9);
    const e = estimatesOf(terms);
    expect(e.dm).toBeCloseTo(0.9, 12);
    expect(e.dr).toBeCloseTo(0.8 * 1 + 0.2 * 0, 12);
  });
});
