// Property-based fuzzing of every route in /openapi.json, in both database modes: valid and hostile
// bodies, path and query values (NUL, unpaired surrogates, huge numbers, wrong types, deep nesting,
// very long strings, `__proto__`), sent with a key of each role. No answer may be a 5xx; every 4xx is
// problem+json; a valid event sent after each request is stored. The fuzzer walks the document, so
// routes added later are fuzzed too. Seeded; bounded by count (and by time per operation on a busy
// machine). `npm run bench -- fuzz` runs more.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_MODES } from './helpers/databases.js';
import { openTestServices, type TestContext } from './helpers/services.js';
import { fuzzApi } from './helpers/fuzz/run.js';
import { seedFuzzWorld } from './helpers/fuzz/world.js';

/** Generated requests per operation, beyond the one sent with each role: about 10 s per mode. */
const RUNS_PER_OPERATION = 10;
const SEED = 20261202;

describe.each(DATABASE_MODES)('API fuzz on the %s database', (mode) => {
  let t: TestContext;
  // Workers off: the fuzz queues jobs and must not start rendering reports in the background.
  beforeAll(async () => {
    t = await openTestServices(mode, { env: { ATTUNE_WORKERS: 'off' } });
    await seedFuzzWorld(t);
  });
  afterAll(async () => t?.close());

  it('answers every generated request without a 5xx, refuses with problem+json, and keeps storing', async () => {
    const report = await fuzzApi(t, {
      seed: SEED,
      runsPerOperation: RUNS_PER_OPERATION,
      timeLimitPerOperationMs: 1_000,
      onFailure: 'collect',
    });
    const doc = (await (await t.request('/openapi.json')).json()) as { paths: Record<string, object> };
    const inDocument = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    // Every operation is fuzzed or excluded by name with a reason (none is today).
    expect([...report.operations, ...Object.keys(report.excluded)].sort()).toEqual(inDocument.sort());
    expect(report.excluded).toEqual({});
    expect(report.failures).toEqual([]);
    // Valid requests reached handlers, hostile ones were refused.
    expect(report.statuses['2xx']).toBeGreaterThan(50);
    expect(report.statuses['4xx']).toBeGreaterThan(200);
    expect((await t.request('/readyz')).status).toBe(200);
  }, 180_000);
});
