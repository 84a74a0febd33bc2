// Statements that look up a request's ids in tables that grow with the customer base read each id by
// primary key, whatever the planner guesses about the list: joined as a set, ingest's look-up hashed
// the links, suppressions and consent tables for a batch of 100 events (20,000 people), the features
// served for one person intersected with the whole consent table, and an experiment's catch-up of one
// person hashed the consent table (5,000 people). Counted with the tables' scan statistics for the
// statement's own transaction, after PostgreSQL's five custom plans of a prepared statement, on the
// PostgreSQL server, whose planner made those choices at these sizes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type postgres from 'postgres';
import type { Sql } from '../src/platform/db/client.js';
import { lookUp } from '../src/cdp/ingest-store.js';
import { rawFeaturesAsOf } from '../src/features/index.js';
import { createExperiment } from '../src/experiments/store.js';
import { CreateExperimentSchema, type Experiment } from '../src/experiments/definition.js';
import { addUnits } from '../src/experiments/aggregates-sql.js';
import { DATABASE_MODES } from './helpers/databases.js';
import { REPEATS, scansDuring, type Scans } from './helpers/scans.js';
import { openTestServices, type TestContext } from './helpers/services.js';

const GRANTED = JSON.stringify({ analytics: true, personalization: true, marketing: true, ads: false });
const SOURCE = '00000000-0000-0000-0000-000000000001';
const seqScans = (s: Scans) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v.seq]));

describe.each(DATABASE_MODES)('ingest looks up a batch of ids by primary key (%s)', (mode) => {
  const PEOPLE = 20_000;
  let t: TestContext;
  let sql: Sql;
  beforeAll(async () => {
    t = await openTestServices(mode);
    sql = t.services.database.sql;
    // Half the people are users (u:user-i, i even), half anonymous (a:anon-i, i odd); every anon-i up
    // to PEOPLE / 2 is linked to user-i; one id in ten is suppressed.
    await sql`insert into cdp_identity_users (user_id) select 'user-' || g from generate_series(1, ${PEOPLE / 2}::int) g`;
    await sql`insert into cdp_identity_links (anonymous_id, user_id, via)
      select 'anon-' || g, 'user-' || g, 'identify' from generate_series(1, ${PEOPLE / 2}::int) g`;
    await sql`insert into cdp_suppressions (id_value, erasure_id)
      select 'hash-' || (g * 10), gen_random_uuid() from generate_series(1, ${PEOPLE / 10}::int) g`;
    await sql`insert into cdp_consent_state (person_id, categories, at, ledger_id)
      select case when g % 2 = 0 then 'u:user-' || g else 'a:anon-' || g end, ${GRANTED}::jsonb, now(), g
      from generate_series(1, ${PEOPLE}::int) g`;
    for (const table of ['cdp_identity_users', 'cdp_identity_links', 'cdp_suppressions', 'cdp_consent_state'])
      await sql.unsafe(`analyze ${table}`);
  });
  afterAll(() => t.close());

  it.each([1, 8, 100, 1000])('a batch of %i events scans none of the tables', async (events) => {
    // Each event's anonymous id (anon-i with i odd, linked when i ≤ PEOPLE / 2), and every other
    // event's user id; every id's hash, some suppressed.
    const anon = Array.from({ length: events }, (_, k) => `anon-${((k * 7919) % PEOPLE) | 1}`);
    const users = Array.from(
      { length: Math.ceil(events / 2) },
      (_, k) => `user-${(((k * 104729) % PEOPLE) >> 1) << 1 || 2}`,
    );
    const hashes = [...anon, ...users].map((id) => `hash-${id.replace(/\D/g, '')}`);
    let found: Awaited<ReturnType<typeof lookUp>> | undefined;
    const scans = await scansDuring(
      sql,
      ['cdp_identity_users', 'cdp_identity_links', 'cdp_suppressions', 'cdp_consent_state'],
      async (tx) => (found = await lookUp(tx, SOURCE, hashes, anon, users)),
    );
    expect(seqScans(scans)).toEqual({
      cdp_identity_users: 0,
      cdp_identity_links: 0,
      cdp_suppressions: 0,
      cdp_consent_state: 0,
    });
    // The answer is the tables' content for these ids, worked out here from how they were filled.
    const n = (id: string) => Number(id.replace(/\D/g, ''));
    const linked = anon.filter((a) => n(a) <= PEOPLE / 2);
    expect(found!.links).toEqual(new Map(linked.map((a) => [a, `user-${n(a)}`])));
    expect(found!.users).toEqual(new Set(users.filter((u) => n(u) <= PEOPLE / 2)));
    expect(new Set(found!.suppressed.keys())).toEqual(
      new Set(hashes.filter((h) => n(h) % 10 === 0 && n(h) <= PEOPLE)),
    );
    const persons = new Set([
      ...users.map((u) => `u:${u}`),
      ...anon.map((a) => `a:${a}`),
      ...linked.map((a) => `u:user-${n(a)}`),
    ]);
    // Consent rows: u:user-i for even i, a:anon-i for odd i.
    const stated = (p: string) => n(p) <= PEOPLE && n(p) % 2 === (p.startsWith('u:') ? 0 : 1);
    expect(new Set(found!.consent.keys())).toEqual(new Set([...persons].filter(stated)));
  });
});

