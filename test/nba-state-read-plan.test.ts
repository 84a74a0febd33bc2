// The state read of people a process does not know (nba_person_states, sql/0021) looks each person up
// by primary key, whatever the planner guesses about the batch: with 20,000 people it once hashed the
// whole consent table for every batch (a sequential scan per statement, about 1.3 ms here). Counted
// with the table's scan statistics for the statement's own transaction, on the PostgreSQL server,
// whose planner made that choice at this size.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../src/platform/db/client.js';
import { openTestServices, type TestContext } from './helpers/services.js';
import { REPEATS, scansDuring } from './helpers/scans.js';

const PEOPLE = 20_000;

describe('the state read of a batch of new people', () => {
  let t: TestContext;
  let sql: Sql;
  beforeAll(async () => {
    t = await openTestServices('server');
    sql = t.services.database.sql;
    const ids = Array.from({ length: PEOPLE }, (_, i) => `u:plan-${i}`);
    const consent = JSON.stringify({ analytics: true, personalization: true, marketing: true, ads: false });
    await sql`insert into cdp_consent_state (person_id, categories, at, ledger_id)
      select id, ${consent}::jsonb, now(), 0 from unnest(${ids}::text[]) id`;
    await sql`insert into feature_person_raw (person_id, as_of, version, raw)
      select id, now(), 2, '{"plan": "regular"}'::jsonb from unnest(${ids}::text[]) id`;
    await sql`analyze cdp_consent_state`;
    await sql`analyze feature_person_raw`;
  });
  afterAll(() => t.close());

  it.each([1, 8, 100])('reads %i people by primary key, scanning neither table', async (n) => {
    const batch = Array.from({ length: n }, (_, i) => ({
      personId: `u:plan-${(i * 7919) % PEOPLE}`,
      requestKey: null,
      since: '2026-01-01T00:00:00Z',
      day: '2026-06-01',
      token: null,
    }));
    const scans = await scansDuring(
      sql,
      ['cdp_consent_state', 'feature_person_raw'],
      (tx) => tx`select nba_decide_many(${JSON.stringify(batch)}::jsonb)`,
    );
    expect(scans).toEqual({
      cdp_consent_state: { seq: 0, idx: REPEATS * n },
      feature_person_raw: { seq: 0, idx: REPEATS * n },
    });
    const [answer] = await sql<{ r: { status: string; consent: { marketing: boolean } }[] }[]>`
      select nba_decide_many(${JSON.stringify(batch)}::jsonb) as r`;
    expect(answer!.r).toHaveLength(n);
    expect(answer!.r.every((a) => a.status === 'state' && a.consent.marketing)).toBe(true);
  });
});
