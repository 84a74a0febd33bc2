// Ingest throughput: the simulated world through POST /v1/batch with concurrent HTTP clients
// against the PostgreSQL server, and, in the same run, a raw COPY of the rows it stored into a
// table of the same shape: the ceiling. Reports events/s, p50/p99 batch latency and the ratio.
//
//   npm run bench -- ingest [--scale large|demo|small] [--events N|all] [--concurrency C] [--batch B]
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../../src/platform/config.js';
import { createLogger } from '../../src/platform/log.js';
import { openServices } from '../../src/services.js';
import { createKey } from '../../src/platform/auth/store.js';
import { putSourceSettings } from '../../src/cdp/index.js';
import { writeWorld } from '../../src/sim/output.js';
import { SOURCES, type SourceName } from '../../src/sim/wire.js';
import type { Scale } from '../../src/sim/world.js';
import { createTestDatabase } from '../../test/helpers/databases.js';
import { startServe } from '../../test/helpers/cli.js';
import type { Sql } from '../../src/platform/db/client.js';
import { backendCpuMs, backendCpuSpent, processCpuMs } from './cpu.js';

type Batch = { source: SourceName; body: Buffer; events: number };

const NEWLINE = 0x0a;
const OPEN = Buffer.from('{"batch":[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']}');

/** NDJSON lines of one file as byte slices: no text decoding, so the load generator stays cheap. */
async function* linesOf(file: string): AsyncGenerator<Buffer> {
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    const buf = rest.length ? Buffer.concat([rest, chunk]) : chunk;
    let start = 0;
    for (let nl = buf.indexOf(NEWLINE, start); nl !== -1; nl = buf.indexOf(NEWLINE, start)) {
      if (nl > start) yield buf.subarray(start, nl);
      start = nl + 1;
    }
    rest = Buffer.from(buf.subarray(start));
  }
  if (rest.length) yield rest;
}

async function* batchesOf(dir: string, perBatch: number, limit: number): AsyncGenerator<Batch> {
  // Per source, in file (arrival) order; sources interleave batch by batch.
  const iters = SOURCES.map((s) => ({ s, it: linesOf(path.join(dir, 'events', `${s}.ndjson`)) }));
  let sent = 0;
  while (iters.length && sent < limit) {
    for (let k = 0; k < iters.length && sent < limit; k++) {
      const { s, it } = iters[k]!;
      const parts: Buffer[] = [OPEN];
      let n = 0;
      while (n < Math.min(perBatch, limit - sent)) {
        const next = await it.next();
        if (next.done) break;
        if (n) parts.push(COMMA);
        parts.push(next.value);
        n++;
      }
      if (!n) {
        iters.splice(k--, 1);
        continue;
      }
      parts.push(CLOSE);
      sent += n;
      yield { source: s, body: Buffer.concat(parts), events: n };
    }
  }
}

/** Batches read ahead of the clock when they fit in memory, so reading files is not timed; streamed otherwise. */
async function loadBatches(
  dir: string,
  perBatch: number,
  limit: number,
): Promise<AsyncIterator<Batch> | Iterator<Batch>> {
  if (limit > PRELOAD_EVENTS) return batchesOf(dir, perBatch, limit);
  const all: Batch[] = [];
  for await (const b of batchesOf(dir, perBatch, limit)) all.push(b);
  return all.values();
}
const PRELOAD_EVENTS = 2_000_000;

