// `npm run bench -- mmm [--chains 4 --draws 1000 --warmup 1000 --backends wasm,cpu --gradient fused
//   --target-accept 0.8 --coordinates roi-scale,hill-logit,pattern-by-roi|none]`:
// wall time of a full NUTS fit on 3 years of simulated weekly media (5 channels), per tfjs backend,
// with R-hat, ESS per second and divergences. Baselines measured in the same run: one batched
// log-density gradient by tfjs autodiff on that backend and one by the fused Float64 kernel, so the
// fit's time reads as "gradient evaluations" and the fused kernel's gain is a ratio, not a guess.
import { parseArgs } from 'node:util';
import { createRng } from '../../src/sim/rng.js';
import { CHANNELS, simulateMedia } from '../../src/sim/media.js';
import type { MmmData } from '../../src/models/mmm/data.js';
import { fitMmm } from '../../src/models/mmm/fit.js';
import { buildDesign } from '../../src/models/mmm/design.js';
import { createFusedDensity } from '../../src/models/mmm/fused.js';
import { createMmmModel } from '../../src/models/mmm/model.js';
import type { BatchedLogDensity } from '../../src/models/mmm/sample.js';
import { DEFAULT_OPTIONS } from '../../src/models/mmm/spec.js';
import { fromTensorDensity } from '../../src/models/mmm/tensor-density.js';
import { useBackend, type BackendName } from '../../src/models/mmm/tf.js';

function msPerCall(density: BatchedLogDensity, q: Float64Array, chains: number, n: number): number {
  for (let i = 0; i < Math.ceil(n / 5); i++) density(q, chains);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) density(q, chains);
  return (performance.now() - t0) / n;
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      chains: { type: 'string', default: '4' },
      draws: { type: 'string', default: '1000' },
      warmup: { type: 'string', default: '1000' },
      backends: { type: 'string', default: 'wasm,cpu' },
      gradient: { type: 'string', default: 'fused' },
      'target-accept': { type: 'string', default: '0.8' },
      // The sampler's changes of variables (reparam.ts); `none` samples the model's own coordinates.
      coordinates: { type: 'string', default: 'roi-scale,hill-logit,pattern-by-roi' },
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
    const design = buildDesign(data, DEFAULT_OPTIONS);
    const model = createMmmModel(design, DEFAULT_OPTIONS, data.channels);
    const q = new Float64Array(chains * model.layout.dim).fill(0.1);
    const tfjsMs = msPerCall(fromTensorDensity(model.logDensity, model.layout.dim), q, chains, 50);
    const fusedMs = msPerCall(createFusedDensity(design, DEFAULT_OPTIONS, data.channels), q, chains, 2000);
    const gradientMs = values.gradient === 'tfjs' ? tfjsMs : fusedMs;
    model.dispose();
    let t0 = performance.now();
    t0 = performance.now();
    const fit = fitMmm(
      data,
      {},
      {
        chains,
        draws: Number(values.draws),
        warmup: Number(values.warmup),
        seed: 1,
        gradient: values.gradient === 'tfjs' ? 'tfjs' : 'fused',
        targetAccept: Number(values['target-accept']),
        coordinates: {
          roiScale: values.coordinates.includes('roi-scale'),
          hillLogit: values.coordinates.includes('hill-logit'),
          patternByRoi: values.coordinates.includes('pattern-by-roi'),
        },
      },
      (p) => process.stderr.write(`\r${backend} ${p.phase} ${p.iteration}/${p.total}  `),
    );
    const wall = (performance.now() - t0) / 1000;
    const d = fit.diagnostics;
    process.stdout.write(
      `\n${backend}: ${chains} chains × ${values.draws} draws (+${values.warmup} warm-up), target acceptance ${values['target-accept']}, coordinates ${values.coordinates}, dim ${fit.response.channels.length} channels\n` +
        `  one batched gradient (${chains} chains): tfjs autodiff ${tfjsMs.toFixed(2)} ms (baseline), ` +
        `fused ${fusedMs.toFixed(3)} ms (${(tfjsMs / fusedMs).toFixed(0)}× faster); fit uses ${values.gradient}\n` +
        `  fit wall time ${wall.toFixed(1)} s = ${((wall * 1000) / gradientMs).toFixed(0)} gradient-times; ` +
        `${(d.gradientsPerSecond / chains).toFixed(0)} batched gradients/s during sampling\n` +
        `  R-hat max ${d.rhatMax.toFixed(3)}, ESS bulk min ${d.essBulkMin.toFixed(0)} (${(d.essBulkMin / wall).toFixed(2)}/s), ` +
        `tail min ${d.essTailMin.toFixed(0)}, divergences ${d.divergences}, max tree depth ${d.treeDepthMax}\n`,
    );
  }
}
