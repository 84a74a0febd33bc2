// The next-best-action report over a log with known answers: a uniform logger (so "as run" and
// "uniform random" are the same policy and must agree exactly), one action that always answers and
// one that never does (so "always good" is worth its net value exactly), a daily capacity and a
// shadow placement.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestServices, type TestContext } from '../test/helpers/services.js';
import { figureRows, renderParsed } from '../test/helpers/report-world.js';

const NOW = new Date('2026-06-01T12:00:00Z');

describe('nba report', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await openTestServices('server', { clock: () => NOW });
    const crm = await t.keyFor('crm');
    const admin = await t.keyFor('admin');
    const put = async (p: string, json: unknown) =>
      expect((await t.request(p, { key: crm, method: 'PUT', json })).status).toBe(200);
    await put('/v1/nba/actions/good', {
      name: 'Good',
      channel: 'email',
      value: 10,
      cost: 1,
      dailyCapacity: 1000,
    });
    await put('/v1/nba/actions/bad', { name: 'Bad', channel: 'sms', value: 10, cost: 1 });
    await put('/v1/nba/placements/default', { policy: 'uniform', floor: 0 });
    await put('/v1/nba/placements/hero', { policy: 'epsilon-greedy', shadow: true, defaultActionId: 'bad' });
    for (let i = 0; i < 40; i++) {
      await t.request('/v1/consent', {
        key: admin,
        json: {
          userId: `r${i}`,
          categories: { analytics: true, personalization: true, marketing: true },
          at: '2026-05-01T00:00:00Z',
        },
      });
      const d = (await (
        await t.request('/v1/decisions', { key: crm, json: { customerId: `r${i}` } })
      ).json()) as {
        decisionId: string;
        action: { id: string };
      };
      await t.request('/v1/rewards', {
        key: crm,
        json: { decisionId: d.decisionId, reward: d.action.id === 'good' ? 1 : 0 },
      });
    }
    for (let i = 0; i < 5; i++)
      await t.request('/v1/decisions', {
        key: crm,
        json: { customerId: `r${i}`, context: { placement: 'hero' } },
      });
  }, 120_000);
  afterAll(async () => t?.close());

  it('shows policy values with intervals, the action mix, limits and the shadow comparison', async () => {
    const { doc, text } = await renderParsed({ database: t.services.database, now: NOW }, 'nba');
    const served = await t.services.database.sql<{ a: string; n: number }[]>`
      select served_action_id as a, count(*)::int as n from nba_decisions where mode = 'learned' group by 1`;
    const n = Object.fromEntries(served.map((r) => [r.a, r.n]));
    const mean = ((n.good ?? 0) * 9 + (n.bad ?? 0) * -1) / 40;
    const rows = Array.from(doc.querySelectorAll('table')).flatMap((tb) =>
      Array.from(tb.querySelectorAll('tr')).map((tr) =>
        Array.from(tr.querySelectorAll('td')).map((c) => c.textContent ?? ''),
      ),
    );
    const value = (policy: string) => rows.find((r) => r[0] === policy)?.[1] ?? '';
    expect(value('as run').startsWith(mean.toLocaleString('en-US', { maximumFractionDigits: 3 }))).toBe(true);
    expect(value('uniform random')).toBe(value('as run'));
    expect(value('always good')).toBe('9 [9, 9]');
    expect(
      figureRows(doc, 'action-mix')
        .map((r) => [r[1], Number(r[2])])
        .sort(),
    ).toEqual(
      // Every served action counts, the shadow placement's five defaults ("bad") included.
      [
        ['bad', (n.bad ?? 0) + 5],
        ['good', n.good ?? 0],
      ].filter((r) => r[1]),
    );
    expect(rows.some((r) => r[1] === 'action good' && r[4] === 'capacity 1000')).toBe(true);
    expect(text).toContain('Policy against what was served');
    expect(rows.find((r) => r[0] === 'shadow')?.[1]).toBe('5');
  });
});
