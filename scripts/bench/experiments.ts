// Experiment analysis at scale and assignment throughput (PostgreSQL server).
//   analysis:   N exposures (half per arm) with orders before, inside and after the attribution window,
//               written straight into the events table. Against a baseline in the same run (one scan
//               that counts the distinct exposed units, the least a recomputation must read): the full
//               recomputation from the events; the first analysis, which builds the kept aggregates;
//               an analysis with nothing new; and an analysis after a slice of late events arrived
//               through the ingest path. The cost of keeping the aggregates: ingest throughput of the
//               same kind of slice before the experiment had aggregates and after.
//   assignment: the hash in-process, and GET /v1/experiments/{key}/assignment over HTTP (with and
//               without recording the exposure) against /healthz in the same server.
// Usage: npm run bench -- experiments [--exposures 1000000,10000000] [--slice 10000] [--skip-full] [--skip-assignment]
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
import { keptArmDayRows } from '../../src/experiments/aggregates.js';
import { ingestBatch } from '../../src/cdp/ingest.js';
import type { Experiment } from '../../src/experiments/definition.js';
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

/**
 * Late events through the ingest path, in batches of 500: for units spread over the whole population,
 * an order inside the window and a repeated exposure. Returns events per second.
 */
async function ingestSlice(
  services: Services,
  sourceId: string,
  n: number,
  count: number,
  start: Date,
  round: number,
) {
  const events: unknown[] = [];
  const context = { consent: { categoryPreferences: { analytics: true, marketing: true } } };
  for (let i = 0; i < count / 2; i++) {
    const g = 1 + ((i * 7919 + round * 104_729) % n);
    const at = start.getTime() + (g % 28) * DAY + (g % 86399) * 1000;
    events.push({
      type: 'track',
      event: 'Order Completed',
      userId: `b${g}`,
      messageId: `late-${round}-${i}`,
      timestamp: new Date(at + DAY).toISOString(),
      properties: { order_id: `late-${round}-${i}`, revenue: 42.5, currency: 'USD', products: [] },
      context,
    });
    events.push({
      type: 'track',
      event: 'Experiment Viewed',
      userId: `b${g}`,
      messageId: `late-x-${round}-${i}`,
      timestamp: new Date(at + 3_600_000).toISOString(),
      properties: { experiment_id: 'bench', variation_id: String(g % 2) },
      context,
    });
  }
  const t0 = performance.now();
  let stored = 0;
  let last: unknown = null;
  for (let i = 0; i < events.length; i += 500) {
    const r = await ingestBatch(services.database, sourceId, events.slice(i, i + 500), {}, new Date());
    stored += r.results.filter((x) => x.status === 'accepted').length;
    last = r.results.find((x) => x.status !== 'accepted') ?? last;
  }
  const persons = [...new Set(events.map((x) => `u:${(x as { userId: string }).userId}`))];
  if (stored !== events.length)
    throw new Error(`ingest slice: ${stored} of ${events.length} events stored (${JSON.stringify(last)})`);
  return { rate: events.length / seconds(t0), persons };
}

