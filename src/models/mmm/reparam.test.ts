// The sampler's coordinates must be an exact change of variables: coordinates round-trip, the wrapped
// gradient matches finite differences, and NUTS in the new coordinates recovers a known distribution
// of the model's own parameters (so each log-Jacobian is right).
import { describe, expect, it } from 'vitest';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { naturalOf, onRoiScale, sampledOf, samplerSpace, type RoiScale } from './reparam.js';
import { centralDifference } from '../../../test/helpers/central-difference.js';
import { DEFAULT_OPTIONS, layoutOf, type ModelOptions } from './spec.js';
import { sampleNuts, type BatchedLogDensity } from './sample.js';
import { coordinate, summarize } from './summary.js';

const scale: RoiScale = { at: [0, 2], logMedian: [-0.5, 1.2] };

/** A product of normals in the natural coordinates: u₁ ~ N(0.3, 0.8²), x ~ N(1, 1), u₂ ~ N(1.2, 1.5²). */
const means = [0.3, 1, 1.2];
const sds = [0.8, 1, 1.5];
const normals: BatchedLogDensity = (q, chains) => {
  const logp = new Float64Array(chains);
  const grad = new Float64Array(q.length);
  for (let c = 0; c < chains; c++)
    for (let i = 0; i < 3; i++) {
      const d = (q[c * 3 + i]! - means[i]!) / sds[i]!;
      logp[c]! -= 0.5 * d * d;
      grad[c * 3 + i] = -d / sds[i]!;
    }
  return { logp, grad };
};

describe('ROI scale', () => {
  it('maps coordinates both ways without loss, from near-zero to very large ROI', () => {
    for (const u of [-40, -8, -1, 0, 0.7, 3, 9]) {
      const q = Float64Array.from([u, 0.25, u / 2]);
      const back = naturalOf(scale, sampledOf(scale, q));
      expect(back[0]).toBeCloseTo(u, 9);
      expect(back[1]).toBe(0.25);
      expect(back[2]).toBeCloseTo(u / 2, 9);
    }
  });

  it('is linear in ROI above the prior median and logarithmic towards zero', () => {
    const roiAt = (v: number) => Math.exp(naturalOf(scale, Float64Array.from([v, 0, 0]))[0]!);
    const median = Math.exp(-0.5);
    // Far above: equal steps in v are equal steps in ROI (median / ln 2 per unit).
    expect(roiAt(21) - roiAt(20)).toBeCloseTo(median / Math.LN2, 6);
    // Far below: equal steps in v multiply ROI by e.
    expect(roiAt(-20) / roiAt(-21)).toBeCloseTo(Math.E, 6);
    expect(roiAt(0)).toBeCloseTo(median, 12);
  });

  it('gives the gradient of the wrapped density and its log-Jacobian (central differences)', () => {
    const wrapped = onRoiScale(normals, scale, 3);
    const z = Float64Array.from([-1.3, 0.4, 2.2, 0.9, -0.2, -6]);
    const { grad } = wrapped(z, 2);
    for (let i = 0; i < z.length; i++) {
      const fd = centralDifference(wrapped, z, 2, i);
      expect(Math.abs(fd - grad[i]!)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
    }
  });

  it('NUTS on the ROI scale recovers a known normal log ROI (mean, sd and 5%/95% quantiles)', () => {
    const samples = sampleNuts(onRoiScale(normals, scale, 3), {
      dim: 3,
      chains: 4,
      warmup: 500,
      draws: 1000,
      seed: 11,
    });
    const natural = {
      ...samples,
      chains: samples.chains.map((c) => ({ ...c, draws: c.draws.map((z) => naturalOf(scale, z)) })),
    };
    for (const i of [0, 2]) {
      const s = summarize(coordinate(natural, i));
      const ess = s.essBulk;
      expect(Math.abs(s.mean - means[i]!)).toBeLessThan((4 * sds[i]!) / Math.sqrt(ess));
      expect(Math.abs(s.sd ** 2 - sds[i]! ** 2)).toBeLessThan(4 * sds[i]! ** 2 * Math.sqrt(2 / ess));
      for (const [q, got] of [
        [0.05, s.lower],
        [0.95, s.upper],
      ] as const) {
        const z = normalQuantile(q, 0, 1);
        const density = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI) / sds[i]!;
        const se = Math.sqrt((q * (1 - q)) / s.essTail) / density;
        expect(Math.abs(got - (means[i]! + z * sds[i]!))).toBeLessThan(4 * se);
      }
    }
  });
});

