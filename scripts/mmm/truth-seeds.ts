// `npx tsx scripts/mmm/truth-seeds.ts --seeds 1,2,3 [--chains 4 --draws 1000 --warmup 1000 --target-accept 0.8 --sampler-seed 1]`: the
// MMM on several simulated worlds (src/sim/media.ts, the generator of `attune sim`'s media.csv and
// truth.json), each against its known ROI and contribution shares. Prints the README's table rows
// and writes one JSON per seed to --out. Not a test: a full 4 × 1,000 fit takes minutes per seed.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createRng } from '../../src/sim/rng.js';
import { CHANNELS, simulateMedia } from '../../src/sim/media.js';
import type { MmmData } from '../../src/models/mmm/data.js';
import { fitMmm } from '../../src/models/mmm/fit.js';
import { useBackend } from '../../src/models/mmm/tf.js';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '1,2,3' },
    chains: { type: 'string', default: '4' },
    draws: { type: 'string', default: '1000' },
    warmup: { type: 'string', default: '1000' },
    'target-accept': { type: 'string', default: '0.8' },
    'sampler-seed': { type: 'string', default: '1' },
    out: { type: 'string', default: '/tmp/mmm-truth' },
    coordinates: { type: 'string', default: 'roi-scale,hill-logit,pattern-by-roi' },
  },
});

await useBackend('wasm');
fs.mkdirSync(values.out, { recursive: true });
const rows: string[] = [];
for (const seed of values.seeds.split(',').map(Number)) {
  const { weeks, truth } = simulateMedia(createRng(seed).fork('media'), new Date(Date.UTC(2022, 0, 3)), 156);
  const data: MmmData = {
    dates: weeks.map((w) => w.weekStart),
    kpi: weeks.map((w) => w.revenue),
    spend: CHANNELS.map((c) => weeks.map((w) => w.spend[c])),
    controls: [weeks.map((w) => w.priceIndex), weeks.map((w) => w.competitorPromo)],
    channels: [...CHANNELS],
    controlNames: ['price_index', 'competitor_promo'],
    periodDays: 7,
  };
  const started = performance.now();
  const fit = fitMmm(
    data,
    {},
    {
      chains: Number(values.chains),
      draws: Number(values.draws),
      warmup: Number(values.warmup),
      seed: Number(values['sampler-seed']),
      targetAccept: Number(values['target-accept']),
      coordinates: {
        roiScale: values.coordinates.includes('roi-scale'),
        hillLogit: values.coordinates.includes('hill-logit'),
        patternByRoi: values.coordinates.includes('pattern-by-roi'),
      },
    },
    (p) => process.stderr.write(`\rseed ${seed} ${p.phase} ${p.iteration}/${p.total}   `),
  );
  const wall = (performance.now() - started) / 1000;
  const perChannel = fit.outputs.channels.map((c) => {
    const t = truth.channels[c.name as (typeof CHANNELS)[number]];
    return {
      channel: c.name,
      roi: c.roi,
      trueRoi: t.roi,
      covered: c.roi.lower <= t.roi && t.roi <= c.roi.upper,
      share: c.share.mean,
      trueShare: t.contributionShare,
      shareError: Math.abs(c.share.mean - t.contributionShare),
    };
  });
  const d = fit.diagnostics;
  const worst = perChannel.reduce((a, b) => (b.shareError > a.shareError ? b : a));
  const row =
    `| ${seed} | ${wall.toFixed(0)} s | ${d.rhatMax.toFixed(3)} | ${d.essBulkMin.toFixed(0)} / ${d.essTailMin.toFixed(0)} | ` +
    `${d.divergences} | ${perChannel.filter((c) => c.covered).length} of ${perChannel.length} | ` +
    `${worst.shareError.toFixed(3)} (${worst.channel}) |`;
  rows.push(row);
  fs.writeFileSync(
    path.join(values.out, `seed-${seed}.json`),
    JSON.stringify({ seed, wall, diagnostics: d, channels: perChannel }, null, 1),
  );
  process.stdout.write(`\n${row}\n`);
  for (const c of perChannel)
    process.stdout.write(
      `  ${c.channel}: ROI ${c.roi.mean.toFixed(2)} [${c.roi.lower.toFixed(2)}, ${c.roi.upper.toFixed(2)}] vs ${c.trueRoi.toFixed(2)}` +
        `${c.covered ? '' : ' (missed)'}; share ${c.share.toFixed(3)} vs ${c.trueShare.toFixed(3)}\n`,
    );
}
process.stdout.write(`\n${rows.join('\n')}\n`);
