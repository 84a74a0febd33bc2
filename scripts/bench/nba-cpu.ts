// The API's own CPU per decision, which a shared two-core machine measures more steadily than a rate:
// POST /v1/decisions through the whole app in this process (app.request: middleware, auth, zod, the
// decision, the JSON), 50 at a time, with nba_decide_many answered in-process instead of by the
// database (every person unknown at first: a state answer granting every consent with the bench's
// profile; every commit: ok), so the figure holds no database work and no waiting on it. Baseline in
// the same run: a bare Hono app answering a small JSON body through the same app.request.
//
//   npm run bench -- nba-cpu [--decisions 10000] [--rounds 3]
//
// Reports the best round of each (least disturbed by other work), CPU per request in µs, and the ratio.
// The time spent standing in for the database (parsing each batch's JSON, answering) is not counted.
import { Hono } from 'hono';
import { parseArgs } from 'node:util';
import { createApi } from '../../src/api.js';
import { createKey } from '../../src/platform/auth/store.js';
import type { Database } from '../../src/platform/db/client.js';
import { BENCH_PROFILE, loadBenchCatalogue, openBenchDatabase } from './nba.js';

type Fetcher = { request: (path: string, init: RequestInit) => Response | Promise<Response> };

/**
 * Time spent answering in place of the database (parsing each batch, writing the answers), left out of
 * the API's figure: a real database does that work, on its own CPU. Wall time of synchronous code, so
 * CPU time as long as nothing else runs in this process meanwhile.
 */
const canned = { ms: 0 };

/** The database as the decision path sees it, with nba_decide_many answered here. */
function cannedDecisions(database: Database): Database {
  const asOf = new Date().toISOString();
  const consent = { analytics: true, personalization: true, marketing: true, ads: false };
  const sql = new Proxy(database.sql, {
    apply(target, self, args: unknown[]) {
      const strings = args[0];
      if (Array.isArray(strings) && strings.join('').includes('nba_decide_many')) {
        const t0 = performance.now();
        const calls = JSON.parse(args[1] as string) as { token: string | null }[];
        const answers = calls.map((c) =>
          c.token === null
            ? { status: 'state', token: 'canned', consent, raw: BENCH_PROFILE, asOf, sends: [], usage: [] }
            : { status: 'ok' },
        );
        // As the driver would: a later turn, and the answer parsed from text.
        const text = JSON.stringify(answers);
        canned.ms += performance.now() - t0;
        return new Promise((resolve) =>
          setImmediate(() => {
            const t1 = performance.now();
            const r = JSON.parse(text) as unknown;
            canned.ms += performance.now() - t1;
            resolve([{ r }]);
          }),
        );
      }
      return Reflect.apply(target, self, args) as unknown;
    },
  });
  return { ...database, sql };
}

/** CPU µs per request of `count` requests, 50 in flight. */
async function cpuPerRequest(app: Fetcher, init: (i: number) => RequestInit, from: number, count: number) {
  let next = from;
  const end = from + count;
  const cannedBefore = canned.ms;
  const started = process.cpuUsage();
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      while (next < end) {
        const res = await app.request('/decide', init(next++));
        if (res.status >= 300) throw new Error(`answered ${res.status}: ${await res.text()}`);
        await res.text();
      }
    }),
  );
  const used = process.cpuUsage(started);
  return (used.user + used.system - (canned.ms - cannedBefore) * 1000) / count;
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { decisions: { type: 'string', default: '10000' }, rounds: { type: 'string', default: '3' } },
  });
  const count = Number(values.decisions);
  const rounds = Number(values.rounds);
  // LOG_LEVEL warn, as `bench nba` runs `attune serve`: the access log line (info) is not written.
  const { services, close } = await openBenchDatabase('warn');
  try {
    const { database } = services;
    await loadBenchCatalogue(database);
    const { key } = await createKey(database.db, { name: 'bench crm', role: 'crm', createdBy: 'bench' });
    const api = createApi({ ...services, database: cannedDecisions(database) });
    const devices = ['mobile', 'desktop', 'tablet'];
    const decisions: Fetcher = { request: (_path, init) => api.request('/v1/decisions', init) };
    const decisionInit = (i: number): RequestInit => ({
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      // A new customer each time: a state answer, then the commit, as for most of `bench nba`'s.
      body: JSON.stringify({ customerId: `bench-${i}`, context: { device: devices[i % 3] } }),
    });
    const bare = new Hono();
    bare.post('/decide', async (c) => c.json({ ok: true, echo: typeof (await c.req.json()) }, 201));
    const bareInit = (i: number): RequestInit => ({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customerId: `bench-${i}` }),
    });
    // Warm-up (JIT, the key and catalogue caches), not counted.
    await cpuPerRequest(decisions, decisionInit, 0, 3000);
    await cpuPerRequest(bare, bareInit, 0, 3000);
    const d: number[] = [];
    const b: number[] = [];
    for (let r = 0; r < rounds; r++) {
      b.push(await cpuPerRequest(bare, bareInit, 0, count));
      d.push(await cpuPerRequest(decisions, decisionInit, 3000 + r * count, count));
    }
    const best = (xs: number[]) => Math.min(...xs);
    const list = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
    process.stdout.write(
      `API CPU per request, in this process, database answers canned (${count.toLocaleString('en-US')} requests × ${rounds} rounds, 50 in flight; best round, all rounds in brackets)\n` +
        `bare Hono JSON        ${best(b).toFixed(0).padStart(5)} µs  [${list(b)}]\n` +
        `POST /v1/decisions    ${best(d).toFixed(0).padStart(5)} µs  [${list(d)}]\n` +
        `ratio ${(best(d) / best(b)).toFixed(1)} × the bare endpoint's CPU\n`,
    );
  } finally {
    await close();
  }
}
