// The API fuzzer: reads /openapi.json, and for every operation sends one request with a key of each
// role (and none), then `runsPerOperation` generated requests (valid and hostile). After every
// request a valid event is sent and must be stored. Invariants: no 5xx; every 4xx is
// application/problem+json with its status; the service keeps answering and storing.
import fc from 'fast-check';
import { ROLES, type Role } from '../../../src/platform/http/env.js';
import type { TestContext } from '../services.js';
import {
  EXCLUDED,
  operationsOf,
  type FuzzOperation,
  type FuzzRequest,
  type OpenApiDoc,
  type Seen,
} from './operations.js';

export type FuzzOptions = {
  seed: number;
  runsPerOperation: number;
  /** Stops generating for an operation after this long (a guard for slow machines; counts still bound the run). */
  timeLimitPerOperationMs?: number;
  /** 'throw': the first failure fails the property (fast-check shrinks it); 'collect': run on, list each distinct failure. */
  onFailure: 'throw' | 'collect';
  progress?: (line: string) => void;
};
export type FuzzFailure = {
  operation: string;
  why: string;
  status: number;
  url: string;
  body?: string;
  detail?: string;
};
export type FuzzReport = {
  operations: string[];
  excluded: Record<string, string>;
  requests: number;
  statuses: Record<string, number>;
  /** Answers by status code for each operation, to see which ones reached their handlers. */
  byOperation: Record<string, Record<number, number>>;
  failures: FuzzFailure[];
};

export async function fuzzApi(t: TestContext, options: FuzzOptions): Promise<FuzzReport> {
  const doc = (await (await t.request('/openapi.json')).json()) as OpenApiDoc;
  const keys = new Map<Role, string>();
  const ownKeyIds = new Set<string>();
  for (const role of ROLES) {
    const key = await t.keyFor(role);
    keys.set(role, key);
    const me = (await (await t.request('/v1/me', { key })).json()) as { keyId: string };
    ownKeyIds.add(me.keyId);
  }
  const seen: Seen = new Map();
  // Ids from 2xx answers feed later path and query values; never the fuzzer's own keys, which a
  // DELETE /v1/keys/{id} would revoke.
  const harvest = (v: unknown, depth = 0): void => {
    if (depth > 6 || !v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if (typeof x === 'string' && x.length <= 200 && !ownKeyIds.has(x)) {
        const pool = seen.get(k) ?? seen.set(k, []).get(k)!;
        if (pool.length < 50 && !pool.includes(x)) pool.push(x);
      } else harvest(x, depth + 1);
    }
  };
  const operations = operationsOf(doc, seen);
  const report: FuzzReport = {
    operations: operations.map((o) => `${o.method} ${o.path}`),
    excluded: EXCLUDED,
    requests: 0,
    statuses: {},
    byOperation: {},
    failures: [],
  };
  const reported = new Set<string>();
  let sentinels = 0;

  const send = async (op: FuzzOperation, req: FuzzRequest): Promise<FuzzFailure | null> => {
    const headers: Record<string, string> = {};
    if (req.role) headers.authorization = `Bearer ${keys.get(req.role)}`;
    if (req.body !== undefined && req.contentType !== undefined) headers['content-type'] = req.contentType;
    const res = await t.api.request(req.url, {
      method: op.method,
      headers,
      ...(req.body !== undefined ? { body: req.body } : {}),
    });
    const text = await res.text();
    report.requests++;
    const bucket = `${Math.floor(res.status / 100)}xx`;
    report.statuses[bucket] = (report.statuses[bucket] ?? 0) + 1;
    const name = `${op.method} ${op.path}`;
    report.byOperation[name] ??= {};
    report.byOperation[name][res.status] = (report.byOperation[name][res.status] ?? 0) + 1;
    if (res.ok && res.headers.get('content-type')?.startsWith('application/json')) harvest(JSON.parse(text));
    const failure = (why: string): FuzzFailure => ({
      operation: `${op.method} ${op.path}`,
      why,
      status: res.status,
      url: req.url.length > 300 ? `${req.url.slice(0, 300)}…` : req.url,
      ...(req.body !== undefined
        ? { body: req.body.length > 300 ? `${req.body.slice(0, 300)}…` : req.body }
        : {}),
      detail: text.slice(0, 300),
    });
    // A 503 "capability-unavailable" problem says the installation lacks something in its current
    // state (e.g. no propensity model promoted yet: GET /v1/propensity answers it by design), not that
    // the server failed; it is held to the same problem+json rules as a 4xx. Every other 5xx fails.
    const capabilityMissing =
      res.status === 503 && text.includes('"type":"https://attune.dev/problems/capability-unavailable"');
    if (res.status >= 500 && !capabilityMissing) return failure('5xx');
    if (capabilityMissing && res.headers.get('content-type') !== 'application/problem+json')
      return failure('503 not problem+json');
    if (res.status >= 400) {
      if (res.headers.get('content-type') !== 'application/problem+json')
        return failure('4xx not problem+json');
      const p = JSON.parse(text) as { type?: unknown; status?: unknown; detail?: unknown };
      if (typeof p.type !== 'string' || p.status !== res.status || typeof p.detail !== 'string')
        return failure('4xx problem without type, status or detail');
    }
    return sentinel(op);
  };

  /** A valid event after each request: the service must still answer 200 and store it. */
  const sentinel = async (op: FuzzOperation): Promise<FuzzFailure | null> => {
    const messageId = `fuzz-sentinel-${++sentinels}`;
    const res = await t.api.request('/v1/identify', {
      method: 'POST',
      headers: { authorization: `Bearer ${keys.get('source')}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        userId: `fuzz-person-${sentinels}`,
        messageId,
        traits: { plan: 'fuzz' },
        context: { consent: { categoryPreferences: { analytics: true } } },
      }),
    });
    const body = (await res.json()) as { results?: { status: string }[] };
    const [row] = await t.services.database.sql<{ n: string }[]>`
      select count(*) as n from cdp_events where message_id = ${messageId}`;
    if (res.status === 200 && body.results?.[0]?.status === 'accepted' && Number(row?.n) === 1) return null;
    return {
      operation: `${op.method} ${op.path}`,
      why: 'valid event after it not stored',
      status: res.status,
      url: '/v1/identify',
      detail: JSON.stringify(body).slice(0, 300),
    };
  };

  const record = (f: FuzzFailure) => {
    const key = `${f.operation}|${f.why}|${f.status}|${f.detail?.replace(/"requestId":"[^"]*"/, '')}`;
    if (!reported.has(key)) {
      reported.add(key);
      report.failures.push(f);
    }
  };

  for (const [i, op] of operations.entries()) {
    options.progress?.(`[${i + 1}/${operations.length}] ${op.method} ${op.path}`);
    // One request with a key of each role, and with none.
    const [sample] = fc.sample(op.request, { seed: options.seed + i, numRuns: 1 });
    for (const role of [null, ...ROLES]) {
      const f = await send(op, { ...sample!, role });
      if (f) record(f);
    }
    await fc.assert(
      fc.asyncProperty(op.request, async (req) => {
        const f = await send(op, req);
        if (!f) return true;
        record(f);
        return options.onFailure === 'collect';
      }),
      {
        seed: options.seed + i,
        numRuns: options.runsPerOperation,
        ...(options.timeLimitPerOperationMs
          ? { interruptAfterTimeLimit: options.timeLimitPerOperationMs, markInterruptAsFailure: false }
          : {}),
      },
    );
  }
  return report;
}
