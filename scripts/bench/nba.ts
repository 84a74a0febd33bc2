// Next-best-action decisions: POST /v1/decisions with 50 concurrent clients against `attune serve` (its
// own process) on the PostgreSQL server, and in the same run a bare Hono JSON endpoint (its own
// process, same node flags): the ceiling. Reports decisions/s, p50 and p99 latency and the ratio, and
// the CPU per request of every process (serve, database backends, bare server, load client), with
// serve's CPU per authenticated GET /v1/me: what the platform costs before the decision's own work.
//
//   npm run bench -- nba [--seconds 10] [--rounds 5] [--concurrency 50] [--customers 20000]
//
// The seconds per endpoint are split into rounds, the two endpoints alternating (bare, decisions, bare,
// …): the shared machine's speed swings by half within minutes, and alternating puts each swing on both.
//
// Set-up goes straight into the database: the simulated world's six offers (their caps kept, their
// daily budgets lifted so the run measures deciding, not refusing), a consent state granting every
// category and a materialised feature row for each customer, and a crm key.
import http from 'node:http';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { median } from 'simple-statistics';
import { parseConfig } from '../../src/platform/config.js';
import { createLogger } from '../../src/platform/log.js';
import { openServices } from '../../src/services.js';
import { createKey } from '../../src/platform/auth/store.js';
import { putAction, putChannel, putPlacement } from '../../src/nba/index.js';
import { offerAction } from '../../src/demo/nba-offers.js';
import { SIM_OFFERS } from '../../src/sim/offers.js';
import { createTestDatabase } from '../../test/helpers/databases.js';
import { productionNodeFlags, startServe } from '../../test/helpers/cli.js';
import type { Database, Sql } from '../../src/platform/db/client.js';
import { backendCpuMs, backendCpuSpent, processCpuMs } from './cpu.js';

type Result = { rps: number; p50: number; p99: number; errors: number };

/** A POST of `body`, or a GET without one. */
function send(agent: http.Agent, url: string, headers: Record<string, string>, body: string | null) {
  return new Promise<number>((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: body === null ? 'GET' : 'POST',
        agent,
        headers:
          body === null
            ? headers
            : { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

type Endpoint = {
  url: string;
  headers: Record<string, string>;
  body: (i: number) => string | null;
  sent: number;
};

/** One round of `seconds` against an endpoint after `warmMs` of uncounted requests: each request's latency. */
async function load(
  e: Endpoint,
  seconds: number,
  concurrency: number,
  warmMs: number,
): Promise<{ latencies: number[]; errors: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let errors = 0;
  const warmUntil = performance.now() + warmMs;
  const until = warmUntil + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        const status = await send(agent, e.url, e.headers, e.body(e.sent++));
        if (t0 < warmUntil) continue;
        if (status >= 300) errors++;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  agent.destroy();
  return { latencies, errors };
}

function summary(rounds: { latencies: number[]; errors: number }[], seconds: number): Result {
  const all = rounds.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const q = (p: number) => all[Math.min(all.length - 1, Math.floor(p * all.length))] ?? NaN;
  const errors = rounds.reduce((n, r) => n + r.errors, 0);
  return { rps: all.length / seconds, p50: q(0.5), p99: q(0.99), errors };
}

function startBare(): Promise<{ url: string; pid: number | undefined; stop: () => void }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...productionNodeFlags(), '--import', 'tsx', path.resolve(import.meta.dirname, 'nba-bare-server.ts')],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /serving on (http:\/\/\S+?) /.exec(out);
      if (m?.[1]) resolve({ url: m[1], pid: child.pid, stop: () => child.kill('SIGTERM') });
    });
    child.on('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
  });
}

/** The same database over the server's Unix socket, as libpq spells it (src/platform/db/client.ts). */
function withSocket(url: string, dir: string): string {
  const u = new URL(url);
  u.searchParams.set('host', dir);
  return u.toString();
}

