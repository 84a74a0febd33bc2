// The simulated world through the real ingest path: every event gets an outcome, and the outcomes
// agree with the dirt the simulator says it put in.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeWorld } from '../src/sim/output.js';
import type { World } from '../src/sim/world.js';
import { loadDemoWorld } from '../src/demo/load-world.js';
import { DATABASE_MODES } from './helpers/databases.js';
import { openTestServices, type TestContext } from './helpers/services.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attune-world-'));
let world: World;
beforeAll(() => {
  world = writeWorld({ seed: 21, customers: 300, days: 90 }, dir);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.each(DATABASE_MODES)('loading a simulated world on the %s database', (mode) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await openTestServices(mode);
  });
  afterAll(async () => t?.close());

  it('accounts for every event, matching the stated dirt, and loads only once', async () => {
    const report = (await loadDemoWorld(t.services, dir))!;
    const o = report.outcomes;
    const d = world.truth.events.dirt;
    expect(report.events).toBe(world.truth.events.total);
    expect(
      (o.accepted ?? 0) +
        (o.duplicate ?? 0) +
        (o['consent-dropped'] ?? 0) +
        (o.quarantined ?? 0) +
        (o.suppressed ?? 0) +
        (o.rejected ?? 0),
    ).toBe(report.events);
    expect(o.rejected ?? 0).toBe(0);
    expect(report.erasures).toBe(world.truth.consent.erasureRequests);
    // Every event sent after its person's erasure request is suppressed (duplicates of them too).
    expect(o.suppressed ?? 0).toBeGreaterThanOrEqual(d.afterErasure);
    // Duplicate copies are found, except copies of events that were dropped for lack of consent (never claimed).
    expect(o.duplicate ?? 0).toBeLessThanOrEqual(d.duplicates);
    expect(o.duplicate ?? 0).toBeGreaterThan(d.duplicates * 0.6);
    expect(o.quarantined ?? 0).toBeGreaterThan(0);
    expect(o.quarantined ?? 0).toBeLessThanOrEqual(d.violations.missingProperty + d.violations.wrongType);
    const [stored] = await t.services.database.sql<{ n: string }[]>`select count(*) as n from cdp_events`;
    expect(Number(stored!.n)).toBe(o.accepted);
    // The daily counts (summed over their shards) agree with what ingest answered, outcome by outcome.
    const counted = await t.services.database.sql<
      { outcome: string; n: string }[]
    >`select outcome, sum(count) as n from cdp_ingest_counts group by outcome`;
    expect(Object.fromEntries(counted.map((r) => [r.outcome, Number(r.n)]))).toEqual(
      Object.fromEntries(Object.entries(o).filter(([, n]) => n > 0)),
    );
    const [consentless] = await t.services.database.sql<
      { n: string }[]
    >`select sum(count) as n from cdp_consentless_counts`;
    expect(Number(consentless!.n)).toBe(o['consent-dropped']);
    expect(await loadDemoWorld(t.services, dir)).toBeNull();
  });

  it('the drift monitor finds the world’s drift in the product mix after its date, and not before', async () => {
    const run = (asOf: Date) =>
      t.services.queue.registry.runInline(
        'drift.monitors',
        { asOf: asOf.toISOString(), currentDays: 14, referenceDays: 28 },
        t.services.log,
      );
    const driftDay = new Date(`${world.truth.drift.date}T00:00:00Z`);
    await run(new Date(driftDay.getTime() + 14 * 86_400_000));
    await run(driftDay);
    const checks = await t.services.database.sql<
      { checked_at: string; result: { columns: { column: string; drift: boolean; method: string }[] } }[]
    >`
      select checked_at, result from drift_checks where monitor = 'features' order by checked_at`;
    expect(checks).toHaveLength(2);
    // The world shifts product preferences at its drift date (truth.drift): categories and prices move.
    const verdicts = (i: number) =>
      checks[i]!.result.columns.filter((c) => c.column === 'product_category' || c.column === 'price').map(
        (c) => c.drift,
      );
    expect(verdicts(0)).toEqual([false, false]);
    expect(verdicts(1)).toEqual([true, true]);
    const kinds = await t.services.database.sql<
      { monitor: string }[]
    >`select distinct monitor from drift_checks order by 1`;
    expect(kinds.map((k) => k.monitor)).toEqual(['features']); // no experiments are defined in this test
  });
});
