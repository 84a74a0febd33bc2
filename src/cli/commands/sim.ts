import { createProgress } from '../progress.js';
import fs from 'node:fs';
import path from 'node:path';
import { UsageError, type Command } from '../command.js';
import { SCALES, type Scale } from '../../sim/world.js';
import { writeWorld } from '../../sim/output.js';

export const simCommand: Command = {
  name: 'sim',
  summary:
    'Generate the simulated marketing world (events, media, experiments, offers) and the truth behind it.',
  usage: 'sim --out DIR [--seed N] [--scale small|demo|large]',
  help: 'The same seed and scale give byte-identical files on every machine. See README "The simulated world".',
  flags: {
    seed: { type: 'string', description: 'random seed (default 1)' },
    scale: { type: 'string', description: `${Object.keys(SCALES).join(' | ')} (default small)` },
    out: { type: 'string', description: 'output directory (created; existing world files are replaced)' },
    quiet: { type: 'boolean', description: 'no progress line' },
  },
  run({ values }) {
    const out = values.out;
    if (typeof out !== 'string' || !out) throw new UsageError('--out DIR is required.');
    const scale = (values.scale as string | undefined) ?? 'small';
    if (!(scale in SCALES))
      throw new UsageError(`--scale must be one of ${Object.keys(SCALES).join(', ')} (got "${scale}").`);
    const seed = Number((values.seed as string | undefined) ?? '1');
    if (!Number.isInteger(seed) || seed < 0) throw new UsageError('--seed must be a non-negative integer.');
    const started = performance.now();
    let peakRss = process.memoryUsage().rss;
    const progress = createProgress(process.stderr, { quiet: Boolean(values.quiet) });
    const world = writeWorld(
      {
        seed,
        scale: scale as Scale,
        onProgress: (f) => {
          peakRss = Math.max(peakRss, process.memoryUsage().rss);
          progress.update(f, `simulating ${scale} world: ${Math.round(f * 100)}%`);
        },
      },
      path.resolve(out),
    );
    progress.done();
    const seconds = (performance.now() - started) / 1000;
    const bytes = fs
      .readdirSync(path.join(out, 'events'))
      .reduce((s, f) => s + fs.statSync(path.join(out, 'events', f)).size, 0);
    const t = world.truth;
    process.stdout.write(
      [
        `Wrote the ${scale} world (seed ${seed}) to ${out} in ${seconds.toFixed(1)} s, peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB.`,
        `  ${t.events.total.toLocaleString('en-US')} events (${(bytes / 2 ** 20).toFixed(1)} MiB): ${Object.entries(
          t.events.bySource,
        )
          .map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`)
          .join(', ')}`,
        `  ${t.identity.customers.toLocaleString('en-US')} customers, ${t.identity.signedUp.toLocaleString('en-US')} signed up, ${t.consent.erasureRequests} erasure requests`,
        `  ${t.experiments.length} experiments, ${t.offers.length} offers, ${t.media.weeks} weeks of media; best achievable 30-day AUC ${t.propensity.expectedBayesAuc.toFixed(3)}`,
        `  truth: ${path.join(out, 'truth.json')}`,
      ].join('\n') + '\n',
    );
    return Promise.resolve(0);
  },
};