/** Independent normals over a one-channel model's natural coordinates. */
function normalsOver(
  dim: number,
  centre: (i: number) => number,
  sd: (i: number) => number,
): BatchedLogDensity {
  return (q, chains) => {
    const logp = new Float64Array(chains);
    const grad = new Float64Array(q.length);
    for (let c = 0; c < chains; c++)
      for (let i = 0; i < dim; i++) {
        const d = (q[c * dim + i]! - centre(i)) / sd(i);
        logp[c]! -= 0.5 * d * d;
        grad[c * dim + i] = -d / sd(i);
      }
    return { logp, grad };
  };
}

describe.each([
  ['geometric', { adstock: 'geometric' }, false],
  ['geometric-normalized', { adstock: 'geometric-normalized' }, false],
  ['geometric', { adstock: 'geometric' }, true],
  ['geometric', { adstock: 'geometric', saturation: 'logistic' }, true],
] as [string, Partial<ModelOptions>, boolean][])(
  'ROI scale with the Hill logit, %s adstock, %o, pattern by ROI: %s',
  (_, partial, patternByRoi) => {
    const options: ModelOptions = { ...DEFAULT_OPTIONS, ...partial };
    const layout = layoutOf(options, 1, 0);
    const dim = layout.dim;
    const k = layout.channel.start; // [log ROI, decay logit, log K, log shape] or [.., log rate]
    const channelParams = layout.channel.perChannel;
    const centre = (i: number) => [0.2, -0.8, 0.4, 0.1][i - k] ?? 0;
    const sd = (i: number) => [0.9, 1.1, 0.8, 0.4][i - k] ?? 1;
    const natural = normalsOver(dim, centre, sd);
    const anchor = Float64Array.from({ length: dim }, (_, i) => centre(i) + 0.3);
    const space = samplerSpace(
      natural,
      layout,
      options,
      [-0.3],
      { roiScale: true, hillLogit: true, patternByRoi },
      [anchor],
    );

    it('round-trips coordinates and matches the gradient by central differences', () => {
      const q = Float64Array.from({ length: dim }, (_, i) => centre(i) + 0.7 * Math.sin(3 * i + 1));
      const back = space.toNatural(space.toSampled(q));
      for (let i = 0; i < dim; i++) expect(back[i]).toBeCloseTo(q[i]!, 9);
      const z = space.toSampled(q);
      const { grad } = space.density(z, 1);
      for (let i = 0; i < dim; i++) {
        const fd = centralDifference(space.density, z, 1, i);
        expect(Math.abs(fd - grad[i]!)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
      }
    });

    it('NUTS in the sampler coordinates recovers the known normals of every channel parameter', () => {
      const samples = sampleNuts(space.density, {
        dim,
        chains: 4,
        warmup: 500,
        draws: 1000,
        seed: 5,
        metric: 'dense',
      });
      const natural = {
        ...samples,
        chains: samples.chains.map((c) => ({ ...c, draws: c.draws.map(space.toNatural) })),
      };
      for (let i = k; i < k + channelParams; i++) {
        const s = summarize(coordinate(natural, i));
        expect(Math.abs(s.mean - centre(i))).toBeLessThan((4 * sd(i)) / Math.sqrt(s.essBulk));
        expect(Math.abs(s.sd ** 2 - sd(i) ** 2)).toBeLessThan(4 * sd(i) ** 2 * Math.sqrt(2 / s.essBulk));
      }
    });
  },
);
