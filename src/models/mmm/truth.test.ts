// The MMM against known truth: the simulated world's weekly media (src/sim/media.ts, the generator
// behind `attune sim`'s media.csv and truth.json) with its structural ROI and contribution shares.
// A short run (4 chains × 200 draws after 300 warm-up) to keep the suite fast; the README's per-seed table uses 1,000.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../sim/rng.js';
import { CHANNELS, simulateMedia } from '../../sim/media.js';
import type { MmmData } from './data.js';
import { fitMmm } from './fit.js';
import { useBackend } from './tf.js';

describe('MMM on the simulated world', () => {
  it('covers the true ROI with its 90% intervals and recovers contribution shares', async () => {
    await useBackend('wasm');
    const { weeks, truth } = simulateMedia(createRng(1).fork('media'), new Date(Date.UTC(2022, 0, 3)), 156);
    const data: MmmData = {
      dates: weeks.map((w) => w.weekStart),
      kpi: weeks.map((w) => w.revenue),
      spend: CHANNELS.map((c) => weeks.map((w) => w.spend[c])),
      controls: [weeks.map((w) => w.priceIndex), weeks.map((w) => w.competitorPromo)],
      channels: [...CHANNELS],
      controlNames: ['price_index', 'competitor_promo'],
      periodDays: 7,
    };
    const fit = fitMmm(data, {}, { chains: 4, draws: 200, warmup: 300, seed: 1 });
    // A short warm-up may leave a stray divergence; more than 1% of draws would mean bad geometry.
    expect(fit.diagnostics.divergences).toBeLessThan(8);
    expect(fit.diagnostics.rhatMax).toBeLessThan(1.05);
    let covered = 0;
    for (const c of fit.outputs.channels) {
      const t = truth.channels[c.name as (typeof CHANNELS)[number]];
      if (c.roi.lower <= t.roi && t.roi <= c.roi.upper) covered++;
      expect(Math.abs(c.share.mean - t.contributionShare)).toBeLessThan(0.1);
    }
    expect(covered).toBeGreaterThanOrEqual(4);
  }, 600_000); // ~20 s on a quiet machine, minutes on the shared 2 cores
});
