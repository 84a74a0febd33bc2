// The newer metric kinds against simulations with known truth (the SciPy/NumPy fixtures check the
// arithmetic; these check that the arithmetic means what it says), and their contract's refusals.
import { describe, expect, it } from 'vitest';
import { createRng, normal, type Rng } from '../../sim/rng.js';
import { normalQuantile } from './distributions.js';
import { analyzeRequest, parseAnalysisRequest } from './contract.js';
import { AppError } from '../../platform/errors.js';

const RUNS = 400;
/** Coverage within three standard errors of 95% over RUNS experiments. */
const COVERAGE_TOLERANCE = 3 * Math.sqrt((0.95 * 0.05) / RUNS);
const run = (body: unknown) => analyzeRequest(parseAnalysisRequest(body));

/** A quantile arm as a warehouse query would report it: the sample quantile and its rank bounds. */
function quantileArm(rng: Rng, n: number, mu: number, sigma: number, level: number) {
  const x = Array.from({ length: n }, () => Math.exp(mu + sigma * normal(rng))).sort((a, b) => a - b);
  const half = normalQuantile(0.975) * Math.sqrt(n * level * (1 - level));
  const at = (rank: number) => x[Math.min(n, Math.max(1, rank)) - 1]!;
  return {
    n,
    nStar: n,
    quantile: at(Math.ceil(n * level)),
    quantileLower: at(Math.floor(n * level - half)),
    quantileUpper: at(Math.ceil(n * level + half)),
  };
}

describe('metric kinds against known truth', () => {
  it('a P90 interval covers the true difference of two log-normal P90s at 95%', () => {
    const rng = createRng('quantile-coverage');
    const z90 = normalQuantile(0.9);
    const truth = Math.exp(3.5 + 0.6 * z90) - Math.exp(3.4 + 0.6 * z90);
    let covered = 0;
    for (let r = 0; r < RUNS; r++) {
      const v = run({
        metric: { type: 'quantile', level: 0.9 },
        analysis: { difference: 'absolute' },
        variations: [
          { name: 'control', ...quantileArm(rng, 1500, 3.4, 0.6, 0.9) },
          { name: 'b', ...quantileArm(rng, 1500, 3.5, 0.6, 0.9) },
        ],
      }).variations[1]!;
      if (v.ciLower! <= truth && truth <= v.ciUpper!) covered++;
    }
    expect(Math.abs(covered / RUNS - 0.95)).toBeLessThan(COVERAGE_TOLERANCE);
  });

  it('post-stratification covers the true lift at 95% and removes the variance between strata', () => {
    const rng = createRng('strata-coverage');
    const strata = [
      { name: 'budget', share: 0.5, mean: 20 },
      { name: 'premium', share: 0.5, mean: 100 },
    ];
    const arm = (n: number, lift: number) => {
      const out = strata.map((s) => ({ name: s.name, n: 0, sum: 0, sumSquares: 0 }));
      for (let i = 0; i < n; i++) {
        const k = rng.next() < strata[0]!.share ? 0 : 1;
        const y = strata[k]!.mean * (1 + lift) + normal(rng, 0, 10);
        const cell = out[k]!;
        cell.n++;
        cell.sum += y;
        cell.sumSquares += y * y;
      }
      const total = (f: 'n' | 'sum' | 'sumSquares') => out.reduce((s, c) => s + c[f], 0);
      return { n: total('n'), sum: total('sum'), sumSquares: total('sumSquares'), strata: out };
    };
    let covered = 0;
    let reduction = 0;
    for (let r = 0; r < RUNS; r++) {
      const v = run({
        metric: { type: 'mean' },
        analysis: { difference: 'absolute' },
        variations: [
          { name: 'control', ...arm(800, 0) },
          { name: 'b', ...arm(800, 0.05) },
        ],
      }).variations[1]!;
      if (v.ciLower! <= 3 && 3 <= v.ciUpper!) covered++; // 5% of the mean order value 60
      reduction += v.varianceReduction! / RUNS;
    }
    expect(Math.abs(covered / RUNS - 0.95)).toBeLessThan(COVERAGE_TOLERANCE);
    // Per unit: 100 within strata against 100 + 40² between them, so about 1 − 100/1700 goes.
    expect(reduction).toBeGreaterThan(0.9);
    expect(reduction).toBeLessThan(0.97);
  });
});

describe('metric kinds in the contract', () => {
  const refusal = (body: unknown) => {
    try {
      run(body);
    } catch (err) {
      if (err instanceof AppError) return err;
      throw err;
    }
    throw new Error('expected a refusal');
  };

  it('refuses a quantile without its level or bounds, and CUPED on a quantile', () => {
    const arm = { n: 500, nStar: 500, quantile: 10, quantileLower: 9, quantileUpper: 11 };
    const e = refusal({
      metric: { type: 'quantile' },
      analysis: { cuped: true },
      variations: [
        { name: 'control', ...arm },
        { name: 'b', n: 500, quantile: 11 },
      ],
    });
    const paths = e.errors.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'metric.level',
        'analysis.cuped',
        'variations.1.quantileLower',
        'variations.1.quantileUpper',
      ]),
    );
  });

  it('keeps refusing CUPED on a ratio without pre-period sums, and strata that do not add up', () => {
    const ratio = {
      n: 100,
      sum: 400,
      sumSquares: 2000,
      denominatorSum: 120,
      denominatorSumSquares: 160,
      sumProduct: 500,
    };
    expect(
      refusal({
        metric: { type: 'ratio' },
        analysis: { cuped: true },
        variations: [
          { name: 'a', ...ratio },
          { name: 'b', ...ratio },
        ],
      }).code,
    ).toBe('validation-failed');
    const strata = [{ name: 'x', n: 40, sum: 40, sumSquares: 80 }];
    const e = refusal({
      metric: { type: 'mean' },
      variations: [
        { name: 'a', n: 100, sum: 100, sumSquares: 300, strata },
        { name: 'b', n: 100, sum: 110, sumSquares: 330, strata },
      ],
    });
    expect(e.errors.map((p) => p.path)).toContain('variations.0.strata');
  });

  it('reports the posterior sd as se with a proper prior, the data se with a flat one', () => {
    const variations = [
      { name: 'control', n: 3407, sum: 1396.87, sumSquares: 52377.98 },
      { name: 'treatment', n: 3372, sum: 1541.2, sumSquares: 58914.44 },
    ];
    const flat = run({ metric: { type: 'mean' }, analysis: { engine: 'bayesian' }, variations })
      .variations[1]!;
    const prior = { mean: 0, stddev: 0.1 };
    const proper = run({ metric: { type: 'mean' }, analysis: { engine: 'bayesian', prior }, variations })
      .variations[1]!;
    const posteriorSd = 1 / Math.sqrt(1 / flat.se! ** 2 + 1 / prior.stddev ** 2);
    expect(proper.se).toBeCloseTo(posteriorSd, 12);
    // The credible interval is the posterior's: its half-width is z·se.
    expect((proper.ciUpper! - proper.ciLower!) / 2).toBeCloseTo(normalQuantile(0.975) * proper.se!, 12);
  });
});
