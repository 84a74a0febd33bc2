// One database round trip per decision for a person the process already knows (src/nba/person-state.ts,
// sql/0015), on both databases: the statements a decision sends are counted. A change of consent or
// of the materialised features written behind the process's back (straight into the tables, as
// another process or replica would) still counts from the very next decision.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/platform/db/client.js';
import { decide, putAction, putPlacement } from '../src/nba/index.js';
import { DATABASE_MODES } from './helpers/databases.js';
import { openTestServices, type TestContext } from './helpers/services.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const PERSON = 'u:rt-1';

const raw = (orders365: number) => ({
  orders: { 7: 0, 30: 0, 90: 1, 180: 1, 365: orders365 },
  revenue30: 0,
  revenue90: 40,
  revenue365: 40 * orders365,
  lastOrderAt: '2026-05-01T10:00:00.000Z',
  activeDays7: 0,
  activeDays30: 2,
  activeDays90: 5,
  pageViews30: 10,
  productViews30: 4,
  productViews90: 9,
  cartAdds30: 1,
  checkouts30: 0,
  emailOpens30: 1,
  emailOpens90: 3,
  emailClicks30: 0,
  emailClicks90: 1,
  categoryViews90: { coffee: 5, tea: 1, gear: 3, drinkware: 0, gift: 0, subscription: 0 },
  deviceEvents90: { mobile: 10, tablet: 0, desktop: 5 },
  signedUpAt: '2025-11-01T00:00:00.000Z',
  firstSeenAt: '2025-10-20T00:00:00.000Z',
  plan: 'regular',
});

/**
 * The database with its `sql` counting the statements of a decision. The catalogue and the champion
 * model are snapshots every process reuses for a while (catalogue-store.ts, model-store.ts): not counted.
 */
function counting(database: Database) {
  const texts: string[] = [];
  const sql = new Proxy(database.sql, {
    apply(target, self, args: [TemplateStringsArray, ...unknown[]]) {
      const text = args[0].join('$');
      if (!/from (nba_actions|nba_channels|nba_placements|model_versions)\b/.test(text)) texts.push(text);
      return Reflect.apply(target, self, args) as unknown;
    },
  });
  return { database: { ...database, sql }, texts };
}

describe.each(DATABASE_MODES)('one round trip per decision on the %s database', (mode) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await openTestServices(mode, { clock: () => NOW });
    const { database } = t.services;
    const action = { channel: 'web', creative: null, lever: 1, startsAt: null, endsAt: null, active: true };
    const none = { caps: [], dailyBudget: null, dailyCapacity: null };
    await putAction(database, 'promo', {
      ...action,
      ...none,
      name: 'Promo',
      marketing: true,
      value: 20,
      cost: 1,
      eligibility: null,
    });
    await putAction(database, 'loyal', {
      ...action,
      ...none,
      name: 'For loyal customers',
      marketing: false,
      value: 30,
      cost: 0,
      eligibility: { field: 'profile.orders_365d', op: 'gte', value: 5 },
    });
    await putPlacement(database, 'default', {
      policy: 'thompson',
      floor: 0.02,
      shadow: false,
      defaultActionId: null,
      rewardWindowHours: 24,
      defaultReward: 0,
    });
    await database.sql`insert into cdp_consent_state (person_id, categories, at, ledger_id)
      values (${PERSON}, ${JSON.stringify({ analytics: true, personalization: true, marketing: true })}::jsonb, now(), 0)`;
    await database.sql`insert into feature_person_raw (person_id, as_of, version, raw)
      values (${PERSON}, ${NOW.toISOString()}::timestamptz, 2, ${JSON.stringify(raw(2))}::jsonb)`;
  });
  afterAll(async () => t?.close());

  it('sends one statement once the person is known; consent and feature changes count from the next decision', async () => {
    const { database, texts } = counting(t.services.database);
    const once = async () => {
      texts.length = 0;
      const { response } = await decide(
        database,
        { customerId: 'rt-1', placement: 'default', context: {} },
        { keyId: 'k', clock: () => NOW },
      );
      return { response, statements: texts.length };
    };
    const reasonsOf = (r: { reasons: { actionId: string; reason: string }[] }) =>
      Object.fromEntries(r.reasons.map((x) => [x.actionId, x.reason]));

    const first = await once();
    expect(first.statements).toBe(2); // the state, then the decision
    expect(reasonsOf(first.response)).toEqual({ loyal: 'eligibility' });
    const second = await once();
    expect(second.statements).toBe(1);
    expect(texts[0]).toMatch(/nba_decide/);
    expect(second.response.mode).toBe('learned');

    // New features (as a features.refresh in another process would write them): the next decision sees them.
    await t.services.database.sql`update feature_person_raw set raw = ${JSON.stringify(raw(9))}::jsonb,
      computed_at = clock_timestamp() where person_id = ${PERSON}`;
    const refreshed = await once();
    expect(refreshed.statements).toBe(2); // refused as stale, answered with the fresh state, decided again
    expect(reasonsOf(refreshed.response)).toEqual({});
    expect((await once()).statements).toBe(1);

    // Marketing consent withdrawn behind the process's back: the very next decision has no marketing action.
    await t.services.database.sql`update cdp_consent_state
      set categories = ${JSON.stringify({ analytics: true, personalization: true, marketing: false })}::jsonb
      where person_id = ${PERSON}`;
    const withdrawn = await once();
    expect(reasonsOf(withdrawn.response)).toEqual({ promo: 'consent' });
    expect(withdrawn.response.action?.id).toBe('loyal');

    // Personalization withdrawn: non-personal at once (no default here, so nothing is served).
    await t.services.database.sql`update cdp_consent_state
      set categories = ${JSON.stringify({ analytics: true, personalization: false, marketing: false })}::jsonb
      where person_id = ${PERSON}`;
    expect((await once()).response.mode).toBe('none');
  });

  it('one request id decided by many calls at once: one decision logged, one send charged, one answer', async () => {
    const { database } = t.services;
    await putAction(database, 'limited', {
      name: 'Limited',
      channel: 'web',
      creative: null,
      marketing: false,
      value: 10,
      cost: 0.5,
      lever: 1,
      startsAt: null,
      endsAt: null,
      eligibility: null,
      caps: [],
      dailyBudget: 100,
      dailyCapacity: 100,
      active: true,
    });
    await database.sql`insert into cdp_consent_state (person_id, categories, at, ledger_id)
      values ('u:rt-2', ${JSON.stringify({ analytics: true, personalization: true, marketing: true })}::jsonb, now(), 0)`;
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        decide(
          database,
          {
            customerId: 'rt-2',
            requestId: 'same',
            placement: 'default',
            context: {},
            candidates: ['limited'],
          },
          { keyId: 'k', clock: () => NOW },
        ),
      ),
    );
    expect(new Set(answers.map((a) => a.response.decisionId)).size).toBe(1);
    expect(answers.filter((a) => !a.replayed)).toHaveLength(1);
    expect(answers[0]!.response.action?.id).toBe('limited');
    const [row] = await database.sql<{ n: number; sends: number; spend: number }[]>`
      select (select count(*)::int from nba_decisions where request_key = 'k:same') as n,
        (select sends from nba_usage_daily where scope = 'action' and key = 'limited') as sends,
        (select spend from nba_usage_daily where scope = 'action' and key = 'limited') as spend`;
    expect(row).toEqual({ n: 1, sends: 1, spend: 0.5 });
  });
});
