// The incrementally kept aggregates (kept from the definition on, so every event arrives through the
// triggers and catch-ups) against the full recomputation from the events, row for row:
// after the first build, after late events (outcomes, exposures that move a unit's first exposure or
// arm, identify calls that move its stratum), after consent withdrawals and grants, and after an
// erasure; and the incrementally kept sums against a rebuild from scratch, exactly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, bernoulli } from '../src/sim/rng.js';
import { getExperiment } from '../src/experiments/store.js';
import { armDayRows, type ArmDayRow } from '../src/experiments/metrics-sql.js';
import { keptArmDayRows } from '../src/experiments/aggregates.js';
import type { Experiment } from '../src/experiments/definition.js';
import { experimentAggregatesJob } from '../src/experiments/aggregates-job.js';
import { createLogger } from '../src/platform/log.js';
import { DATABASE_MODES } from './helpers/databases.js';
import { openTestServices, type TestContext } from './helpers/services.js';

const DAY = 86_400_000;
const GRANTED = { analytics: true, personalization: true, marketing: true, ads: false };

const metrics = [
  { name: 'conversion', type: 'binomial', event: 'Order Completed' },
  {
    name: 'revenue per user',
    type: 'mean',
    event: 'Order Completed',
    property: 'revenue',
    capPercentile: 0.9,
  },
  {
    name: 'revenue per order',
    type: 'ratio',
    event: 'Order Completed',
    property: 'revenue',
    denominator: { event: 'Order Completed' },
  },
  { name: 'P75 basket', type: 'quantile', level: 0.75, event: 'Order Completed', property: 'revenue' },
];

function body(key: string, startAt: Date, stratified: boolean) {
  return {
    key,
    hypothesis: 'Kept aggregates equal the recomputation.',
    purpose: 'marketing',
    startAt: startAt.toISOString(),
    sendEvent: 'Email Sent',
    variations: [
      { id: 'c', name: 'control', weight: 0.5 },
      { id: 't', name: 'treatment', weight: 0.5 },
    ],
    goalMetrics: metrics,
    guardrailMetrics: [
      {
        name: 'P90 buyers',
        type: 'quantile',
        level: 0.9,
        ignoreZeros: true,
        event: 'Order Completed',
        property: 'revenue',
      },
    ],
    analysis: stratified ? { stratifyBy: { trait: 'tier' } } : { cuped: true },
  };
}

/** Equal row for row: counts exactly, sums to summation order (they are added in another order). */
function expectSameRows(kept: ArmDayRow[], full: ArmDayRow[]) {
  const key = (r: ArmDayRow) => `${r.day}|${r.variation}|${r.stratum}|${r.phase}`;
  expect(kept.map(key)).toEqual(full.map(key));
  kept.forEach((k, i) => {
    const f = full[i]!;
    expect([k.n, k.multipleArms, k.sends]).toEqual([f.n, f.multipleArms, f.sends]);
    expect(k.quantiles).toEqual(f.quantiles);
    k.metrics.forEach((m, j) => {
      for (const [name, v] of Object.entries(m)) {
        const want = f.metrics[j]![name as keyof typeof m];
        expect(Math.abs(v - want), `${key(k)} metric ${j} ${name}: ${v} vs ${want}`).toBeLessThanOrEqual(
          1e-9 * Math.max(1, Math.abs(want)),
        );
      }
    });
  });
}

