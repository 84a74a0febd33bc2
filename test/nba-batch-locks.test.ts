// Group commit's lock order (sql/0017): batches of decisions sent at once on separate connections,
// over the same people and the same counter rows in different orders, must never deadlock (each
// batch takes every lock it needs first, in one global order) and must charge every commit. Only
// the server has several connections; the embedded database serves one statement at a time.
import crypto from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../src/nba/policies/rng.js';
import { openTestServices, type TestContext } from './helpers/services.js';

const NOW = new Date('2026-06-01T12:00:00Z');

describe('concurrent decision batches on the server database', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await openTestServices('server', { clock: () => NOW });
  });
  afterAll(async () => t?.close());

  it('four connections × 25 batches of 8 commits over 12 people and two counters: no deadlock, all charged', async () => {
    const random = createRandom(42);
    // A person with neither consent nor features has the token "-|-|-" (sql/0015).
    const commit = (person: number) => ({
      id: crypto.randomUUID(),
      requestKey: null,
      personId: `u:lock-${person}`,
      userId: `lock-${person}`,
      placement: 'default',
      mode: 'learned',
      policy: 'thompson',
      modelVersion: null,
      chosenActionId: 'offer',
      servedActionId: 'offer',
      servedChannel: 'email',
      probability: 0.5,
      cost: 1,
      candidates: [],
      context: {},
      features: null,
      decidedAt: NOW.toISOString(),
      actionCaps: [],
      channelCaps: [],
      actionBudget: 1e9,
      actionCapacity: null,
      channelBudget: null,
      channelCapacity: 1e9,
      token: '-|-|-',
      since: '2026-05-01T00:00:00.000Z',
      day: '2026-06-01',
    });
    const batches = Array.from({ length: 4 }, () =>
      Array.from({ length: 25 }, () => Array.from({ length: 8 }, () => commit(Math.floor(random() * 12)))),
    );
    const answers = await Promise.all(
      batches.map(async (mine) => {
        // A connection of its own, as another process's would be.
        const sql = postgres(t.services.database.url, { max: 1, onnotice: () => undefined });
        try {
          const out: { status: string }[] = [];
          for (const batch of mine) {
            const [row] = await sql.unsafe<{ r: { status: string }[] }[]>(
              'select nba_decide_many($1::text::jsonb) as r',
              [JSON.stringify(batch)],
            );
            out.push(...row!.r);
          }
          return out;
        } finally {
          await sql.end();
        }
      }),
    );
    expect(answers.flat().map((a) => a.status)).toEqual(Array.from({ length: 800 }, () => 'ok'));
    const usage = await t.services.database.sql<{ scope: string; sends: number; spend: number }[]>`
      select scope, sends, spend from nba_usage_daily where day = '2026-06-01' order by scope`;
    expect(usage).toEqual([
      { scope: 'action', sends: 800, spend: 800 },
      { scope: 'channel', sends: 800, spend: 800 },
    ]);
  });
});
