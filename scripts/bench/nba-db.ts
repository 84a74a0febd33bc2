// The database's CPU per decision, which a shared two-core machine measures more steadily than a rate:
// decide() itself (no HTTP) in this process, 50 decisions in flight, against the PostgreSQL server
// with the bench's world (`bench nba`'s customers, log and catalogue), so group commit batches them
// as it does under load; the CPU of the database's client backends is read from /proc. Baseline in the
// same run: the very rows these decisions logged, sent again as JSON in batches of the same size and
// inserted into a table of the same shape, indexes and compression (what logging alone costs).
//
//   npm run bench -- nba-db [--decisions 8000] [--rounds 3] [--customers 20000]
//
// Reports the best round of each, µs of database CPU per decision, and the ratio.
import crypto from 'node:crypto';
import postgres from 'postgres';
import { parseArgs } from 'node:util';
import { decide } from '../../src/nba/decide.js';
import type { Database, Sql } from '../../src/platform/db/client.js';
import { backendCpuMs, backendCpuSpent } from './cpu.js';
import { commitsOf, openBenchDatabase, seedBenchWorld } from './nba.js';

/**
 * Database CPU µs per decision of `count` decisions for customers from `first`, 50 in flight. `meter`
 * is a connection of its own, outside the pool: backendCpuMs leaves out the backend that asks, so the
 * backends doing the work must not include it.
 */
async function decisionsCpu(meter: Sql, database: Database, first: number, count: number, customers: number) {
  const devices = ['mobile', 'desktop', 'tablet'];
  let next = 0;
  const before = await backendCpuMs(meter, true);
  const commits = await commitsOf(meter);
  const started = process.cpuUsage();
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      while (next < count) {
        const i = first + next++;
        await decide(
          database,
          {
            customerId: `bench-${(i * 7919) % customers}`,
            placement: 'default',
            context: { device: devices[i % 3] },
          },
          { keyId: 'bench', clock: () => new Date() },
        );
      }
    }),
  );
  const used = process.cpuUsage(started);
  const db = backendCpuSpent(before, await backendCpuMs(meter, true));
  // The statistics reach pg_stat_database within a second or so of each transaction.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  return {
    db: (db * 1000) / count,
    api: (used.user + used.system) / count,
    perBatch: count / ((await commitsOf(meter)) - commits),
  };
}

/** Database CPU µs per row of inserting the last `count` logged decisions again, `batch` rows a statement. */
async function loggingCpu(meter: Sql, sql: Sql, count: number, batch: number) {
  const rows = await sql<{ j: Record<string, unknown> }[]>`
    select to_jsonb(d) as j from nba_decisions d order by decided_at desc limit ${count}`;
  const texts = rows.map((r) => JSON.stringify({ ...r.j, id: crypto.randomUUID() }));
  const before = await backendCpuMs(meter, true);
  for (let k = 0; k < texts.length; k += batch) {
    const json = `[${texts.slice(k, k + batch).join(',')}]`;
    await sql`insert into nba_bench_copy select * from jsonb_populate_recordset(null::nba_bench_copy, ${json}::jsonb)`;
  }
  return (backendCpuSpent(before, await backendCpuMs(meter, true)) * 1000) / texts.length;
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      decisions: { type: 'string', default: '8000' },
      rounds: { type: 'string', default: '3' },
      customers: { type: 'string', default: '20000' },
    },
  });
  const count = Number(values.decisions);
  const rounds = Number(values.rounds);
  const customers = Number(values.customers);
  const { url, services, close } = await openBenchDatabase();
  const meter = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    const { database } = services;
    await seedBenchWorld(database, customers, 100_000);
    await database.sql`create table nba_bench_copy (like nba_decisions including all)`;
    // No autovacuum during the rounds: its workers' CPU would land on whichever round it ran in.
    await database.sql`alter table nba_decisions set (autovacuum_enabled = false)`;
    await database.sql`alter table nba_bench_copy set (autovacuum_enabled = false)`;
    // Warm-up (JIT, plans, caches), not counted.
    await decisionsCpu(meter, database, 0, 2000, customers);
    const d: { db: number; api: number; perBatch: number }[] = [];
    const b: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const run = await decisionsCpu(meter, database, 2000 + r * count, count, customers);
      d.push(run);
      b.push(await loggingCpu(meter, database.sql, count, Math.max(1, Math.round(run.perBatch))));
    }
    const best = d.reduce((x, y) => (y.db < x.db ? y : x));
    // What each logged decision occupies in the table (the row as stored, after any compression).
    const [size] = await meter<{ bytes: number }[]>`
      select avg(pg_column_size(d.*))::float8 as bytes from nba_decisions d where d.decided_at > now() - interval '1 day'`;
    const list = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
    process.stdout.write(
      `Database CPU per decision: decide() in this process against the PostgreSQL server, ${count.toLocaleString('en-US')} decisions × ${rounds} rounds, 50 in flight, ${customers.toLocaleString('en-US')} customers (best round, all rounds in brackets)\n` +
        `plain insert of the logged rows  ${Math.min(...b)
          .toFixed(0)
          .padStart(5)} µs  [${list(b)}]\n` +
        `decisions (nba_decide_many)      ${best.db.toFixed(0).padStart(5)} µs  [${list(d.map((x) => x.db))}]; ${best.perBatch.toFixed(1)} decisions per transaction; this process ${best.api.toFixed(0)} µs\n` +
        `ratio ${(best.db / Math.min(...b)).toFixed(1)} × the plain insert's CPU; ${size!.bytes.toFixed(0)} bytes per logged decision\n`,
    );
  } finally {
    await meter.end();
    await close();
  }
}
