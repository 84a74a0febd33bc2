// Caps and budgets under concurrency: many simultaneous decisions against a nearly spent budget,
// through the API, on both databases (on the server, batches of decisions run two at a time from
// the pool: src/nba/decide-batch.ts; test/nba-batch-locks.test.ts races more).
// Afterwards the log and the counters must agree, and no budget, capacity or cap may be exceeded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_MODES } from './helpers/databases.js';
import { openTestServices, type TestContext } from './helpers/services.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const DAY = NOW.toISOString().slice(0, 10);

describe.each(DATABASE_MODES)('limits under concurrent decisions on the %s database', (mode) => {
  let t: TestContext;
  let crm: string;
  let admin: string;
  const put = async (path: string, json: unknown) =>
    expect((await t.request(path, { key: crm, method: 'PUT', json })).status).toBe(200);
  /** Every category granted to each person, before NOW. */
  const consentAll = async (userIds: string[]) => {
    for (const userId of userIds)
      await t.request('/v1/consent', {
        key: admin,
        json: {
          userId,
          categories: { analytics: true, personalization: true, marketing: true },
          at: '2026-05-01T00:00:00Z',
        },
      });
  };
  beforeAll(async () => {
    t = await openTestServices(mode, { clock: () => NOW });
    crm = await t.keyFor('crm');
    admin = await t.keyFor('admin');
    // "scarce": 3 sends of budget left today; "plenty": no budget, but a per-person cap of 1 a week.
    await put('/v1/nba/actions/scarce', {
      name: 'Scarce',
      channel: 'email',
      value: 500,
      cost: 1,
      dailyBudget: 10,
      caps: [{ max: 1, days: 7 }],
    });
    await put('/v1/nba/actions/plenty', {
      name: 'Plenty',
      channel: 'email',
      value: 400,
      cost: 0.5,
      caps: [{ max: 1, days: 7 }],
    });
    await put('/v1/nba/actions/sms', {
      name: 'SMS',
      channel: 'sms',
      value: 300,
      cost: 0.2,
      dailyCapacity: 12,
    });
    // Per person at most 2 e-mails a month; the e-mail channel at most 30 sends today.
    await put('/v1/nba/channels/email', { caps: [{ max: 2, days: 30 }], dailyCapacity: 30 });
    await put('/v1/nba/placements/default', { policy: 'uniform', floor: 0 });
    await t.services.database
      .sql`insert into nba_usage_daily (scope, key, day, sends, spend) values ('action', 'scarce', ${DAY}::date, 7, 7)`;
    await consentAll(Array.from({ length: 20 }, (_, i) => `p${i}`));
  });
  afterAll(async () => t?.close());

  it('never exceeds a budget, a capacity or a cap, and the counters match the log', async () => {
    // 20 people × 4 simultaneous requests each = 80 decisions at once.
    const answers = await Promise.all(
      Array.from({ length: 80 }, (_, i) =>
        t.request('/v1/decisions', { key: crm, json: { customerId: `p${i % 20}`, requestId: `r${i}` } }),
      ),
    );
    const bodies = (await Promise.all(answers.map((a) => a.json()))) as { action: { id: string } | null }[];
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 201));
    const { sql } = t.services.database;
    const served = await sql<
      { person_id: string; served_action_id: string; served_channel: string; cost: number }[]
    >`
      select person_id, served_action_id, served_channel, cost from nba_decisions where served_action_id is not null`;
    expect(served.length).toBe(bodies.filter((b) => b.action).length);
    const count = (f: (r: (typeof served)[number]) => boolean) => served.filter(f).length;
    // Budget: 7 of 10 were spent before; at most 3 more sends of cost 1.
    expect(count((r) => r.served_action_id === 'scarce')).toBeLessThanOrEqual(3);
    expect(count((r) => r.served_action_id === 'sms')).toBeLessThanOrEqual(12);
    expect(count((r) => r.served_channel === 'email')).toBeLessThanOrEqual(30);
    for (let i = 0; i < 20; i++) {
      const mine = served.filter((r) => r.person_id === `u:p${i}`);
      expect(mine.filter((r) => r.served_action_id === 'scarce').length).toBeLessThanOrEqual(1);
      expect(mine.filter((r) => r.served_action_id === 'plenty').length).toBeLessThanOrEqual(1);
      expect(mine.filter((r) => r.served_channel === 'email').length).toBeLessThanOrEqual(2);
    }
    const usage = await sql<{ scope: string; key: string; sends: number; spend: number }[]>`
      select scope, key, sends, spend from nba_usage_daily where day = ${DAY}::date order by scope, key`;
    const u = Object.fromEntries(usage.map((r) => [`${r.scope}:${r.key}`, r]));
    expect(u['action:scarce']!.spend).toBeLessThanOrEqual(10 + 1e-9);
    expect(u['action:scarce']!.sends).toBe(7 + count((r) => r.served_action_id === 'scarce'));
    expect(u['channel:email']?.sends ?? 0).toBe(count((r) => r.served_channel === 'email'));
    expect(u['action:sms']?.sends ?? 0).toBe(count((r) => r.served_channel === 'sms'));
    // Scopes without a limit keep no counter (a counter is a lock every decision on it queues on).
    expect(Object.keys(u).sort()).toEqual(['action:scarce', 'action:sms', 'channel:email']);
    expect(count((r) => r.served_action_id === 'plenty')).toBeGreaterThan(0);
    // The limits did bind: the scarce budget is used up and the sms capacity was reached.
    expect(u['action:scarce']!.spend).toBeCloseTo(10, 9);
    expect(u['action:sms']?.sends).toBe(12);
  });

  it('batches in flight at once (one statement per turn, sent while earlier ones run) keep every limit', async () => {
    // Waves of requests started on successive turns of the event loop: each wave becomes its own
    // statement (src/nba/decide-batch.ts) and runs beside the others on the pool, people in a
    // different order in every wave, all on one channel's capacity and one action's budget.
    await put('/v1/nba/channels/push', { caps: [{ max: 2, days: 30 }], dailyCapacity: 15 });
    await put('/v1/nba/actions/push-budget', {
      name: 'Budgeted push',
      channel: 'push',
      value: 500,
      cost: 1,
      dailyBudget: 4,
      caps: [{ max: 1, days: 7 }],
    });
    await put('/v1/nba/actions/push-free', {
      name: 'Free push',
      channel: 'push',
      value: 400,
      cost: 0.1,
      caps: [{ max: 1, days: 7 }],
    });
    const people = Array.from({ length: 30 }, (_, i) => `q${i}`);
    await consentAll(people);
    const pending: Promise<Response>[] = [];
    for (let wave = 0; wave < 12; wave++) {
      const order = wave % 2 ? [...people].reverse() : people;
      for (let k = 0; k < 8; k++)
        pending.push(
          t.request('/v1/decisions', {
            key: crm,
            json: {
              customerId: order[(wave * 5 + k) % order.length],
              requestId: `w${wave}-${k}`,
              candidates: ['push-budget', 'push-free'],
            },
          }),
        );
      await new Promise((resolve) => setImmediate(resolve));
    }
    const answers = await Promise.all(pending);
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 201));
    const { sql } = t.services.database;
    const served = await sql<{ person_id: string; served_action_id: string }[]>`
      select person_id, served_action_id from nba_decisions where served_channel = 'push'`;
    const count = (f: (r: (typeof served)[number]) => boolean) => served.filter(f).length;
    expect(count((r) => r.served_action_id === 'push-budget')).toBe(4); // the budget binds, exactly
    expect(served.length).toBe(15); // and so does the channel's capacity
    for (const q of people) {
      const mine = served.filter((r) => r.person_id === `u:${q}`);
      expect(mine.length).toBeLessThanOrEqual(2);
      expect(new Set(mine.map((r) => r.served_action_id)).size).toBe(mine.length);
    }
    const usage = await sql<{ scope: string; key: string; sends: number; spend: number }[]>`
      select scope, key, sends, spend from nba_usage_daily
      where day = ${DAY}::date and key in ('push', 'push-budget') order by scope, key`;
    expect(usage.map((u) => [u.scope, u.key, u.sends])).toEqual([
      ['action', 'push-budget', 4],
      ['channel', 'push', served.length],
    ]);
    expect(usage[0]!.spend).toBeCloseTo(4, 9);
  });
});
