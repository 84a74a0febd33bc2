import { describe, expect, it } from 'vitest';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { createRandom, normal } from './rng.js';

describe('normal draws (ziggurat)', () => {
  const n = 200_000;
  const draws = Float64Array.from(
    { length: n },
    (
      (random) => () =>
        normal(random)
    )(createRandom(11)),
  );

  it('follow the standard normal: Kolmogorov–Smirnov distance below the 0.1% critical value', () => {
    const sorted = Float64Array.from(draws).sort();
    let d = 0;
    for (let i = 0; i < n; i++) {
      const f = normalCdf(sorted[i]!, 0, 1);
      d = Math.max(d, Math.abs(f - i / n), Math.abs(f - (i + 1) / n));
    }
    expect(d).toBeLessThan(1.95 / Math.sqrt(n));
  });

  it('mean 0, variance 1, and the tails beyond the base block (|z| > 3.44) as often as they should be', () => {
    let sum = 0;
    let squares = 0;
    let tail = 0;
    for (const z of draws) {
      sum += z;
      squares += z * z;
      if (Math.abs(z) > 3.442619855899) tail++;
    }
    expect(Math.abs(sum / n)).toBeLessThan(4 / Math.sqrt(n));
    // Var of z² is 2: the sample variance's standard error is √(2/n).
    expect(Math.abs(squares / n - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
    const p = 2 * (1 - normalCdf(3.442619855899, 0, 1)); // ≈ 0.000576, about 115 of 200,000
    expect(Math.abs(tail / n - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
  });
});