/** Waits (up to a minute) until no autovacuum worker runs, so it does not share the CPU with a measurement. */
async function untilAutovacuumRests(sql: Sql): Promise<void> {
  for (let waited = 0; waited < 60_000; waited += 500) {
    const [row] = await sql<
      { n: number }[]
    >`select count(*)::int as n from pg_stat_activity where backend_type = 'autovacuum worker'`;
    if (!row?.n) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** One POST on a kept-alive connection: node:http costs the load generator less than fetch, which copies bodies. */
function post(
  agent: http.Agent,
  url: string,
  key: string,
  body: Buffer,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          'content-length': body.length,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      scale: { type: 'string', default: 'large' },
      events: { type: 'string', default: '1000000' },
      concurrency: { type: 'string', default: '8' },
      batch: { type: 'string', default: '500' },
    },
  });
  const scale = values.scale as Scale;
  const limit = values.events === 'all' ? Number.POSITIVE_INFINITY : Number(values.events);
  const concurrency = Number(values.concurrency);
  const perBatch = Number(values.batch);
  const worldDir = path.resolve('.attune', 'bench', `world-${scale}-seed1`);
  if (!fs.existsSync(path.join(worldDir, 'truth.json'))) {
    process.stdout.write(`Generating the ${scale} world into ${worldDir} (once) …\n`);
    writeWorld({ seed: 1, scale }, worldDir);
  }

  const tdb = await createTestDatabase('server');
  const config = parseConfig({
    DATABASE_URL: (tdb.config.database as { url: string }).url,
    PORT: '0',
    ATTUNE_WORKERS: 'off',
    LOG_LEVEL: 'silent',
    ATTUNE_DB_POOL_MAX: String(Math.max(10, concurrency + 2)),
  });
  // Keys and settings go straight into the database; the API runs as its own process, as in production.
  const services = await openServices(config, createLogger(process.env.LOG_LEVEL ?? 'silent'), {
    purpose: 'bench',
    supervise: false,
  });
  const keys = {} as Record<SourceName, string>;
  for (const s of SOURCES) {
    const k = await createKey(services.database.db, {
      name: `bench ${s}`,
      role: 'source',
      createdBy: 'bench',
    });
    await putSourceSettings(services.database.db, {
      keyId: k.id,
      defaultConsent: null,
      trustReceivedAt: true,
    });
    keys[s] = k.key;
  }
  const server = await startServe({
    DATABASE_URL: (tdb.config.database as { url: string }).url,
    ATTUNE_WORKERS: 'off',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    ATTUNE_DB_POOL_MAX: String(Math.max(10, concurrency + 2)),
  });
  const running = { url: server.url };
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  try {
    process.stdout.write(
      `Ingest benchmark: ${scale} world, up to ${values.events} events, ${concurrency} concurrent clients, ${perBatch} events per batch, \`attune serve\` on the PostgreSQL server\n`,
    );
    const latencies: number[] = [];
    const outcomes: Record<string, number> = {};
    let events = 0;
    const source = await loadBatches(worldDir, perBatch, limit);
    const cpuBefore = {
      api: processCpuMs(server.child.pid),
      db: await backendCpuMs(services.database.sql),
      client: process.cpuUsage(),
    };
    const started = performance.now();
    let lastReport = started;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (;;) {
          const next = await source.next();
          if (next.done) return;
          const b = next.value;
          const t0 = performance.now();
          const res = await post(agent, `${running.url}/v1/batch`, keys[b.source], b.body);
          const body = JSON.parse(res.body) as {
            accepted?: number;
            duplicates?: number;
            consentDropped?: number;
            quarantined?: number;
            suppressed?: number;
            rejected?: number;
          };
          latencies.push(performance.now() - t0);
          if (res.status !== 200) throw new Error(`batch refused: ${res.status} ${res.body.slice(0, 300)}`);
          for (const k of [
            'accepted',
            'duplicates',
            'consentDropped',
            'quarantined',
            'suppressed',
            'rejected',
          ] as const)
            outcomes[k] = (outcomes[k] ?? 0) + (body[k] ?? 0);
          events += b.events;
          if (performance.now() - lastReport > 5000) {
            lastReport = performance.now();
            process.stdout.write(
              `  ${events.toLocaleString('en-US')} events, ${(events / ((lastReport - started) / 1000)).toFixed(0)} events/s\n`,
            );
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const apiCpu = (processCpuMs(server.child.pid) ?? NaN) - (cpuBefore.api ?? NaN);
    const dbCpu = backendCpuSpent(cpuBefore.db, await backendCpuMs(services.database.sql));
    const clientUsage = process.cpuUsage(cpuBefore.client);
    const clientCpu = (clientUsage.user + clientUsage.system) / 1000;
    process.stdout.write(`  sent; measuring COPY of the stored rows …\n`);
    latencies.sort((a, b) => a - b);
    const q = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
    const rate = events / seconds;
    const us = (cpuMs: number) =>
      Number.isFinite(cpuMs) ? `${((cpuMs * 1000) / events).toFixed(1)} µs` : 'n/a';

    // The ceiling: COPY the rows ingest stored, as one file, into a table of the same shape and
    // indexes. Server-side COPY (the PostgreSQL server reads the file itself), so the ceiling
    // carries no client or network cost at all. It is the fastest the database can go, not a run
    // that met a checkpoint or autovacuum: once autovacuum rests, after a checkpoint, best of three.
    const sql = services.database.sql;
    const dump = path.join('/tmp', `attune-bench-copy-${process.pid}.bin`);
    await sql.unsafe(`copy (select * from cdp_events) to '${dump}' (format binary)`);
    const [{ n: rows } = { n: '0' }] = await sql<{ n: string }[]>`select count(*) as n from cdp_events`;
    let copySeconds = Number.POSITIVE_INFINITY;
    for (let attempt = 0; attempt < 3; attempt++) {
      await sql`drop table if exists bench_copy`;
      await sql`create table bench_copy (like cdp_events including defaults including indexes)`;
      await untilAutovacuumRests(sql);
      await sql`checkpoint`;
      const c0 = performance.now();
      await sql.unsafe(`copy bench_copy from '${dump}' (format binary)`);
      copySeconds = Math.min(copySeconds, (performance.now() - c0) / 1000);
    }
    fs.rmSync(dump, { force: true });
    const copyRate = Number(rows) / copySeconds;
    const storedRate = Number(rows) / seconds;

    process.stdout.write(
      [
        `Sent ${events.toLocaleString('en-US')} events in ${seconds.toFixed(1)} s: ${rate.toFixed(0)} events/s through /v1/batch (${latencies.length} batches, p50 ${q(0.5).toFixed(0)} ms, p99 ${q(0.99).toFixed(0)} ms).`,
        `  outcomes: ${Object.entries(outcomes)
          .map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`)
          .join(', ')}`,
        `  stored ${Number(rows).toLocaleString('en-US')} rows (${storedRate.toFixed(0)} rows/s)`,
        `  CPU per event sent: API ${us(apiCpu)}, database backends ${us(dbCpu)}, load client ${us(clientCpu)} (${os.availableParallelism()} cores; ${((apiCpu + dbCpu + clientCpu) / 1000 / seconds).toFixed(2)} cores busy on average)`,
        `COPY of the same ${Number(rows).toLocaleString('en-US')} rows: ${copySeconds.toFixed(1)} s, ${copyRate.toFixed(0)} rows/s.`,
        `Ratio ingest/COPY: ${(rate / copyRate).toFixed(2)} by events sent, ${(storedRate / copyRate).toFixed(2)} by rows stored.`,
      ].join('\n') + '\n',
    );
  } finally {
    agent.destroy();
    server.child.kill('SIGTERM');
    await server.closed;
    await services.close();
    await tdb.drop();
  }
}
