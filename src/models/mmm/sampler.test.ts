/* eslint-disable @typescript-eslint/no-unnecessary-type-assertion -- tfjs ops return Tensor<Rank>; the casts name the rank we know */
// The sampler against posteriors known in closed form: a conjugate normal model, a correlated 2-D
// Gaussian, and Neal's funnel (which must set off the divergence warning). Tolerances are Monte-Carlo
// errors from the run's own ESS, four standard errors wide.
import { describe, expect, it, beforeAll } from 'vitest';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { tf, useBackend } from './tf.js';
import { fromTensorDensity } from './tensor-density.js';
import { sampleNuts, type Samples } from './sample.js';
import { coordinate, diagnose, summarize } from './summary.js';
import { essBulk, rhat } from './diagnostics.js';
import { createRandom } from './random.js';

const Z = 4; // standard errors allowed
const normalPdf = (z: number) => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);

/** Checks mean, variance and the 5%/95% quantiles of a coordinate against N(mu, sd²). */
function expectNormal(chains: number[][], mu: number, sd: number) {
  const s = summarize(chains);
  const ess = s.essBulk;
  expect(Math.abs(s.mean - mu)).toBeLessThan((Z * sd) / Math.sqrt(ess));
  expect(Math.abs(s.sd ** 2 - sd ** 2)).toBeLessThan(Z * sd ** 2 * Math.sqrt(2 / ess));
  for (const q of [0.05, 0.95]) {
    const z = normalQuantile(q, 0, 1);
    const qse = Math.sqrt((q * (1 - q)) / s.essTail) / (normalPdf(z) / sd);
    const got = q === 0.05 ? s.lower : s.upper;
    expect(Math.abs(got - (mu + z * sd))).toBeLessThan(Z * qse);
  }
  return s;
}

beforeAll(async () => {
  await useBackend('wasm');
});

