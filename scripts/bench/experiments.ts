// Experiment analysis at scale and assignment throughput (PostgreSQL server).
//   analysis:   N exposures (half per arm) with orders before, inside and after the attribution window,
//               written straight into the events table; then the full analysis (SQL aggregation to
//               sufficient statistics + the engine), against a baseline in the same run: one scan that
//               counts the distinct exposed units (the least any analysis must read).
//   assignment: the hash in-process, and GET /v1/experiments/{key}/assignment over HTTP (with and
//               without recording the exposure) against /healthz in the same server.
// Usage: npm run bench -- experiments [--exposures 1000000,10000000] [--skip-assignment]
import { parseArgs } from 'node:util';
import { parseConfig } from '../../src/platform/config.js';
import { createLogger } from '../../src/platform/log.js';
import { openServices, type Services } from '../../src/services.js';
import { startServer } from '../../src/server.js';
import { createKey } from '../../src/platform/auth/store.js';
import { CreateExperimentSchema } from '../../src/experiments/definition.js';
import { createExperiment } from '../../src/experiments/store.js';
import { analyzeExperiment } from '../../src/experiments/analysis.js';
import { armDayRows } from '../../src/experiments/metrics-sql.js';
import { assignVariation } from '../../src/experiments/assignment.js';
import { createTestDatabase } from '../../test/helpers/databases.js';

const DAY = 86_400_000;
const say = (s: string) => process.stdout.write(s + '\n');
const seconds = (t0: number) => (performance.now() - t0) / 1000;

export async function seed(services: Services, n: number, start: Date, sourceId: string): Promise<void> {
  const { sql } = services.database;
  await sql`select attune_ensure_event_partitions(${start.toISOString()}::date, 3)`;
  const chunk = 1_000_000;
  for (let lo = 1; lo <= n; lo += chunk) {
    const hi = Math.min(n, lo + chunk - 1);
    await sql`insert into cdp_consent_state (person_id, categories, at, ledger_id)
      select 'u:b' || g, '{"analytics": true, "marketing": true}'::jsonb, now(), 0 from generate_series(${lo}::int, ${hi}::int) g`;
    // Exposure spread over 28 days; arm by parity (so each day holds one arm: 28 arm-day rows). Orders: 15% (control) / 17% (treatment) inside the
    // window, 20% in the CUPED lookback, 5% after the window.
    await sql`insert into cdp_events (source_id, message_id, type, event, person_id, user_id, properties, context, consent, "timestamp", received_at)
      select ${sourceId}::uuid, 'x' || g, 'track', 'Experiment Viewed', 'u:b' || g, 'b' || g,
             jsonb_build_object('experiment_id', 'bench', 'variation_id', (g % 2)::text), '{}'::jsonb, '{"analytics": true, "marketing": true}'::jsonb,
             ${start.toISOString()}::timestamptz + (g % 28) * interval '1 day' + (g % 86399) * interval '1 second', now()
      from generate_series(${lo}::int, ${hi}::int) g`;
    await sql`insert into cdp_events (source_id, message_id, type, event, person_id, user_id, properties, context, consent, "timestamp", received_at)
      select ${sourceId}::uuid, 'o' || g || '-' || k, 'track', 'Order Completed', 'u:b' || g, 'b' || g,
             jsonb_build_object('order_id', g || '-' || k, 'revenue', 20 + (g * 7 + k) % 60, 'currency', 'USD', 'products', '[]'::jsonb), '{}'::jsonb, '{}'::jsonb,
             ${start.toISOString()}::timestamptz + (g % 28) * interval '1 day' + (g % 86399) * interval '1 second' + k * interval '1 day', now()
      from generate_series(${lo}::int, ${hi}::int) g, (values (2), (-3), (9)) as offs(k)
      where (k = 2 and abs(hashint4(g)) % 100 < 15 + 2 * (g % 2)) or (k = -3 and abs(hashint4(g + 1000003)) % 100 < 20) or (k = 9 and abs(hashint4(g + 2000003)) % 100 < 5)`;
    process.stdout.write(
      `\r  seeding: ${hi.toLocaleString('en-US')} of ${n.toLocaleString('en-US')} exposures`,
    );
  }
  process.stdout.write('\n');
  await sql`analyze cdp_events`;
  await sql`analyze cdp_consent_state`;
}

