// `npm run bench -- mmm [--chains 4 --draws 1000 --warmup 1000 --backends wasm,cpu]`: wall time of a
// full NUTS fit on 3 years of simulated weekly media (5 channels), per backend, with R-hat, ESS per
// second and divergences. Baseline measured in the same run: one batched log-density gradient, so
// the fit's time reads as "gradient evaluations"; the sampler's overhead is the rest.
import { parseArgs } from 'node:util';
import { createRng } from '../../src/sim/rng.js';
import { CHANNELS, simulateMedia } from '../../src/sim/media.js';
import type { MmmData } from '../../src/models/mmm/data.js';
import { fitMmm } from '../../src/models/mmm/fit.js';
import { buildDesign } from '../../src/models/mmm/design.js';
import { createMmmModel } from '../../src/models/mmm/model.js';
import { DEFAULT_OPTIONS } from '../../src/models/mmm/spec.js';
import { fromTensorDensity } from '../../src/models/mmm/tensor-density.js';
import { useBackend, type BackendName } from '../../src/models/mmm/tf.js';

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      chains: { type: 'string', default: '4' },
      draws: { type: 'string', default: '1000' },
      warmup: { type: 'string', default: '1000' },
      backends: { type: 'string', default: 'wasm,cpu' },
    },
  });
  const { weeks } = simulateMedia(createRng(1).fork('media'), new Date(Date.UTC(2022, 0, 3)), 156);
  const data: MmmData = {
    dates: weeks.map((w) => w.weekStart),
    kpi: weeks.map((w) => w.revenue),
    spend: CHANNELS.map((c) => weeks.map((w) => w.spend[c])),
    controls: [weeks.map((w) => w.priceIndex), weeks.map((w) => w.competitorPromo)],
    channels: [...CHANNELS],
    controlNames: ['price_index', 'competitor_promo'],
    periodDays: 7,
  };
  const chains = Number(values.chains);
  for (const backend of values.backends.split(',') as BackendName[]) {
    await useBackend(backend);
    const model = createMmmModel(buildDesign(data, DEFAULT_OPTIONS), DEFAULT_OPTIONS, data.channels);
    const density = fromTensorDensity(model.logDensity, model.layout.dim);
    const q = new Float64Array(chains * model.layout.dim).fill(0.1);
    for (let i = 0; i < 10; i++) density(q, chains);
    let t0 = performance.now();
    for (let i = 0; i < 50; i++) density(q, chains);
    const gradientMs = (performance.now() - t0) / 50;
    model.dispose();
    t0 = performance.now();
    const fit = fitMmm(
      data,
      {},
      { chains, draws: Number(values.draws), warmup: Number(values.warmup), seed: 1 },
      (p) => process.stderr.write(`\r${backend} ${p.phase} ${p.iteration}/${p.total}  `),
    );
    const wall = (performance.now() - t0) / 1000;
    const d = fit.diagnostics;
    process.stdout.write(
      `\n${backend}: ${chains} chains × ${values.draws} draws (+${values.warmup} warm-up), dim ${fit.response.channels.length} channels\n` +
        `  one batched gradient (${chains} chains): ${gradientMs.toFixed(2)} ms (baseline)\n` +
        `  fit wall time ${wall.toFixed(1)} s = ${((wall * 1000) / gradientMs).toFixed(0)} gradient-times; ` +
        `${(d.gradientsPerSecond / chains).toFixed(0)} batched gradients/s during sampling\n` +
        `  R-hat max ${d.rhatMax.toFixed(3)}, ESS bulk min ${d.essBulkMin.toFixed(0)} (${(d.essBulkMin / wall).toFixed(2)}/s), ` +
        `tail min ${d.essTailMin.toFixed(0)}, divergences ${d.divergences}, max tree depth ${d.treeDepthMax}\n`,
    );
  }
}
