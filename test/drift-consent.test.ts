// Drift monitors read people's events: a withdrawal of analytics consent takes them out of every
// check computed after it, in both database modes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_MODES } from './helpers/databases.js';
import { openTestServices, type TestContext } from './helpers/services.js';

const GRANTED = {
  consent: { categoryPreferences: { analytics: true, personalization: true, marketing: true, ads: false } },
};
const DAY = 86_400_000;

describe.each(DATABASE_MODES)('drift monitors and consent on the %s database', (mode) => {
  let t: TestContext;
  let source: string;
  const asOf = new Date(Date.now() - DAY);

  beforeAll(async () => {
    t = await openTestServices(mode);
    source = await t.keyFor('source');
    // Two people, each with 5 events in the reference window (28 days before the last 7) and 5 in the current one.
    const batch = ['stays', 'leaves'].flatMap((userId) =>
      [3, 4, 5, 6, 6.5, 10, 12, 15, 20, 30].map((daysBack, i) => ({
        type: 'track',
        event: 'Product Viewed',
        userId,
        messageId: `${userId}-${i}`,
        timestamp: new Date(asOf.getTime() - daysBack * DAY).toISOString(),
        properties: { product_id: 'KC-COF-001', category: 'coffee', price: 16 },
        context: { ...GRANTED, device: { type: userId === 'stays' ? 'desktop' : 'mobile' } },
      })),
    );
    const res = await t.request('/v1/batch', { key: source, json: { batch } });
    expect(((await res.json()) as { accepted: number }).accepted).toBe(20);
  });
  afterAll(async () => t?.close());

  const featureCheck = async () => {
    await t.services.queue.registry.runInline(
      'drift.monitors',
      { asOf: asOf.toISOString(), currentDays: 7, referenceDays: 28 },
      t.services.log,
    );
    const rows = await t.services.database.sql<{ result: { referenceRows: number; currentRows: number } }[]>`
      delete from drift_checks where monitor = 'features' returning result`;
    expect(rows).toHaveLength(1);
    return rows[0]!.result;
  };

  it('uses a person’s events while they consent and none of them after they withdraw', async () => {
    expect(await featureCheck()).toMatchObject({ referenceRows: 10, currentRows: 10 });
    const withdraw = await t.request('/v1/consent', {
      key: source,
      json: { userId: 'leaves', categories: { analytics: false, marketing: false } },
    });
    expect(withdraw.status).toBeLessThan(300);
    expect(await featureCheck()).toMatchObject({ referenceRows: 5, currentRows: 5 });
  });
});
