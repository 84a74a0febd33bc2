// Marginal ROI must come from more spend under the same fitted β. The model derives β from ROI and
// the fitted spend, so a forward pass that re-derived it for 1% more spend would return the same
// total contribution and a marginal ROI of zero (a bug once shipped). With logistic saturation, the
// raised total rises, and by less than 1% (tanh is concave), for every channel and every draw.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../sim/rng.js';
import { CHANNELS, simulateMedia } from '../../sim/media.js';
import { tf } from './tf.js';
import type { MmmData } from './data.js';
import { buildDesign } from './design.js';
import { createMmmModel } from './model.js';
import { createRandom } from './random.js';
import { DEFAULT_OPTIONS, type ModelOptions } from './spec.js';
import { useBackend } from './tf.js';

describe('forward pass with raised spend', () => {
  it('keeps β and raises each channel’s contribution by between 0 and 1% for 1% more spend', async () => {
    await useBackend('cpu');
    const { weeks } = simulateMedia(createRng(4).fork('media'), new Date(Date.UTC(2023, 0, 2)), 60);
    const data: MmmData = {
      dates: weeks.map((w) => w.weekStart),
      kpi: weeks.map((w) => w.revenue),
      spend: CHANNELS.map((c) => weeks.map((w) => w.spend[c])),
      controls: [],
      channels: [...CHANNELS],
      controlNames: [],
      periodDays: 7,
    };
    const options: ModelOptions = { ...DEFAULT_OPTIONS, saturation: 'logistic' };
    const design = buildDesign(data, options);
    const model = createMmmModel(design, options, data.channels);
    const random = createRandom(9, 0);
    const K = 3;
    const q = tf.tensor2d(
      Array.from({ length: K * model.layout.dim }, () => 0.3 * (random.uniform() - 0.5)),
      [K, model.layout.dim],
    );
    const raised = tf.tensor3d(design.lagged).mul<tf.Tensor3D>(1.01);
    const base = model.forward(q);
    const up = model.forward(q, raised);
    expect(up.beta.arraySync()).toEqual(base.beta.arraySync());
    const total = (x: tf.Tensor3D) => x.sum(2).arraySync() as number[][];
    const b = total(base.contributions);
    const u = total(up.contributions);
    for (let k = 0; k < K; k++)
      for (let c = 0; c < CHANNELS.length; c++) {
        const ratio = u[k]![c]! / b[k]![c]!;
        expect(ratio).toBeGreaterThan(1 + 1e-5);
        expect(ratio).toBeLessThan(1.01);
      }
    [q, raised, ...Object.values(base), ...Object.values(up)].forEach((x) => x.dispose());
    model.dispose();
  });
});