describe('NUTS on closed-form posteriors', () => {
  it('conjugate normal: known-variance likelihood, normal prior', () => {
    // y_i ~ N(mu, 2²), mu ~ N(1, 3²): posterior precision 1/9 + n/4, mean (1/9 + Σy/4) / precision.
    const y = [3.1, 4.7, 2.2, 5.9, 3.3, 4.1, 1.8, 4.4, 3.9, 5.2];
    const precision = 1 / 9 + y.length / 4;
    const postMean = (1 / 9 + y.reduce((a, b) => a + b, 0) / 4) / precision;
    const yt = tf.tensor1d(y);
    const density = fromTensorDensity((q) => {
      const mu = q.reshape([-1, 1]);
      const lik = yt
        .sub(mu)
        .square()
        .sum(1)
        .mul(-1 / 8);
      const prior = mu
        .reshape([-1])
        .sub(1)
        .square()
        .mul(-1 / 18);
      return lik.add(prior) as tf.Tensor1D;
    }, 1);
    const samples = sampleNuts(density, { dim: 1, chains: 4, warmup: 300, draws: 500, seed: 7 });
    expectNormal(coordinate(samples, 0), postMean, Math.sqrt(1 / precision));
    const d = diagnose(samples);
    expect(d.rhatMax).toBeLessThan(1.01);
    expect(d.divergences).toBe(0);
    yt.dispose();
  });

  it.each(['diag', 'dense'] as const)(
    'correlated 2-D Gaussian (sd 1 and 3, correlation 0.9), %s metric',
    (metric) => {
      const sd = [1, 3];
      const r = 0.9;
      const cov = [
        [sd[0]! ** 2, r * sd[0]! * sd[1]!],
        [r * sd[0]! * sd[1]!, sd[1]! ** 2],
      ];
      const det = cov[0]![0]! * cov[1]![1]! - cov[0]![1]! ** 2;
      const prec = tf.tensor2d([
        [cov[1]![1]! / det, -cov[0]![1]! / det],
        [-cov[1]![0]! / det, cov[0]![0]! / det],
      ]);
      const mu = tf.tensor1d([1, -2]);
      const density = fromTensorDensity((q) => {
        const d = q.sub(mu);
        return d.matMul(prec).mul(d).sum(1).mul(-0.5) as tf.Tensor1D;
      }, 2);
      const samples = sampleNuts(density, { dim: 2, chains: 4, warmup: 400, draws: 600, seed: 3, metric });
      expectNormal(coordinate(samples, 0), 1, 1);
      expectNormal(coordinate(samples, 1), -2, 3);
      const a = coordinate(samples, 0).flat();
      const b = coordinate(samples, 1).flat();
      const ma = a.reduce((s, v) => s + v, 0) / a.length;
      const mb = b.reduce((s, v) => s + v, 0) / b.length;
      const corr =
        a.reduce((s, v, i) => s + (v - ma) * (b[i]! - mb), 0) /
        Math.sqrt(a.reduce((s, v) => s + (v - ma) ** 2, 0) * b.reduce((s, v) => s + (v - mb) ** 2, 0));
      // Fisher's z has sd 1/sqrt(ess - 3).
      const ess = Math.min(
        summarize(coordinate(samples, 0)).essBulk,
        summarize(coordinate(samples, 1)).essBulk,
      );
      expect(Math.abs(Math.atanh(corr) - Math.atanh(r))).toBeLessThan(Z / Math.sqrt(ess - 3));
      expect(diagnose(samples).divergences).toBe(0);
      if (metric === 'dense') {
        // With the covariance learnt the target is a unit Gaussian in z: short trees, and the
        // reported metric diagonal is the posterior variance (1 and 9) within the warm-up's noise.
        const depths = samples.chains.flatMap((c) => c.treeDepth);
        expect(depths.reduce((x, y) => x + y, 0) / depths.length).toBeLessThan(2.6);
        expect(samples.invMass[0]).toBeGreaterThan(0.6);
        expect(samples.invMass[0]).toBeLessThan(1.5);
        expect(samples.invMass[1]).toBeGreaterThan(5.4);
        expect(samples.invMass[1]).toBeLessThan(13.5);
      }
      prec.dispose();
      mu.dispose();
    },
  );

  it("Neal's funnel in the centred form sets off the divergence warning", () => {
    // v ~ N(0, 3²), x_k ~ N(0, exp(v)) for k = 1..4: the neck is too narrow for one step size.
    const density = fromTensorDensity((q) => {
      const v = q.slice([0, 0], [-1, 1]).reshape([-1]);
      const x = q.slice([0, 1], [-1, 4]);
      const lv = v.square().mul(-1 / 18);
      const lx = x.square().sum(1).mul(-0.5).mul(v.neg().exp()).sub(v.mul(2));
      return lv.add(lx) as tf.Tensor1D;
    }, 5);
    const samples = sampleNuts(density, {
      dim: 5,
      chains: 4,
      warmup: 150,
      draws: 150,
      seed: 11,
      maxTreeDepth: 6,
    });
    const d = diagnose(samples);
    expect(d.divergences).toBeGreaterThan(0);
    expect(d.warnings.some((w) => w.includes('divergent'))).toBe(true);
  });

  it('is reproducible by seed and leaks no tensors', () => {
    const density = fromTensorDensity((q) => q.square().sum(1).mul(-0.5) as tf.Tensor1D, 3);
    const before = tf.memory().numTensors;
    const run = (seed: number): Samples =>
      sampleNuts(density, { dim: 3, chains: 2, warmup: 50, draws: 20, seed });
    const a = run(5);
    const b = run(5);
    const c = run(6);
    expect(tf.memory().numTensors).toBe(before);
    expect(a.chains[1]!.draws.at(-1)).toEqual(b.chains[1]!.draws.at(-1));
    expect(a.chains[1]!.draws.at(-1)).not.toEqual(c.chains[1]!.draws.at(-1));
  });
});

describe('diagnostics', () => {
  const iid = (seed: number, chains: number, n: number, shift = 0) => {
    const r = createRandom(seed);
    return Array.from({ length: chains }, (_, c) =>
      Array.from({ length: n }, () => r.normal() + (c === 0 ? shift : 0)),
    );
  };

  it('independent draws: R-hat near 1 and ESS near the draw count', () => {
    const chains = iid(1, 4, 1000);
    expect(Math.abs(rhat(chains) - 1)).toBeLessThan(0.01);
    expect(essBulk(chains)).toBeGreaterThan(3000);
    expect(essBulk(chains)).toBeLessThan(5200);
  });

  it('a chain stuck elsewhere is caught by R-hat', () => {
    expect(rhat(iid(2, 4, 500, 1))).toBeGreaterThan(1.1);
  });

  it('AR(1) draws: ESS near N(1 - φ)/(1 + φ)', () => {
    const phi = 0.8;
    const r = createRandom(4);
    const chains = Array.from({ length: 4 }, () => {
      let x = 0;
      return Array.from({ length: 4000 }, () => (x = phi * x + Math.sqrt(1 - phi * phi) * r.normal()));
    });
    const expected = (16000 * (1 - phi)) / (1 + phi);
    expect(Math.abs(essBulk(chains) / expected - 1)).toBeLessThan(0.2);
  });
});