async function analysisBench(n: number): Promise<void> {
  const tdb = await createTestDatabase('server', { ATTUNE_WORKERS: 'off' });
  const config = parseConfig({
    DATABASE_URL: (tdb.config.database as { url: string }).url,
    ATTUNE_WORKERS: 'off',
    LOG_LEVEL: 'silent',
  });
  const services = await openServices(config, createLogger('silent'), { purpose: 'bench', supervise: false });
  try {
    const start = new Date(Date.UTC(2026, 5, 1));
    const source = await createKey(services.database.db, {
      name: 'bench source',
      role: 'source',
      createdBy: 'bench',
    });
    let t0 = performance.now();
    await seed(services, n, start, source.id);
    say(`  seeded ${n.toLocaleString('en-US')} exposures and their orders in ${seconds(t0).toFixed(0)} s`);
    const e = await createExperiment(
      services.database.db,
      CreateExperimentSchema.parse({
        key: 'bench',
        hypothesis: 'bench',
        purpose: 'marketing',
        startAt: start.toISOString(),
        stopAt: new Date(start.getTime() + 40 * DAY).toISOString(),
        status: 'stopped',
        variations: [
          { id: '0', name: 'control', weight: 0.5, cost: { perExposure: 0.01 } },
          { id: '1', name: 'treatment', weight: 0.5, cost: { perExposure: 0.02 } },
        ],
        goalMetrics: [
          { name: 'purchase', type: 'binomial', event: 'Order Completed' },
          {
            name: 'revenue',
            type: 'mean',
            event: 'Order Completed',
            property: 'revenue',
            capPercentile: 0.99,
          },
        ],
        analysis: {
          engine: 'frequentist',
          difference: 'relative',
          alpha: 0.05,
          test: 'two-sided',
          sequential: { tuning: 5000 },
          prior: null,
          cuped: true,
          correction: 'holm',
        },
      }),
      'bench',
      new Date(),
    );

    t0 = performance.now();
    const [base] = await services.database.sql<
      { n: string }[]
    >`select count(distinct person_id) as n from cdp_events where event = 'Experiment Viewed' and properties ->> 'experiment_id' = 'bench'`;
    const baseline = seconds(t0);
    t0 = performance.now();
    const rows = await armDayRows(
      services.database.sql,
      e,
      [...e.goalMetrics, ...e.guardrailMetrics],
      { from: start, to: new Date(start.getTime() + 40 * DAY) },
      'marketing',
      e.analysis.cuped,
    );
    const sqlOnly = seconds(t0);
    t0 = performance.now();
    const a = await analyzeExperiment(services.database, e, new Date());
    const full = seconds(t0);
    const lift = a.metrics[0]!.result.variations[1]!;
    say(
      `  baseline (count distinct exposed units: ${Number(base!.n).toLocaleString('en-US')}) ${baseline.toFixed(2)} s`,
    );
    say(
      `  aggregation in SQL (${rows.length} arm-day rows) ${sqlOnly.toFixed(2)} s, ratio ${(sqlOnly / baseline).toFixed(2)} of baseline`,
    );
    say(
      `  full analysis (SQL + engine, 2 metrics, CUPED, sequential, cumulative series) ${full.toFixed(2)} s, ratio ${(full / baseline).toFixed(2)} of baseline`,
    );
    say(
      `  result: n = ${a.arms.map((x) => x.n.toLocaleString('en-US')).join(' / ')}, purchase lift ${(lift.estimate! * 100).toFixed(2)}% [${(lift.ciLower! * 100).toFixed(2)}, ${(lift.ciUpper! * 100).toFixed(2)}], SRM p = ${a.srm.pValue.toFixed(3)}`,
    );
  } finally {
    await services.close();
    await tdb.drop();
  }
}