async function analysisBench(n: number, slice: number, skipFull: boolean): Promise<void> {
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
    const { sql } = services.database;
    const baseline = async () => {
      const t = performance.now();
      const [base] = await sql<
        { n: string }[]
      >`select count(distinct person_id) as n from cdp_events where event = 'Experiment Viewed' and properties ->> 'experiment_id' = 'bench'`;
      return { s: seconds(t), units: Number(base!.n) };
    };
    const b1 = await baseline();
    say(
      `  baseline (count distinct exposed units: ${b1.units.toLocaleString('en-US')}) ${b1.s.toFixed(2)} s`,
    );
    const ratio = (x: number) => `${x.toFixed(2)} s, ratio ${(x / b1.s).toFixed(2)} of baseline`;
    if (!skipFull) {
      t0 = performance.now();
      const rows = await armDayRows(
        sql,
        e,
        [...e.goalMetrics, ...e.guardrailMetrics],
        { from: start, to: new Date(start.getTime() + 40 * DAY) },
        'marketing',
        e.analysis.cuped,
      );
      say(
        `  full recomputation from the events (SQL only, ${rows.length} arm-day rows) ${ratio(seconds(t0))}`,
      );
    }
    const analysis = async (label: string, x: Experiment) => {
      const t = performance.now();
      const a = await analyzeExperiment(services.database, x, new Date(), {
        onProgress: (stage, done, total) => {
          if (stage === 'catch-up')
            process.stdout.write(`\r  catch-up: ${done} of ${total} people${done === total ? '\n' : ''}`);
        },
      });
      const s = seconds(t);
      if (a.arms.some((arm) => arm.n === 0)) throw new Error('an arm has no units');
      say(`  ${label} ${ratio(s)}`);
      return a;
    };
    await analysis('first analysis, building the kept aggregates (SQL + engine)', e);
    const a = await analysis('analysis from the kept aggregates, nothing new (SQL + engine)', e);
    // The cost of keeping them: slices of late events through the ingest path, alternately with the
    // triggers idle (the experiment's interest and state set aside, its people marked by hand after,
    // so the kept rows stay exact) and working.
    await ingestSlice(services, source.id, n, slice / 2, start, 0); // warm-up: plans, caches, settings
    const rates = { without: [] as number[], with: [] as number[] };
    for (let round = 1; round <= 4; round++) {
      const idle = round % 2 === 1;
      if (idle) {
        await sql`create table bench_interest as select * from experiment_aggregate_events`;
        await sql`create table bench_state as select * from experiment_aggregate_state`;
        await sql`delete from experiment_aggregate_events`;
        await sql`delete from experiment_aggregate_state`;
      }
      const r = await ingestSlice(services, source.id, n, slice / 2, start, round);
      (idle ? rates.without : rates.with).push(r.rate);
      if (idle) {
        await sql`insert into experiment_aggregate_state select * from bench_state`;
        await sql`insert into experiment_aggregate_events select * from bench_interest`;
        await sql`drop table bench_interest, bench_state`;
        await sql`insert into experiment_dirty (experiment_key, person_id)
          select 'bench', p from jsonb_array_elements_text(${JSON.stringify(r.persons)}::jsonb) p on conflict do nothing`;
      }
    }
    await analysis(
      `analysis after ${(2 * slice + slice / 2).toLocaleString('en-US')} late events arrived (catch-up + SQL + engine)`,
      e,
    );
    await analysis('analysis from the kept aggregates again', e);
    if (!skipFull) {
      // The kept rows against a recomputation from the events now: the same units, the same sums.
      const metrics = [...e.goalMetrics, ...e.guardrailMetrics];
      const w = { from: start, to: new Date(start.getTime() + 40 * DAY) };
      const kept = await keptArmDayRows(sql, e, metrics, w, 'marketing', true);
      const full = await armDayRows(sql, e, metrics, w, 'marketing', true);
      let worst = 0;
      if (kept.length !== full.length) throw new Error('kept and recomputed rows differ in number');
      kept.forEach((k, i) => {
        const f = full[i]!;
        if (k.n !== f.n || k.day !== f.day || k.variation !== f.variation)
          throw new Error(`row ${i} differs`);
        k.metrics.forEach((m, j) =>
          Object.entries(m).forEach(([name, v]) => {
            const want = f.metrics[j]![name as keyof typeof m];
            worst = Math.max(worst, Math.abs(v - want) / Math.max(1, Math.abs(want)));
          }),
        );
      });
      say(
        `  kept rows vs a recomputation after the late events: same units per row, largest relative difference of a sum ${worst.toExponential(1)}`,
      );
    }
    const b2 = await baseline();
    say(`  baseline again ${b2.s.toFixed(2)} s`);
    const mean = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / xs.length;
    say(
      `  ingest of late events (batches of 500, 2 × ${(slice / 2).toLocaleString('en-US')} events each way, alternating): ${rates.without.map((x) => x.toFixed(0)).join(', ')} events/s with the triggers idle, ${rates.with.map((x) => x.toFixed(0)).join(', ')} events/s while the aggregates are kept (ratio of means ${(mean(rates.with) / mean(rates.without)).toFixed(2)})`,
    );
    const lift = a.metrics[0]!.result.variations[1]!;
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
    options: {
      exposures: { type: 'string' },
      slice: { type: 'string' },
      'skip-full': { type: 'boolean' },
      'skip-assignment': { type: 'boolean' },
    },
  });
  const sizes = (values.exposures ?? '1000000').split(',').map((s) => Number(s.replace(/_/g, '')));
  if (sizes.some((n) => !Number.isInteger(n) || n < 1000))
    throw new Error('--exposures takes whole numbers ≥ 1000, comma-separated');
  const slice = Number(values.slice ?? 10_000);
  if (!Number.isInteger(slice) || slice < 2 || slice % 2)
    throw new Error('--slice takes an even whole number');
  say('Experiment benchmark (PostgreSQL server)');
  for (const n of sizes) {
    say(`Analysis with ${n.toLocaleString('en-US')} exposures:`);
    await analysisBench(n, slice, values['skip-full'] === true);
  }
  if (!values['skip-assignment']) {
    say('Assignment throughput:');
    await assignmentBench();
  }
}
