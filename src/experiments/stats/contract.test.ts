import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import { createRng } from '../../sim/rng.js';
import { analyzeRequest, parseAnalysisRequest } from './contract.js';
import { analyze } from './analyze.js';
import { minimumDetectableEffect, powerAt, sampleSizeFor, type PowerSettings } from './power.js';
import { normalQuantile } from './distributions.js';

const run = (body: unknown) => analyzeRequest(parseAnalysisRequest(body));
function refusal(body: unknown): AppError {
  try {
    run(body);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('analysis contract', () => {
  it('answers the README example with the documented fields and defaults', () => {
    const r = run({
      metric: { type: 'mean' },
      variations: [
        { name: 'control', n: 3407, sum: 1396.87, sumSquares: 52377.98 },
        { name: 'treatment', n: 3372, sum: 1541.2, sumSquares: 58914.44 },
      ],
    });
    expect(Object.keys(r)).toEqual(['srm', 'variations', 'verdict']);
    expect(r.srm.assumedEqualWeights).toBe(true);
    expect(r.variations[0]!.estimate).toBeNull();
    const t = r.variations[1]!;
    expect(t.ciLower! < t.estimate! && t.estimate! < t.ciUpper!).toBe(true);
    expect(t.chanceToWin).toBeNull();
  });

  it('refuses impossible numbers with a reason per arm', () => {
    const e = refusal({
      metric: { type: 'binomial' },
      variations: [
        { name: 'a', n: 1, sum: 0 },
        { name: 'b', n: 100, sum: 120 },
      ],
    });
    expect(e.code).toBe('validation-failed');
    expect(e.errors.map((x) => x.path)).toEqual(['variations.0.n', 'variations.1.sum']);
    const sq = refusal({
      metric: { type: 'mean' },
      variations: [
        { name: 'a', n: 10, sum: 100, sumSquares: 500 },
        { name: 'b', n: 10, sum: 10, sumSquares: 20 },
      ],
    });
    expect(sq.errors[0]!.message).toMatch(/smaller than sum²\/n/);
  });

  it('refuses zero variance and a zero control mean with their engine codes', () => {
    const zero = refusal({
      metric: { type: 'binomial' },
      variations: [
        { name: 'a', n: 100, sum: 0 },
        { name: 'b', n: 100, sum: 5 },
      ],
    });
    expect(zero.code).toBe('unprocessable');
    expect(zero.errors[0]!.code).toBe('ZERO_NEGATIVE_VARIANCE');
    const baseline = refusal({
      metric: { type: 'mean' },
      variations: [
        { name: 'a', n: 4, sum: 0, sumSquares: 8 },
        { name: 'b', n: 4, sum: 4, sumSquares: 10 },
      ],
    });
    expect(baseline.errors[0]!.code).toBe('ZERO_NEGATIVE_BASELINE_VARIATION');
    // The same data compare fine on the absolute scale.
    expect(
      run({
        metric: { type: 'mean' },
        analysis: { difference: 'absolute' },
        variations: [
          { name: 'a', n: 4, sum: 0, sumSquares: 8 },
          { name: 'b', n: 4, sum: 4, sumSquares: 10 },
        ],
      }).variations[1]!.estimate,
    ).toBe(1);
  });

  it('blocks a ship verdict while the sample ratio is off', () => {
    const body = {
      metric: { type: 'binomial' },
      weights: [0.5, 0.5],
      variations: [
        { name: 'a', n: 5000, sum: 250 },
        { name: 'b', n: 4000, sum: 400 },
      ],
    };
    const r = run(body);
    expect(r.srm.flagged).toBe(true);
    expect(r.variations[1]!.pValue!).toBeLessThan(1e-6);
    expect(r.verdict.status).toBe('srm');
    expect(
      run({
        ...body,
        variations: [
          { name: 'a', n: 5000, sum: 250 },
          { name: 'b', n: 5000, sum: 400 },
        ],
      }).verdict,
    ).toMatchObject({ status: 'ship', variation: 'b' });
  });

  it('cost per outcome: a winner that costs more per order, with monotone intervals', () => {
    // The shipping-offer scenario: free shipping converts better but costs three times more per exposure.
    const r = run({
      metric: { type: 'binomial' },
      variations: [
        { name: 'ten-percent-off', n: 10000, sum: 700, spend: 500 + 0.3 * 10000 },
        { name: 'free-shipping', n: 10000, sum: 850, spend: 500 + 0.9 * 10000 },
      ],
    });
    const [a, b] = r.variations;
    expect(a!.cost!.value).toBeCloseTo(3500 / 700, 10);
    expect(b!.cost!.value).toBeCloseTo(9500 / 850, 10);
    expect(a!.cost!.ciLower! < a!.cost!.value! && a!.cost!.value! < a!.cost!.ciUpper!).toBe(true);
    // 0.6 more spend per user for 0.015 more orders per user = 40 per extra order.
    expect(b!.incrementalCost!.value).toBeCloseTo(0.6 / 0.015, 8);
    expect(b!.incrementalCost!.ciLower!).toBeLessThan(40);
    expect(b!.incrementalCost!.ciUpper!).toBeGreaterThan(40);
    // When the lift's interval includes zero, the incremental cost is unbounded, not a number.
    const flat = run({
      metric: { type: 'binomial' },
      variations: [
        { name: 'a', n: 1000, sum: 50, spend: 100 },
        { name: 'b', n: 1000, sum: 52, spend: 300 },
      ],
    });
    expect(flat.variations[1]!.incrementalCost).toMatchObject({ ciLower: null, ciUpper: null });
  });

  it('Holm correction widens p-values across arms and the adjusted interval contains the raw one', () => {
    const r = run({
      metric: { type: 'binomial' },
      analysis: { correction: 'holm' },
      variations: [
        { name: 'a', n: 5000, sum: 250 },
        { name: 'b', n: 5000, sum: 300 },
        { name: 'c', n: 5000, sum: 255 },
      ],
    });
    for (const v of r.variations.slice(1)) expect(v.adjustedPValue!).toBeGreaterThanOrEqual(v.pValue!);
    const [b, c] = r.variations.slice(1);
    // b's p doubles under Holm (two tests), so its adjusted interval is wider and contains the raw one.
    expect(b!.adjustedPValue).toBeCloseTo(2 * b!.pValue!, 12);
    expect(b!.adjustedCi!.ciLower!).toBeLessThan(b!.ciLower!);
    expect(b!.adjustedCi!.ciUpper!).toBeGreaterThan(b!.ciUpper!);
    // c is the larger p, kept as it is; a normal-quantile interval at the same p is narrower than the
    // raw t interval, so (as GrowthBook does) no adjusted interval is shown.
    expect(c!.adjustedPValue).toBe(c!.pValue);
    expect(c!.adjustedCi).toBeNull();
  });
});

describe('power and sample size', () => {
  const base: PowerSettings = {
    metric: 'binomial',
    baselineMean: 0.1,
    controlShare: 0.5,
    treatmentShare: 0.5,
    alpha: 0.05,
    comparisons: 1,
    sequentialTuning: null,
  };

  it('agrees with the textbook two-proportion sample size within 1%', () => {
    // n per arm = (z₀.₉₇₅ + z₀.₈)² (p₁q₁ + p₂q₂) / (p₂ − p₁)², for 10% → 11%.
    const z = normalQuantile(0.975) + normalQuantile(0.8);
    const textbook = (z ** 2 * (0.1 * 0.9 + 0.11 * 0.89)) / 0.01 ** 2;
    const absolute = { ...base, difference: 'absolute' as const };
    const total = sampleSizeFor(absolute, 0.1, 0.8)!;
    expect(Math.abs(total / 2 / textbook - 1)).toBeLessThan(0.01);
    expect(powerAt(absolute, total, 0.1)).toBeCloseTo(0.8, 4);
    // The relative (delta-method) analysis needs (p₂q₂ + p₁q₁(p₂/p₁)²)/(p₁q₁ + p₂q₂) ≈ 10% more here.
    expect(sampleSizeFor(base, 0.1, 0.8)! / total).toBeCloseTo(
      (0.11 * 0.89 + 0.09 * 1.21) / (0.09 + 0.11 * 0.89),
      3,
    );
    const mde = minimumDetectableEffect(absolute, total, 0.8)!;
    expect(mde).toBeCloseTo(0.1, 4);
  });

  it('at the computed sample size, a simulated experiment rejects about 80% of the time', () => {
    const total = sampleSizeFor(base, 0.2, 0.8)!;
    const rng = createRng('power');
    const n = Math.ceil(total / 2);
    const runs = 600;
    let rejected = 0;
    const conv = (p: number) => {
      let s = 0;
      for (let i = 0; i < n; i++) if (rng.next() < p) s++;
      return s;
    };
    for (let r = 0; r < runs; r++) {
      const res = analyze({
        metric: { type: 'binomial', inverse: false },
        analysis: {
          engine: 'frequentist',
          difference: 'relative',
          alpha: 0.05,
          test: 'two-sided',
          sequential: null,
          prior: null,
          cuped: false,
          correction: 'none',
        },
        variations: [
          { name: 'a', n, sum: conv(0.1) },
          { name: 'b', n, sum: conv(0.12) },
        ],
      });
      if (res.variations[1]!.pValue! < 0.05) rejected++;
    }
    expect(Math.abs(rejected / runs - 0.8)).toBeLessThan(3 * Math.sqrt(0.16 / runs));
  });

  it('a sequential design needs more traffic than a fixed horizon for the same power', () => {
    const fixed = sampleSizeFor(base, 0.1, 0.8)!;
    const seq = sampleSizeFor({ ...base, sequentialTuning: fixed }, 0.1, 0.8)!;
    expect(seq).toBeGreaterThan(fixed);
  });
});