/** Every bench customer's materialised features (feature_person_raw.raw). */
export const BENCH_PROFILE = {
  orders: { 7: 0, 30: 1, 90: 1, 180: 2, 365: 3 },
  revenue30: 40,
  revenue90: 40,
  revenue365: 120,
  lastOrderAt: '2026-05-20T10:00:00.000Z',
  activeDays7: 1,
  activeDays30: 4,
  activeDays90: 9,
  pageViews30: 20,
  productViews30: 8,
  productViews90: 15,
  cartAdds30: 2,
  checkouts30: 1,
  emailOpens30: 3,
  emailOpens90: 7,
  emailClicks30: 1,
  emailClicks90: 2,
  categoryViews90: { coffee: 8, tea: 3, gear: 4, drinkware: 0, gift: 0, subscription: 0 },
  deviceEvents90: { mobile: 30, tablet: 0, desktop: 20 },
  signedUpAt: '2025-11-01T00:00:00.000Z',
  firstSeenAt: '2025-10-20T00:00:00.000Z',
  plan: 'regular',
};

/** The world's six offers without budgets (a long run must not spend them out), caps as in the demo. */
export async function loadBenchCatalogue(database: Database): Promise<void> {
  for (const o of SIM_OFFERS) await putAction(database, o.id, { ...offerAction(o), dailyBudget: null });
  const [max, days] = SIM_OFFERS[0]!.frequencyCap.allOffersPerDays;
  for (const channel of new Set(SIM_OFFERS.map((o) => o.channel)))
    await putChannel(database, channel, { caps: [{ max, days }], dailyBudget: null, dailyCapacity: null });
  await putPlacement(database, 'default', {
    policy: 'thompson',
    floor: 0.02,
    shadow: false,
    defaultActionId: null,
    rewardWindowHours: 168,
    defaultReward: 0,
  });
}

/** A fresh database on the PostgreSQL server with Attune's services on it (no workers), and how to drop both. */
export async function openBenchDatabase(logLevel: 'silent' | 'warn' = 'silent') {
  const tdb = await createTestDatabase('server');
  const url = (tdb.config.database as { url: string }).url;
  const services = await openServices(
    parseConfig({ DATABASE_URL: url, PORT: '0', ATTUNE_WORKERS: 'off', LOG_LEVEL: logLevel }),
    createLogger(logLevel),
    { purpose: 'bench', supervise: false },
  );
  const close = async () => {
    await services.close();
    await tdb.drop();
  };
  return { url, services, close };
}

/**
 * The bench's world: the catalogue, `customers` people with every consent and a materialised feature
 * row, and `history` earlier decisions in the log (older than every cap window), analysed.
 */
export async function seedBenchWorld(database: Database, customers: number, history: number): Promise<void> {
  await loadBenchCatalogue(database);
  const ids = Array.from({ length: customers }, (_, i) => `u:bench-${i}`);
  const all = JSON.stringify({ analytics: true, personalization: true, marketing: true, ads: false });
  await database.sql`insert into cdp_consent_state (person_id, categories, at, ledger_id)
    select id, ${all}::jsonb, now(), 0 from unnest(${ids}::text[]) id`;
  await database.sql`insert into feature_person_raw (person_id, as_of, version, raw)
    select id, now(), 2, ${JSON.stringify(BENCH_PROFILE)}::jsonb from unnest(${ids}::text[]) id`;
  // A log that already holds decisions: with an empty one, PostgreSQL plans nba_decide's lookups for an
  // empty table, and a plan cached by a connection stays until autovacuum's first analyze.
  await database.sql`insert into nba_decisions (id, person_id, user_id, placement, mode, policy,
      chosen_action_id, served_action_id, served_channel, probability, cost, candidates, context, decided_at)
    select gen_random_uuid(), 'u:bench-' || (g % ${customers}), 'bench-' || (g % ${customers}), 'default', 'learned',
      'thompson', ${SIM_OFFERS[0]!.id}, ${SIM_OFFERS[0]!.id}, ${SIM_OFFERS[0]!.channel}, 0.5, 0, '[]', '{}',
      now() - interval '400 days' + g * interval '1 second'
    from generate_series(1, ${history}) g`;
  await database.sql`analyze`;
}