describe.each(DATABASE_MODES)('kept experiment aggregates on the %s database', (mode) => {
  let t: TestContext;
  let analyst: string;
  let source: string;
  const start = new Date(Date.now() - 30 * DAY);
  const window = () => ({ from: start, to: new Date() });
  const rng = createRng('kept-aggregates');

  const send = async (batch: unknown[]) => {
    for (let i = 0; i < batch.length; i += 500) {
      const res = await t.request('/v1/batch', { key: source, json: { batch: batch.slice(i, i + 500) } });
      expect(res.status).toBe(200);
    }
  };
  const track = (userId: string, event: string, at: number, properties: object = {}) => ({
    type: 'track',
    event,
    userId,
    timestamp: new Date(at).toISOString(),
    properties,
    context: { consent: { categoryPreferences: GRANTED } },
  });
  const order = (userId: string, at: number, revenue: number) =>
    track(userId, 'Order Completed', at, {
      order_id: `${userId}-${at}`,
      revenue,
      currency: 'USD',
      products: [],
    });
  const exposure = (key: string, userId: string, at: number, arm: string) =>
    track(userId, 'Experiment Viewed', at, { experiment_id: key, variation_id: arm });

  async function compare(e: Experiment, covariates: boolean) {
    const all = [...e.goalMetrics, ...e.guardrailMetrics];
    const w = window();
    const kept = await keptArmDayRows(t.services.database.sql, e, all, w, e.purpose, covariates);
    const full = await armDayRows(t.services.database.sql, e, all, w, e.purpose, covariates);
    expect(full.length).toBeGreaterThan(0);
    expectSameRows(kept, full);
    return kept;
  }
  const dirty = async (key: string) =>
    Number(
      (
        await t.services.database.sql<
          { n: number }[]
        >`select count(*)::int as n from experiment_dirty where experiment_key = ${key}`
      )[0]!.n,
    );
  const units = async (key: string) =>
    Number(
      (
        await t.services.database.sql<
          { n: number }[]
        >`select count(*)::int as n from experiment_units where experiment_key = ${key}`
      )[0]!.n,
    );

  beforeAll(async () => {
    t = await openTestServices(mode);
    [analyst, source] = await Promise.all([t.keyFor('analyst'), t.keyFor('source')]);
    for (const [key, stratified] of [
      ['kept-plain', false],
      ['kept-strata', true],
    ] as const) {
      const res = await t.request('/v1/experiments', { key: analyst, json: body(key, start, stratified) });
      expect(res.status).toBe(201);
    }
    const batch: unknown[] = [];
    for (let i = 0; i < 240; i++) {
      const userId = `kept-${i}`;
      const at = start.getTime() + (i % 18) * DAY + i * 997;
      if (i % 5 !== 0)
        batch.push({
          type: 'identify',
          userId,
          timestamp: new Date(at - 2 * DAY).toISOString(),
          traits: { tier: i % 3 === 0 ? 'gold' : 'basic' },
          context: { consent: { categoryPreferences: GRANTED } },
        });
      const arm = i % 2 === 0 ? 'c' : 't';
      for (const key of ['kept-plain', 'kept-strata']) batch.push(exposure(key, userId, at, arm));
      if (i % 17 === 0) batch.push(exposure('kept-plain', userId, at + DAY, arm === 'c' ? 't' : 'c'));
      if (bernoulli(rng, 0.3)) batch.push(order(userId, at - 3 * DAY, 10 + (i % 9) + 0.99));
      if (bernoulli(rng, arm === 't' ? 0.45 : 0.3))
        batch.push(order(userId, at + 2 * DAY, 20 + (i % 13) * 1.37));
      if (bernoulli(rng, 0.2)) batch.push(order(userId, at + 4 * DAY, 35.5));
      if (bernoulli(rng, 0.5)) batch.push(track(userId, 'Email Sent', at + DAY));
    }
    await send(batch);
  }, 120_000);
  afterAll(async () => t?.close());

  it('keeps the aggregates from the definition on and equals the full recomputation with and without covariates', async () => {
    const plain = await getExperiment(t.services.database.db, 'kept-plain');
    const strata = await getExperiment(t.services.database.db, 'kept-strata');
    await compare(plain, true);
    await compare(plain, false);
    await compare(strata, false);
    expect(await units('kept-plain')).toBeGreaterThan(200);
    expect(await dirty('kept-plain')).toBe(0);
  });

  it('stays equal after late outcomes, earlier exposures, new units and stratum changes', async () => {
    const plain = await getExperiment(t.services.database.db, 'kept-plain');
    const strata = await getExperiment(t.services.database.db, 'kept-strata');
    await compare(plain, true);
    await compare(strata, false);
    const late: unknown[] = [];
    const base = (i: number) => start.getTime() + (i % 18) * DAY + i * 997;
    // Late orders in the window and in the lookback of existing units.
    for (let i = 0; i < 40; i++) late.push(order(`kept-${i}`, base(i) + DAY + 3600_000, 99.95 + i));
    for (let i = 40; i < 50; i++) late.push(order(`kept-${i}`, base(i) - DAY, 5.25));
    // An exposure dated before a unit's first one, on the other arm: its first exposure and arm move.
    late.push(exposure('kept-plain', 'kept-60', base(60) - 3 * DAY, 't'));
    late.push(exposure('kept-strata', 'kept-61', base(61) - 3 * DAY, 'c'));
    // New units, and an identify call dated before a unit's first exposure that moves its stratum.
    for (let i = 240; i < 250; i++) {
      late.push(exposure('kept-plain', `kept-${i}`, start.getTime() + 2 * DAY + i, 't'));
      late.push(exposure('kept-strata', `kept-${i}`, start.getTime() + 2 * DAY + i, 'c'));
      late.push(order(`kept-${i}`, start.getTime() + 3 * DAY + i, 12));
    }
    late.push({
      type: 'identify',
      userId: 'kept-7',
      timestamp: new Date(base(7) - 3600_000).toISOString(),
      traits: { tier: 'platinum' },
      context: { consent: { categoryPreferences: GRANTED } },
    });
    await send(late);
    expect(await dirty('kept-plain')).toBeGreaterThan(40);
    // The scheduled catch-up (job experiments.aggregates) takes the marks without an analysis.
    const job = experimentAggregatesJob(t.services.database);
    const ran = (await job.handler({
      id: 'test',
      data: {},
      attempt: 1,
      log: createLogger('silent'),
      progress: () => Promise.resolve(),
    })) as { people: Record<string, number> };
    expect(ran.people['kept-plain']).toBeGreaterThan(40);
    expect(await dirty('kept-plain')).toBe(0);
    expect(await dirty('kept-strata')).toBe(0);
    const after = await compare(plain, true);
    expect(await dirty('kept-plain')).toBe(0);
    await compare(plain, false);
    const strataRows = await compare(strata, false);
    expect(strataRows.some((r) => r.stratum === 'platinum')).toBe(true);
    expect(after.reduce((s, r) => s + r.n, 0)).toBe(await units('kept-plain'));
  });

  it('stays equal after consent is withdrawn and granted, and forgets an erased person at once', async () => {
    const plain = await getExperiment(t.services.database.db, 'kept-plain');
    const strata = await getExperiment(t.services.database.db, 'kept-strata');
    const before = await units('kept-plain');
    for (const userId of ['kept-11', 'kept-12'])
      expect(
        (
          await t.request('/v1/consent', {
            key: source,
            json: { userId, categories: { analytics: true, marketing: false } },
          })
        ).status,
      ).toBeLessThan(300);
    await compare(plain, true);
    expect(await units('kept-plain')).toBe(before - 2);
    await t.request('/v1/consent', {
      key: source,
      json: { userId: 'kept-12', categories: { analytics: true, marketing: true } },
    });
    await compare(plain, true);
    await compare(strata, false);
    expect(await units('kept-plain')).toBe(before - 1);

    // Marked but not yet caught up when the erasure comes: nothing of the person may stay.
    await send([order('kept-20', start.getTime() + 5 * DAY, 1)]);
    const erased = await t.request('/v1/users/kept-20', { key: await t.keyFor('admin'), method: 'DELETE' });
    expect(erased.status).toBe(200);
    for (const table of ['experiment_units', 'experiment_unit_values', 'experiment_dirty']) {
      const [row] = await t.services.database.sql.unsafe(
        `select count(*)::int as n from ${table} where person_id = 'u:kept-20'`,
      );
      expect(Number(row!.n), table).toBe(0);
    }
    await compare(plain, true);
    await compare(strata, false);
  });

  it('holds, after all this, exactly the sums a rebuild from scratch computes', async () => {
    const plain = await getExperiment(t.services.database.db, 'kept-plain');
    const { sql } = t.services.database;
    const read = () =>
      sql`select variation, stratum, day, phase, n::text, multiple_arms::text, sends::text, sums::text
        from experiment_arm_days where experiment_key = 'kept-plain' order by 1, 2, 3, 4`;
    const incremental = await read();
    await sql`update experiment_aggregate_state set definition_hash = 'stale' where experiment_key = 'kept-plain'`;
    await compare(plain, true);
    expect(await read()).toEqual(incremental);
  });
});
