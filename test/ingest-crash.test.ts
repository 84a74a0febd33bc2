// kill -9 of the API in the middle of a load loses no acknowledged event: everything answered
// "accepted" is in the database after the crash, and resending everything after a restart stores
// each event exactly once. (Server mode: the PostgreSQL server survives the API process.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/platform/db/client.js';
import { migrate } from '../src/platform/db/migrate.js';
import { createKey } from '../src/platform/auth/store.js';
import { createTestDatabase, type TestDatabase } from './helpers/databases.js';
import { startServe } from './helpers/cli.js';

const GRANTED = {
  consent: { categoryPreferences: { analytics: true, personalization: true, marketing: true, ads: true } },
};
const BATCHES = 60;
const PER_BATCH = 250;

describe('a crash during ingest (server mode)', () => {
  let tdb: TestDatabase;
  let env: Record<string, string>;
  let key: string;
  beforeAll(async () => {
    tdb = await createTestDatabase('server');
    env = { DATABASE_URL: (tdb.config.database as { url: string }).url, ATTUNE_WORKERS: 'off' };
    const d = await openDatabase(tdb.config.database, { purpose: 'test' });
    await migrate(d.sql);
    key = (await createKey(d.db, { name: 'crash source', role: 'source', createdBy: 'test' })).key;
    await d.close();
  });
  afterAll(async () => tdb?.drop());

  const batches = Array.from({ length: BATCHES }, (_, b) =>
    Array.from({ length: PER_BATCH }, (_, i) => ({
      type: 'track',
      event: 'Product Viewed',
      userId: `crash-user-${i % 40}`,
      messageId: `crash-${b}-${i}`,
      context: GRANTED,
      properties: { product_id: 'KC-COF-001', category: 'coffee', price: 16 },
    })),
  );

  async function sendAll(
    url: string,
    onAck: (ids: string[]) => void,
    stopAfterAcks?: { n: number; kill: () => void },
  ): Promise<void> {
    let next = 0;
    let acks = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < batches.length) {
          const batch = batches[next++]!;
          try {
            const res = await fetch(`${url}/v1/batch`, {
              method: 'POST',
              headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
              body: JSON.stringify({ batch }),
            });
            if (res.status !== 200) continue;
            const body = (await res.json()) as { results: { messageId: string; status: string }[] };
            onAck(body.results.filter((r) => r.status === 'accepted').map((r) => r.messageId));
            if (stopAfterAcks && ++acks === stopAfterAcks.n) stopAfterAcks.kill();
          } catch {
            return; // the server is gone: this client stops, as a real one would retry later
          }
        }
      }),
    );
  }

  it('keeps every acknowledged event, and a full resend after restart stores each exactly once', async () => {
    const first = await startServe(env);
    const acknowledged = new Set<string>();
    await sendAll(first.url, (ids) => ids.forEach((i) => acknowledged.add(i)), {
      n: 20,
      kill: () => first.child.kill('SIGKILL'),
    });
    await first.closed;
    expect(acknowledged.size).toBeGreaterThanOrEqual(20 * PER_BATCH);
    expect(acknowledged.size).toBeLessThan(BATCHES * PER_BATCH); // it really died mid-load

    const check = await openDatabase(tdb.config.database, { purpose: 'test' });
    try {
      const stored = new Set(
        (await check.sql<{ m: string }[]>`select message_id as m from cdp_events`).map((r) => r.m),
      );
      const lost = [...acknowledged].filter((m) => !stored.has(m));
      expect(lost).toEqual([]);

      const second = await startServe(env);
      try {
        const acceptedNow = new Set<string>();
        await sendAll(second.url, (ids) => ids.forEach((i) => acceptedNow.add(i)));
        expect([...acceptedNow].filter((m) => acknowledged.has(m))).toEqual([]); // acknowledged ones come back as duplicates
      } finally {
        second.child.kill('SIGTERM');
        await second.closed;
      }
      const [row] = await check.sql<
        { n: string; d: string }[]
      >`select count(*) as n, count(distinct message_id) as d from cdp_events`;
      expect(Number(row!.n)).toBe(BATCHES * PER_BATCH);
      expect(Number(row!.d)).toBe(BATCHES * PER_BATCH);
    } finally {
      await check.close();
    }
  });
});
