import { createProgress } from '../progress.js';
import path from 'node:path';
import { UsageError, type Command } from '../command.js';
import { cliConfig, cliLogger } from '../context.js';
import { openServices } from '../../services.js';
import { startServer } from '../../server.js';
import { createKey } from '../../platform/auth/store.js';
import { untilSignal } from './serve.js';
import { ensureWorld } from '../../sim/demo-world.js';
import { ensureWorldExperiments, loadDemoWorld } from '../../demo/load-world.js';
import { listExperiments } from '../../experiments/store.js';
import { analyzeExperiment } from '../../experiments/analysis.js';
import { renderReports } from '../../reports/render.js';
import { listChecks } from '../../drift/monitors.js';
import { champion } from '../../models/registry/index.js';
import { PropensityTrainingError, scoreEveryone, trainPropensity } from '../../models/propensity/index.js';
import { readTruth } from './models.js';
import { addDocuments, createEmbedder, listDocumentFiles, readDocumentFile } from '../../content/index.js';
import { fromRoot } from '../../platform/paths.js';
import { ensureDemoCatalogue } from '../../demo/nba-offers.js';

const SCALES = ['small', 'demo'] as const;

export const demoCommand: Command = {
  name: 'demo',
  summary:
    'Start Attune on an embedded database under .attune/demo/, create an admin key and show what to try.',
  usage: 'demo [--scale small|demo] [--no-serve] [--port N] [--data-dir DIR]',
  help: 'Always uses the embedded database (DATABASE_URL is ignored). Running it again reuses the same data.',
  flags: {
    scale: {
      type: 'string',
      description:
        'size of the demo world: small (default, about a minute) | demo (10,000 customers, several minutes the first time)',
    },
    'no-serve': { type: 'boolean', description: 'set everything up, print the key, and exit' },
    port: { type: 'string', description: 'listen port (default PORT or 8787)' },
    'data-dir': { type: 'string', description: 'where the demo database lives (default .attune/demo)' },
  },
  async run({ values }) {
    const scale = (values.scale as string | undefined) ?? 'small';
    if (!(SCALES as readonly string[]).includes(scale))
      throw new UsageError(`--scale must be one of ${SCALES.join(', ')} (got "${scale}").`);
    const dataDir = path.resolve((values['data-dir'] as string | undefined) ?? '.attune/demo');
    const config = cliConfig({
      DATABASE_URL: '',
      ATTUNE_DATA_DIR: dataDir,
      ATTUNE_WORKERS: 'on',
      PORT: values.port as string | undefined,
    });
    const log = cliLogger(config, 'warn');
    const say = (s: string) => process.stdout.write(s + '\n');
    const simulating = createProgress(process.stdout);
    const world = ensureWorld(path.join(dataDir, 'world'), scale as 'small' | 'demo', (f) =>
      simulating.update(f, `  simulating the ${scale} world: ${Math.round(f * 100)}%`),
    );
    simulating.done();
    say(
      `${world.reused ? 'Reusing' : 'Generated'} the simulated ${scale} world in ${world.dir}: ${world.truth.events.total.toLocaleString('en-US')} events from ${world.truth.identity.customers.toLocaleString('en-US')} customers, ${world.truth.experiments.length} experiments (truth in truth.json).`,
    );
    say(`Opening the embedded database in ${dataDir} …`);
    const services = await openServices(config, log, { purpose: 'attune demo', supervise: true });
    try {
      const started = performance.now();
      const loading = createProgress(process.stdout);
      const total = world.truth.events.total;
      const loaded = await loadDemoWorld(services, world.dir, (n) =>
        loading.update(
          n / total,
          `  loading events through ingest: ${n.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`,
        ),
      );
      loading.done();
      if (loaded) {
        const o = loaded.outcomes;
        say(
          `Loaded ${loaded.events.toLocaleString('en-US')} events in ${((performance.now() - started) / 1000).toFixed(0)} s: ${(o.accepted ?? 0).toLocaleString('en-US')} stored, ${(o.duplicate ?? 0).toLocaleString('en-US')} duplicates, ${(o['consent-dropped'] ?? 0).toLocaleString('en-US')} counted without consent, ${(o.quarantined ?? 0).toLocaleString('en-US')} quarantined by the tracking plan, ${(o.suppressed ?? 0).toLocaleString('en-US')} suppressed after ${loaded.erasures} erasures, ${(o.rejected ?? 0).toLocaleString('en-US')} refused.`,
        );
      } else say('The world is already loaded.');
      await ensureWorldExperiments(services, world.dir);
      say('\nExperiments, analysed from the stored events (first goal metric):');
      for (const e of await listExperiments(services.database.db)) {
        const a = await analyzeExperiment(services.database, e, services.clock());
        const lifts = a.metrics[0]!.result.variations.slice(1)
          .map(
            (v) =>
              `${v.name} ${v.estimate === null ? (v.error === 'ZERO_NEGATIVE_VARIANCE' ? 'no variance yet (no conversions in an arm)' : 'n/a') : `${(v.estimate * 100).toFixed(1)}% [${((v.ciLower ?? NaN) * 100).toFixed(1)}, ${((v.ciUpper ?? NaN) * 100).toFixed(1)}]`}`,
          )
          .join('; ');
        say(
          `  ${e.key.padEnd(20)} ${a.arms
            .map((x) => x.n)
            .join(' / ')
            .padEnd(14)} ${lifts}\n  ${''.padEnd(20)} → ${a.verdict.text}`,
        );
      }
      // The brand's pages (English and German) and the catalogue's product pages into the corpus.
      const pages = listDocumentFiles([fromRoot('fixtures/brand/pages')]);
      const added = await addDocuments(
        services.database,
        createEmbedder(config.openai),
        pages.map((f) => readDocumentFile(f)),
        services.clock(),
      );
      const chunks = added.reduce((n, a) => n + (a.result?.chunks ?? 0), 0);
      say(
        `\nContent corpus: ${added.filter((a) => a.result).length} of ${pages.length} brand pages indexed (${chunks} chunks; try \`attune content search "water for green tea"\`).`,
      );
      if (!(await listChecks(services.database, { limit: 1 })).length) {
        // A history for the drift report: the monitors over the world's last twelve weeks, once.
        await services.queue.registry.runInline('drift.monitors', { backfillWeeks: 12 }, log);
      }
      const existing = await champion(services.database, 'propensity');
      if (existing) {
        say(
          `\nPropensity model v${existing.version} (${existing.algorithm}) serves: validation AUC ${Number(existing.metrics.auc).toFixed(3)}.`,
        );
      } else {
        const training = createProgress(process.stdout);
        try {
          const r = await trainPropensity(services.database, {
            actor: 'attune demo',
            truth: readTruth(path.join(world.dir, 'customers.csv')),
            onProgress: (f, note) =>
              training.update(f, `  training the propensity model: ${Math.round(f * 100)}% ${note}`),
          });
          training.done();
          const scored = await scoreEveryone(services.database, services.clock());
          const ci = r.evaluation.intervals.auc;
          say(
            `\nPropensity model v${r.version} (${r.algorithm}, best of ${r.candidates.map((c) => `${c.kind} ${c.auc.toFixed(3)}`).join(', ')}): validation AUC ${r.metrics.auc.toFixed(3)} [${ci.lower.toFixed(3)}, ${ci.upper.toFixed(3)}] on ${r.dataWindow.validationRows.toLocaleString('en-US')} customers` +
              (r.ceilingAuc !== undefined
                ? `; the true probabilities reach ${r.ceilingAuc.toFixed(3)} on the same customers (the ceiling)`
                : '') +
              `. Scored ${scored?.scored.toLocaleString('en-US') ?? 0} customers.`,
          );
        } catch (err) {
          training.done();
          if (!(err instanceof PropensityTrainingError)) throw err;
          say(`\nNo propensity model: ${err.message}.`);
        }
      }
      const offersAdded = await ensureDemoCatalogue(services.database);
      say(
        offersAdded
          ? `\nNext best action: loaded the world's six offers and a non-personal default into the catalogue (try POST /v1/decisions).`
          : `\nNext best action: the catalogue is already loaded.`,
      );
      const reports = await renderReports(
        { database: services.database, now: services.clock() },
        { outDir: config.reportsDir },
      );
      say(
        `\nRendered ${reports.filter((r) => r.status === 'ok').length} reports into ${config.reportsDir} (open index.html; the reports.render job refreshes them hourly).`,
      );
      for (const r of reports.filter((x) => x.status === 'failed')) say(`  ${r.file} failed: ${r.error}`);
      const admin = await createKey(services.database.db, {
        name: `demo admin ${new Date().toISOString().slice(0, 16)}`,
        role: 'admin',
        createdBy: 'attune demo',
      });
      if (values['no-serve']) {
        say(`Demo database ready in ${dataDir}.\nAdmin key (shown once): ${admin.key}`);
        await services.close();
        return 0;
      }
      const running = await startServer(services);
      const u = running.url;
      say(
        [
          '',
          `Attune is running on the embedded database (${dataDir}).`,
          '',
          `  Admin key (shown once, store it now): ${admin.key}`,
          '',
          `  API              ${u}/v1`,
          `  Health           ${u}/healthz   ${u}/readyz`,
          `  API description  ${u}/openapi.json`,
          `  Reports          ${u}/ui   (sign in with the admin key)`,
          `  SEO briefs       ${u}/ui/briefs   (review queue; editor or admin key)`,
          `  Wire protocol    ${services.database.displayUrl}   (psql, drizzle-kit)`,
          '',
          'Try:',
          `  curl -s -H "Authorization: Bearer ${admin.key}" ${u}/v1/me`,
          `  curl -s -H "Authorization: Bearer ${admin.key}" ${u}/v1/experiments/email-subject-line/results`,
          `  curl -s -H "Authorization: Bearer ${admin.key}" ${u}/v1/models`,
          `  curl -s -H "Authorization: Bearer ${admin.key}" -H 'content-type: application/json' -d '{"keyword":"cold brew coffee"}' ${u}/v1/briefs`,
          `  curl -s -H "Authorization: Bearer ${admin.key}" -H 'content-type: application/json' -d '{"customerId":"kc_0000001","context":{"device":"mobile"}}' ${u}/v1/decisions`,
          `  curl -s -H "Authorization: Bearer ${admin.key}" -H 'content-type: application/json' -d '{"name":"analyst","role":"analyst"}' ${u}/v1/keys`,
          `  curl -s -H "Authorization: Bearer ${admin.key}" -H 'content-type: application/json' -d '{"type":"db.analyze"}' ${u}/v1/jobs`,
          '',
          'Ctrl-C stops it; `npm run demo` again picks up the same data.',
        ].join('\n'),
      );
      return await untilSignal(
        async () => {
          await running.close();
          await services.close();
        },
        { info: () => undefined },
      );
    } catch (err) {
      await services.close();
      throw err;
    }
  },
};