describe.each(DATABASE_MODES)(
  "one person's served features check their consent by primary key (%s)",
  (mode) => {
    const PEOPLE = 20_000;
    let t: TestContext;
    let sql: Sql;
    beforeAll(async () => {
      t = await openTestServices(mode);
      sql = t.services.database.sql;
      await sql`insert into cdp_consent_state (person_id, categories, at, ledger_id)
      select 'u:p' || g, ${GRANTED}::jsonb, now(), g from generate_series(1, ${PEOPLE}::int) g`;
      await sql`insert into cdp_events (source_id, message_id, type, event, person_id, user_id, properties, context, consent, "timestamp", received_at)
      select ${SOURCE}::uuid, 'm-' || g, 'track', 'Order Completed', 'u:p' || g, 'p' || g,
        jsonb_build_object('revenue', g % 97), '{}'::jsonb, '{}'::jsonb, now() - interval '3 days', now()
      from generate_series(1, ${PEOPLE}::int) g`;
      await sql`analyze cdp_consent_state`;
    });
    afterAll(() => t.close());

    it('reads one consent row, not the table', async () => {
      let orders: number | undefined;
      const scans = await scansDuring(sql, ['cdp_consent_state'], async (tx) => {
        const raws = await rawFeaturesAsOf(tx, new Date(), tx`select ${'u:p4242'}::text as person_id`);
        orders = raws.get('u:p4242')?.orders[7];
      });
      expect(scans).toEqual({ cdp_consent_state: { seq: 0, idx: REPEATS } });
      expect(orders).toBe(1);
    });
  },
);

describe.each(DATABASE_MODES)(
  "an experiment's catch-up checks its people's consent by primary key (%s)",
  (mode) => {
    const PEOPLE = 5_000;
    let t: TestContext;
    let sql: Sql;
    let e: Experiment;
    const start = new Date(Date.now() - 30 * 86_400_000);
    beforeAll(async () => {
      t = await openTestServices(mode);
      sql = t.services.database.sql;
      e = await createExperiment(
        t.services.database.db,
        CreateExperimentSchema.parse({
          key: 'plans',
          hypothesis: 'Consent is read person by person.',
          purpose: 'marketing',
          startAt: start.toISOString(),
          variations: [
            { id: 'c', name: 'control', weight: 0.5 },
            { id: 't', name: 'treatment', weight: 0.5 },
          ],
          goalMetrics: [{ name: 'conversion', type: 'binomial', event: 'Order Completed' }],
        }),
        'test',
        new Date(),
      );
      // Everyone consents, saw the experiment once and ordered twice.
      await sql`insert into cdp_consent_state (person_id, categories, at, ledger_id)
      select 'u:p' || g, ${GRANTED}::jsonb, now(), g from generate_series(1, ${PEOPLE}::int) g`;
      await sql`insert into cdp_events (source_id, message_id, type, event, person_id, user_id, properties, context, consent, "timestamp", received_at)
      select ${SOURCE}::uuid, 'm-' || g || '-' || k, 'track', case when k = 0 then 'Experiment Viewed' else 'Order Completed' end,
        'u:p' || g, 'p' || g,
        case when k = 0 then jsonb_build_object('experiment_id', 'plans', 'variation_id', case when g % 2 = 0 then 'c' else 't' end)
             else jsonb_build_object('revenue', g % 97 + k) end,
        '{}'::jsonb, '{}'::jsonb, now() - interval '10 days' + k * interval '1 hour', now()
      from generate_series(1, ${PEOPLE}::int) g, generate_series(0, 2) k`;
      await sql`analyze cdp_consent_state`;
      await sql`analyze cdp_events`;
    });
    afterAll(() => t.close());

    it.each([1, 8])('recomputing %i people reads their consent rows only', async (n) => {
      const persons = Array.from({ length: n }, (_, k) => `u:p${1 + ((k * 613) % PEOPLE)}`).sort();
      const statement = addUnits(e, e.goalMetrics, { from: start, to: null }, 'marketing', persons);
      const units: number[] = [];
      const scans = await scansDuring(sql, ['cdp_consent_state'], async (tx) => {
        // Each run is rolled back (a savepoint), so that every run adds the same units afresh.
        await (tx as unknown as postgres.TransactionSql)
          .savepoint(async (s) => {
            await s.unsafe(statement.text, statement.values as never[]);
            const [row] = await s<{ n: number }[]>`select count(*)::int as n from experiment_units`;
            units.push(row!.n);
            throw new Error('roll back');
          })
          .catch((err: unknown) => {
            if (!(err instanceof Error) || err.message !== 'roll back') throw err;
          });
      });
      expect(scans.cdp_consent_state).toEqual({ seq: 0, idx: REPEATS * n });
      expect(units).toEqual(Array.from({ length: REPEATS }, () => n));
    });
  },
);