/** Transactions committed in this database so far (every statement outside a transaction is one). */
export async function commitsOf(sql: Sql): Promise<number> {
  const [row] = await sql<{ n: string }[]>`
    select xact_commit::text as n from pg_stat_database where datname = current_database()`;
  return Number(row!.n);
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      seconds: { type: 'string', default: '10' },
      // Rounds per endpoint, alternating with the other endpoint (see the top of the file).
      rounds: { type: 'string', default: '5' },
      concurrency: { type: 'string', default: '50' },
      customers: { type: 'string', default: '20000' },
      // attune serve's connections to the database (ATTUNE_DB_POOL_MAX); default serve's own default, 10.
      pool: { type: 'string' },
      // Earlier decisions in the log (older than every cap window), as a service that has been running has.
      history: { type: 'string', default: '100000' },
      // The server's Unix socket directory (e.g. /var/run/postgresql): `attune serve` connects over it.
      'db-socket': { type: 'string' },
    },
  });
  const seconds = Number(values.seconds);
  const rounds = Number(values.rounds);
  if (!(Number.isInteger(rounds) && rounds >= 1)) throw new Error('--rounds must be a whole number ≥ 1');
  const concurrency = Number(values.concurrency);
  const customers = Number(values.customers);
  const { url, services, close } = await openBenchDatabase();
  const { database } = services;
  const history = Number(values.history);
  await seedBenchWorld(database, customers, history);
  const { key } = await createKey(database.db, { name: 'bench crm', role: 'crm', createdBy: 'bench' });
  const pool = values.pool ?? String(parseConfig({}).poolMax);
  const serveUrl = values['db-socket'] ? withSocket(url, values['db-socket']) : url;
  const serve = await startServe({
    DATABASE_URL: serveUrl,
    ATTUNE_WORKERS: 'off',
    LOG_LEVEL: 'warn',
    ATTUNE_DB_POOL_MAX: pool,
  });
  const bare = await startBare();
  try {
    process.stdout.write(
      `NBA decision benchmark: ${concurrency} concurrent clients, ${seconds} s per endpoint in ${rounds} alternating rounds (after 1 s of warm-up), ${customers.toLocaleString('en-US')} customers, ${history.toLocaleString('en-US')} earlier decisions in the log, six offers, Thompson sampling, \`attune serve\` on the PostgreSQL server (pool ${pool}, ${values['db-socket'] ? `Unix socket ${values['db-socket']}` : 'TCP on 127.0.0.1'})\n`,
    );
    const devices = ['mobile', 'desktop', 'tablet'];
    const bareEndpoint: Endpoint = {
      url: `${bare.url}/decide`,
      headers: {},
      body: (i) => JSON.stringify({ customerId: `bench-${i % customers}` }),
      sent: 0,
    };
    const decisions: Endpoint = {
      url: `${serve.url}/v1/decisions`,
      headers: { authorization: `Bearer ${key}` },
      body: (i) =>
        JSON.stringify({
          customerId: `bench-${(i * 7919) % customers}`,
          context: { device: devices[i % 3] },
        }),
      sent: 0,
    };
    const bareRounds: { latencies: number[]; errors: number }[] = [];
    const decisionRounds: { latencies: number[]; errors: number }[] = [];
    const ratios: number[] = [];
    const roundSeconds = seconds / rounds;
    let apiCpuMs = 0;
    let dbCpuMs = 0;
    // The bare server's and this load client's CPU, per request of each endpoint: what the ratio
    // would be with each server on a core of its own and nothing else on it (see the report's last line).
    let bareCpuMs = 0;
    let bareClientCpuMs = 0;
    let clientCpuMs = 0;
    let commitsBefore = 0;
    for (let r = 0; r < rounds; r++) {
      // One second of warm-up (JIT, pools) before each endpoint's first round, not counted.
      const bareBefore = { server: processCpuMs(bare.pid) ?? NaN, client: processCpuMs(process.pid) ?? NaN };
      const b = await load(bareEndpoint, roundSeconds, concurrency, r === 0 ? 1000 : 0);
      bareCpuMs += (processCpuMs(bare.pid) ?? NaN) - bareBefore.server;
      bareClientCpuMs += (processCpuMs(process.pid) ?? NaN) - bareBefore.client;
      const cpuBefore = {
        api: processCpuMs(serve.child.pid) ?? NaN,
        db: await backendCpuMs(database.sql),
        client: processCpuMs(process.pid) ?? NaN,
      };
      if (r === 0) commitsBefore = await commitsOf(database.sql);
      const d = await load(decisions, roundSeconds, concurrency, r === 0 ? 1000 : 0);
      apiCpuMs += (processCpuMs(serve.child.pid) ?? NaN) - cpuBefore.api;
      clientCpuMs += (processCpuMs(process.pid) ?? NaN) - cpuBefore.client;
      dbCpuMs += backendCpuSpent(cpuBefore.db, await backendCpuMs(database.sql));
      bareRounds.push(b);
      decisionRounds.push(d);
      ratios.push(d.latencies.length / b.latencies.length);
      process.stdout.write(
        `  round ${r + 1}/${rounds}: bare ${(b.latencies.length / roundSeconds).toFixed(0)} req/s, decisions ${(d.latencies.length / roundSeconds).toFixed(0)}/s, ratio ${ratios.at(-1)!.toFixed(3)}\n`,
      );
    }
    // The platform's share of a decision: an authenticated GET /v1/me through the same middleware
    // (request id, logging, key cache, roles), `attune serve`'s CPU per request.
    const me: Endpoint = { url: `${serve.url}/v1/me`, headers: decisions.headers, body: () => null, sent: 0 };
    const meSeconds = 2;
    const meCpuBefore = processCpuMs(serve.child.pid) ?? NaN;
    const meRound = await load(me, meSeconds, concurrency, 500);
    const meCpuUs = (((processCpuMs(serve.child.pid) ?? NaN) - meCpuBefore) / me.sent) * 1000;
    const b = summary(bareRounds, seconds);
    const d = summary(decisionRounds, seconds);
    // The statistics reach pg_stat_database within a second or so of each transaction.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const commits = (await commitsOf(database.sql)) - commitsBefore;
    const [logged] = await database.sql<{ n: number; served: number }[]>`
      select count(*)::int as n, count(served_action_id)::int as served from nba_decisions
      where decided_at > now() - interval '1 day'`;
    const line = (name: string, r: Result) =>
      `${name.padEnd(22)} ${r.rps.toFixed(0).padStart(6)} req/s   p50 ${r.p50.toFixed(1).padStart(6)} ms   p99 ${r.p99.toFixed(1).padStart(6)} ms   errors ${r.errors}\n`;
    process.stdout.write(line('bare Hono JSON', b));
    process.stdout.write(line('POST /v1/decisions', d));
    process.stdout.write(
      `ratio ${(d.rps / b.rps).toFixed(2)} of the bare endpoint (median of the rounds' ratios ${median(ratios).toFixed(2)}); ${logged!.n.toLocaleString('en-US')} decisions logged (${logged!.served.toLocaleString('en-US')} served an action, the rest none: every candidate capped)\n`,
    );
    const perDecision = (ms: number) => ((ms / logged!.n) * 1000).toFixed(0);
    const perBare = (ms: number) => (ms / bareEndpoint.sent) * 1000;
    process.stdout.write(
      `CPU per decision: API ${perDecision(apiCpuMs)} µs, database backends ${perDecision(dbCpuMs)} µs, load client ${perDecision(clientCpuMs)} µs (warm-up included); ${(commits / logged!.n).toFixed(2)} database transactions per decision\n`,
    );
    process.stdout.write(
      `CPU per bare request: server ${perBare(bareCpuMs).toFixed(0)} µs, load client ${perBare(bareClientCpuMs).toFixed(0)} µs; servers' CPU per request, bare / decisions: ${(bareCpuMs / bareEndpoint.sent / (apiCpuMs / logged!.n)).toFixed(2)} (the rate ratio if each server were bound by a core of its own, the database and the client elsewhere)\n`,
    );
    process.stdout.write(
      `authenticated GET /v1/me on attune serve: ${(meRound.latencies.length / meSeconds).toFixed(0)} req/s, ${meCpuUs.toFixed(0)} µs of its CPU per request (the platform's share of a decision)\n`,
    );
  } finally {
    bare.stop();
    serve.child.kill('SIGTERM');
    await serve.closed;
    await close();
  }
}
