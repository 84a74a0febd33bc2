// The fused Float64 density must be the same function as the tfjs model: its value against the
// tfjs log density, its gradient against tfjs autodiff and against central finite differences of
// itself, for every supported adstock × saturation, with and without an ROI prior and a hold-out.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../sim/rng.js';
import { CHANNELS, simulateMedia } from '../../sim/media.js';
import type { MmmData } from './data.js';
import { buildDesign } from './design.js';
import { createFusedDensity } from './fused.js';
import { createMmmModel } from './model.js';
import { createRandom } from './random.js';
import { DEFAULT_OPTIONS, DEFAULT_PRIORS, type ModelOptions } from './spec.js';
import { fromTensorDensity } from './tensor-density.js';
import { useBackend } from './tf.js';
import { centralDifference } from '../../../test/helpers/central-difference.js';

const { weeks } = simulateMedia(createRng(3).fork('media'), new Date(Date.UTC(2023, 0, 2)), 60);
const data: MmmData = {
  dates: weeks.map((w) => w.weekStart),
  kpi: weeks.map((w) => w.revenue),
  spend: CHANNELS.map((c) => weeks.map((w) => w.spend[c])),
  controls: [weeks.map((w) => w.priceIndex)],
  channels: [...CHANNELS],
  controlNames: ['price_index'],
  periodDays: 7,
};

const cases: [string, Partial<ModelOptions>][] = [
  ['geometric × hill', {}],
  [
    'geometric-normalized × logistic, hold-out 6',
    { adstock: 'geometric-normalized', saturation: 'logistic', holdout: 6 },
  ],
  [
    'geometric × hill, ROI prior on video',
    { priors: { ...DEFAULT_PRIORS, roi: { video: { mean: 1, sd: 0.3 } } } },
  ],
];

describe('fused MMM density', () => {
  it.each(cases)('%s: value and gradient match tfjs autodiff and finite differences', async (_, partial) => {
    await useBackend('cpu');
    const opts: ModelOptions = { ...DEFAULT_OPTIONS, ...partial };
    const design = buildDesign(data, opts);
    const model = createMmmModel(design, opts, data.channels);
    const dim = model.layout.dim;
    const fused = createFusedDensity(design, opts, data.channels);
    const tensor = fromTensorDensity(model.logDensity, dim);
    const random = createRandom(7, 0);
    const K = 3;
    const q = Float64Array.from({ length: K * dim }, () => 1.2 * (random.uniform() - 0.5));
    const a = fused(q, K);
    const b = tensor(q, K);
    // tfjs runs in float32: agree to its precision, relative to the size of each quantity.
    for (let c = 0; c < K; c++)
      expect(Math.abs(a.logp[c]! - b.logp[c]!)).toBeLessThan(1e-4 * Math.abs(b.logp[c]!) + 1e-2);
    const gScale = Math.max(...b.grad.map(Math.abs));
    for (let i = 0; i < K * dim; i++)
      expect(Math.abs(a.grad[i]! - b.grad[i]!)).toBeLessThan(2e-4 * gScale + 1e-2);
    // Central differences in float64 of the fused value itself.
    for (let i = 0; i < dim; i++) {
      const fd = centralDifference(fused, q, K, i);
      expect(Math.abs(fd - a.grad[i]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(fd)));
    }
    model.dispose();
  });
});