async function rate(
  url: string,
  headers: Record<string, string>,
  ms = 5000,
  concurrency = 16,
): Promise<number> {
  let done = 0;
  const until = performance.now() + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      let i = 0;
      while (performance.now() < until) {
        const res = await fetch(url.replace('{user}', `user-${w}-${i++}`), { headers });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`${url}: ${res.status}`);
        done++;
      }
    }),
  );
  return done / (ms / 1000);
}

async function assignmentBench(): Promise<void> {
  let t0 = performance.now();
  let sink = 0;
  const N = 2_000_000;
  for (let i = 0; i < N; i++) sink += assignVariation('bench-seed', `user-${i}`, [0.5, 0.5]);
  say(`  in-process hash: ${(N / seconds(t0)).toFixed(0)} assignments/s (checksum ${sink})`);

  const tdb = await createTestDatabase('server', { ATTUNE_WORKERS: 'off' });
  const config = parseConfig({
    DATABASE_URL: (tdb.config.database as { url: string }).url,
    PORT: '0',
    ATTUNE_WORKERS: 'off',
    LOG_LEVEL: 'silent',
  });
  const services = await openServices(config, createLogger('silent'), { purpose: 'bench', supervise: false });
  const running = await startServer(services);
  try {
    const { key } = await createKey(services.database.db, {
      name: 'bench crm',
      role: 'crm',
      createdBy: 'bench',
    });
    await createExperiment(
      services.database.db,
      CreateExperimentSchema.parse({
        key: 'bench',
        hypothesis: 'bench',
        purpose: 'marketing',
        variations: [
          { name: 'a', weight: 0.5 },
          { name: 'b', weight: 0.5 },
        ],
        goalMetrics: [{ name: 'purchase', type: 'binomial', event: 'Order Completed' }],
      }),
      'bench',
      new Date(),
    );
    // Consent for every user the clients will ask about, as a CDP would have it.
    await services.database.sql`insert into cdp_consent_state (person_id, categories, at, ledger_id)
      select 'u:user-' || w || '-' || i, '{"analytics": true, "marketing": true}'::jsonb, now(), 0 from generate_series(0, 15) w, generate_series(0, 200000) i`;
    t0 = performance.now();
    const health = await rate(`${running.url}/healthz`, {});
    const auth = { authorization: `Bearer ${key}` };
    const assign = await rate(`${running.url}/v1/experiments/bench/assignment?userId={user}`, auth);
    const record = await rate(
      `${running.url}/v1/experiments/bench/assignment?userId={user}&recordExposure=true`,
      auth,
    );
    say(
      `  HTTP, 16 clients: /healthz ${health.toFixed(0)} req/s; assignment ${assign.toFixed(0)} req/s (ratio ${(assign / health).toFixed(2)}); assignment + recorded exposure ${record.toFixed(0)} req/s (ratio ${(record / health).toFixed(2)})`,
    );
  } finally {
    await running.close();
    await services.close();
    await tdb.drop();
  }
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { exposures: { type: 'string' }, 'skip-assignment': { type: 'boolean' } },
  });
  const sizes = (values.exposures ?? '1000000').split(',').map((s) => Number(s.replace(/_/g, '')));
  if (sizes.some((n) => !Number.isInteger(n) || n < 1000))
    throw new Error('--exposures takes whole numbers ≥ 1000, comma-separated');
  say('Experiment benchmark (PostgreSQL server)');
  for (const n of sizes) {
    say(`Analysis with ${n.toLocaleString('en-US')} exposures:`);
    await analysisBench(n);
  }
  if (!values['skip-assignment']) {
    say('Assignment throughput:');
    await assignmentBench();
  }
}
