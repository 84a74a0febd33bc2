// CDP ingest through the real API in both database modes: Segment's request shapes, hostile
// input that must not cost a valid neighbour, idempotency, consent, PII, identity and erasure.
import { refreshFeatures } from '../src/features/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_MODES } from './helpers/databases.js';
import { openTestServices, type TestContext } from './helpers/services.js';
import { consentOf } from '../src/cdp/consent-store.js';

const GRANTED = {
  consent: { categoryPreferences: { analytics: true, personalization: true, marketing: true, ads: false } },
};
type Result = { index: number; messageId: string | null; status: string; code?: string; reason?: string };
type Body = {
  success: boolean;
  accepted: number;
  duplicates: number;
  rejected: number;
  quarantined: number;
  suppressed: number;
  consentDropped: number;
  results: Result[];
};

let counter = 0;
const id = (p = 'm') => `${p}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;
const valid = (extra: Record<string, unknown> = {}) => ({
  type: 'track',
  event: 'Product Viewed',
  userId: 'valid-user',
  messageId: id(),
  properties: { product_id: 'KC-COF-001', category: 'coffee', price: 16 },
  context: GRANTED,
  ...extra,
});

describe.each(DATABASE_MODES)('CDP ingest on the %s database', (mode) => {
  let t: TestContext;
  let writeKey: string;
  let admin: string;
  const basic = (key: string) => ({ authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` });
  const send = async (path: string, body: unknown, key = writeKey) => {
    const res = await t.request(path, {
      method: 'POST',
      headers: { ...basic(key), 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return {
      status: res.status,
      body: (await res.json()) as Body & {
        type?: string;
        detail?: string;
        errors?: { index: number; code: string }[];
      },
    };
  };
  const count = async (where: string) =>
    Number(
      (await t.services.database.sql.unsafe<{ n: string }[]>(`select count(*) as n from ${where}`))[0]!.n,
    );

  beforeAll(async () => {
    t = await openTestServices(mode);
    writeKey = await t.keyFor('source');
    admin = await t.keyFor('admin');
  });
  afterAll(async () => t?.close());

  it('takes the request shapes of Segment’s HTTP API docs with Basic auth, changing only host and key', async () => {
    const ctx = { ...GRANTED, ip: '24.5.68.47' };
    const calls: [string, Record<string, unknown>][] = [
      [
        '/v1/identify',
        {
          userId: '019mr8mf4r',
          traits: { email: 'pgibbons@example.com', name: 'Peter Gibbons', industry: 'Technology' },
          context: ctx,
          timestamp: '2026-11-20T00:30:08.276Z',
        },
      ],
      [
        '/v1/track',
        {
          userId: '019mr8mf4r',
          event: 'Item Purchased',
          properties: { name: 'Leap to Conclusions Mat', revenue: 14.99 },
          context: ctx,
          timestamp: '2026-11-20T00:30:12.984Z',
        },
      ],
      [
        '/v1/page',
        { userId: '019mr8mf4r', name: 'Tracking HTTP API', context: ctx, timestamp: '2026-11-20T00:31:00Z' },
      ],
      ['/v1/screen', { userId: '019mr8mf4r', name: 'Tracking Methods', context: ctx }],
      [
        '/v1/group',
        {
          userId: '019mr8mf4r',
          groupId: '8e9df332ac',
          traits: { name: 'Initech', industry: 'Technology', employees: 329 },
          context: ctx,
        },
      ],
      ['/v1/alias', { previousId: '39239-239239-239239-23923', userId: '019mr8mf4r', context: ctx }],
    ];
    for (const [path, body] of calls) {
      const r = await send(path, body);
      expect(r.status, path).toBe(200);
      expect(r.body.success).toBe(true);
      expect(r.body.accepted, path).toBe(1);
    }
    const batch = await send('/v1/batch', {
      batch: [
        {
          type: 'identify',
          userId: '019mr8mf4r',
          traits: { email: 'pgibbons@example.com', name: 'Peter Gibbons' },
          timestamp: '2026-11-20T00:30:08.276Z',
        },
        {
          type: 'track',
          userId: '019mr8mf4r',
          event: 'Song Played',
          properties: { name: 'Fallin for You', artist: 'Dierks Bentley' },
          timestamp: '2026-11-20T00:30:12.984Z',
        },
      ],
      context: { ...GRANTED, device: { type: 'phone', name: 'Apple iPhone 6' } },
    });
    expect(batch.status).toBe(200);
    expect(batch.body.accepted).toBe(2);
    // The identity graph tied the aliased id to the person, the email is hashed, the IP is gone.
    expect(
      await consentOf(t.services.database.db, { anonymousId: '39239-239239-239239-23923' }),
    ).toMatchObject({ analytics: true, marketing: true });
    const [row] = await t.services.database.sql<
      { traits: Record<string, string>; context: Record<string, unknown> }[]
    >`select traits, context from cdp_events where type = 'identify' and user_id = '019mr8mf4r' limit 1`;
    expect(row!.traits.email).toMatch(/^hmac:[0-9a-f]{64}$/);
    expect(row!.traits.name).toBe('Peter Gibbons');
    expect(row!.context.ip).toBeUndefined();
  });

  it('stores the corrected time and the raw times to the millisecond', async () => {
    // The device clock runs 2.5 s fast: timestamp = receivedAt − (sentAt − originalTimestamp).
    const m = id('skew');
    const before = Date.now();
    const r = await send(
      '/v1/track',
      valid({
        messageId: m,
        originalTimestamp: '2026-11-20T10:00:00.123Z',
        sentAt: '2026-11-20T10:00:02.623Z',
        timestamp: '2026-11-20T10:00:00.5Z',
      }),
    );
    expect(r.body.accepted).toBe(1);
    const [row] = await t.services.database.sql<
      { ts: string; ra: string; sa: string; ot: string; ct: string; late: string }[]
    >`
      select extract(epoch from "timestamp") * 1000 as ts, extract(epoch from received_at) * 1000 as ra, extract(epoch from sent_at) * 1000 as sa,
        extract(epoch from original_timestamp) * 1000 as ot, extract(epoch from client_timestamp) * 1000 as ct, late_ms as late
      from cdp_events where message_id = ${m}`;
    const received = Number(row!.ra);
    expect(received).toBeGreaterThanOrEqual(before);
    expect(Number.isInteger(received)).toBe(true);
    expect(Number(row!.ts)).toBe(received - 2500);
    expect(Number(row!.sa)).toBe(Date.parse('2026-11-20T10:00:02.623Z'));
    expect(Number(row!.ot)).toBe(Date.parse('2026-11-20T10:00:00.123Z'));
    expect(Number(row!.ct)).toBe(Date.parse('2026-11-20T10:00:00.500Z'));
    expect(Number(row!.late)).toBe(2500);
  });

  it('keeps every valid neighbour of hostile events in one batch, answering each by reason', async () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100; i++) deep = { d: deep };
    const dupId = id('dup');
    const hostile: [unknown, string][] = [
      [{ type: 'track', event: 'E', messageId: id(), context: GRANTED }, 'missing-id'],
      [
        { type: 'track', event: 'E', userId: 'u', properties: 'not an object', context: GRANTED },
        'wrong-type',
      ],
      [{ type: 'track', event: 42, userId: 'u', context: GRANTED }, 'invalid-event-name'],
      [
        JSON.parse('{"type":"track","event":"E","userId":"u","properties":{"__proto__":{"admin":true}}}'),
        'forbidden-key',
      ],
      [{ type: 'track', event: 'E', userId: 'u', properties: deep, context: GRANTED }, 'too-deep'],
      [
        { type: 'track', event: 'E', userId: 'u', properties: { s: 'x'.repeat(33_000) }, context: GRANTED },
        'event-too-large',
      ],
      [
        { type: 'track', event: 'E', userId: 'u', timestamp: '1970-01-01T00:00:00Z', context: GRANTED },
        'timestamp-too-old',
      ],
      [
        { type: 'track', event: 'E', userId: 'u', timestamp: '2100-01-01T00:00:00Z', context: GRANTED },
        'timestamp-in-future',
      ],
      [{ type: 'track', event: 'Bell\u0007\u001b[31m', userId: 'u', context: GRANTED }, 'invalid-event-name'],
      [
        { type: 'track', event: 'E', userId: 'u', properties: { t: 'nul\u0000' }, context: GRANTED },
        'nul-character',
      ],
      [
        { type: 'track', event: 'E', userId: 'u', properties: { t: 'half \ud83d pair' }, context: GRANTED },
        'lone-surrogate',
      ],
      [{ type: 'track', event: 'E', userId: 'undefined', context: GRANTED }, 'invalid-id'],
      // One case per id field and per kind of the id rule (platform/ids.ts): NUL and unpaired
      // surrogates keep the codes any other field gets; control characters and length are invalid ids.
      [{ type: 'track', event: 'E', userId: 'u2\u0000x', context: GRANTED }, 'nul-character'],
      [{ type: 'track', event: 'E', anonymousId: 'a\u0000', context: GRANTED }, 'nul-character'],
      [{ type: 'alias', userId: 'u', previousId: 'p\u0000q', context: GRANTED }, 'nul-character'],
      [{ type: 'group', userId: 'u', groupId: 'g\u0000', context: GRANTED }, 'nul-character'],
      [{ type: 'track', event: 'E', userId: 'u', messageId: 'm\u0000', context: GRANTED }, 'nul-character'],
      [{ type: 'track', event: 'E', userId: 'half \udc00', context: GRANTED }, 'lone-surrogate'],
      [{ type: 'track', event: 'E', anonymousId: '\ud83d', context: GRANTED }, 'lone-surrogate'],
      [{ type: 'alias', userId: 'u', previousId: 'p\ud800', context: GRANTED }, 'lone-surrogate'],
      [{ type: 'group', userId: 'u', groupId: '\udfff', context: GRANTED }, 'lone-surrogate'],
      [{ type: 'track', event: 'E', userId: 'u', messageId: '\ud800', context: GRANTED }, 'lone-surrogate'],
      [{ type: 'track', event: 'E', userId: 'u\u0007', context: GRANTED }, 'invalid-id'],
      [{ type: 'track', event: 'E', anonymousId: 'a\u001b[31m', context: GRANTED }, 'invalid-id'],
      [{ type: 'alias', userId: 'u', previousId: 'p\n', context: GRANTED }, 'invalid-id'],
      [{ type: 'group', userId: 'u', groupId: 'g\u0085', context: GRANTED }, 'invalid-id'],
      [{ type: 'track', event: 'E', userId: 'u', messageId: 'm\t1', context: GRANTED }, 'invalid-message-id'],
      [{ type: 'track', event: 'E', userId: 'u'.repeat(201), context: GRANTED }, 'invalid-id'],
      [{ type: 'track', event: 'E', anonymousId: 'a'.repeat(201), context: GRANTED }, 'invalid-id'],
      [{ type: 'alias', userId: 'u', previousId: 'p'.repeat(201), context: GRANTED }, 'invalid-id'],
      [{ type: 'group', userId: 'u', groupId: 'g'.repeat(201), context: GRANTED }, 'invalid-id'],
      [
        { type: 'track', event: 'E', userId: 'u', messageId: 'm'.repeat(201), context: GRANTED },
        'invalid-message-id',
      ],
    ];
    const neighbours = [
      valid(),
      valid({ messageId: dupId }),
      valid({ messageId: dupId }),
      valid({
        constructor: 'fine',
        properties: { product_id: 'p', category: 'tea', price: 1, constructor: { prototype: 1 } },
      }),
    ];
    const batch = [neighbours[0], ...hostile.map(([e]) => e), neighbours[1], neighbours[2], neighbours[3]];
    const r = await send('/v1/batch', { batch });
    expect(r.status).toBe(200);
    hostile.forEach(([, code], i) =>
      expect(r.body.results[i + 1], code).toMatchObject({ status: 'rejected', code }),
    );
    expect(r.body.results[0]!.status).toBe('accepted');
    expect(r.body.results.at(-3)!.status).toBe('accepted');
    expect(r.body.results.at(-2)!.status).toBe('duplicate'); // same messageId inside one batch
    expect(r.body.results.at(-1)!.status).toBe('accepted');
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    expect(
      await count(
        `cdp_events where message_id in ('${neighbours[0]!.messageId}', '${dupId}', '${neighbours[3]!.messageId}')`,
      ),
    ).toBe(3);
  });

  it('refuses whole requests only for what cannot be split: syntax, encoding, size, count, nesting, each naming the limit', async () => {
    expect((await send('/v1/batch', '{"batch": [')).body.type).toMatch(/malformed-json$/);
    const badUtf8 = await t.request('/v1/track', {
      method: 'POST',
      headers: { ...basic(writeKey), 'content-type': 'application/json' },
      body: new Uint8Array([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]),
    });
    expect(badUtf8.status).toBe(400);
    const huge = await send('/v1/track', valid({ properties: { s: 'x'.repeat(1024 * 1024) } }));
    expect(huge.status).toBe(413);
    expect(huge.body.detail).toContain('32768 bytes');
    const bigBatch = await send('/v1/batch', {
      batch: Array.from({ length: 40 }, () => valid({ properties: { s: 'y'.repeat(15_000) } })),
    });
    expect(bigBatch.status).toBe(413);
    expect(bigBatch.body.detail).toContain(`${500 * 1024} bytes`);
    const many = await send('/v1/batch', {
      batch: Array.from({ length: 10_000 }, (_, i) => ({ type: 'track', event: 'E', userId: `u${i}` })),
    });
    expect(many.status).toBe(413);
    expect(many.body.detail).toContain('2500 events');
    const brackets = await send('/v1/track', '['.repeat(16_000) + ']'.repeat(16_000));
    expect(brackets.status).toBe(400);
    expect(brackets.body.detail).toMatch(/limit is 256 levels/);
    const allBad = await send('/v1/batch', { batch: [{ type: 'track', event: 'E' }, { type: 'nope' }] });
    expect(allBad.status).toBe(400);
    expect(allBad.body.errors!.map((e) => e.code)).toEqual(['missing-id', 'invalid-type']);
    expect((await send('/v1/batch', { batch: [] })).status).toBe(400);
  });

  it('stores a retried batch once, even when copies race, and answers the copies as duplicates', async () => {
    const events = Array.from({ length: 50 }, () => valid());
    const answers = await Promise.all(Array.from({ length: 6 }, () => send('/v1/batch', { batch: events })));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(answers.reduce((s, a) => s + a.body.accepted, 0)).toBe(50);
    expect(answers.reduce((s, a) => s + a.body.duplicates, 0)).toBe(250);
    expect(
      await count(`cdp_events where message_id in (${events.map((e) => `'${e.messageId}'`).join(',')})`),
    ).toBe(50);
    const replay = await send('/v1/batch', { batch: events });
    expect(replay.body.duplicates).toBe(50);
    // Without a messageId, retries of the same content dedupe too.
    const noId = {
      type: 'track',
      event: 'Product Viewed',
      userId: 'valid-user',
      properties: { product_id: 'p', category: 'tea', price: 3 },
      context: GRANTED,
      timestamp: '2026-11-20T10:00:00Z',
    };
    expect((await send('/v1/track', noId)).body.accepted).toBe(1);
    expect((await send('/v1/track', { ...noId, sentAt: '2026-11-20T10:00:09Z' })).body.duplicates).toBe(1);
  });

  it('stores nothing personal without analytics consent, counts it anonymously, and honours withdrawal', async () => {
    const before = await count(`cdp_consentless_counts`);
    const none = await send('/v1/track', {
      userId: 'shy',
      event: 'Product Viewed',
      properties: { product_id: 'p', category: 'tea', price: 1 },
    });
    expect(none.body.results[0]).toMatchObject({ status: 'consent-dropped' });
    const pending = await send('/v1/track', {
      userId: 'shy',
      event: 'Product Viewed',
      context: { consent: { categoryPreferences: { analytics: 'pending' } } },
    });
    expect(pending.body.consentDropped).toBe(1);
    expect(await count(`cdp_events where user_id = 'shy'`)).toBe(0);
    expect(await count(`cdp_consentless_counts`)).toBeGreaterThan(before - 1);

    const db = t.services.database.db;
    await send('/v1/track', {
      userId: 'leaver',
      event: 'Product Viewed',
      properties: { product_id: 'p', category: 'tea', price: 1 },
      context: GRANTED,
      timestamp: '2026-11-20T10:00:00Z',
    });
    expect((await consentOf(db, { userId: 'leaver' })).marketing).toBe(true);
    const withdraw = { ...GRANTED.consent.categoryPreferences, marketing: false, personalization: false };
    await send('/v1/track', {
      userId: 'leaver',
      event: 'Segment Consent Preference Updated',
      context: { consent: { categoryPreferences: withdraw } },
      timestamp: '2026-11-21T10:00:00Z',
    });
    expect(await consentOf(db, { userId: 'leaver' })).toEqual({
      analytics: true,
      personalization: false,
      marketing: false,
      ads: false,
    });
    // An older signal that arrives late does not undo the withdrawal.
    await send('/v1/track', {
      userId: 'leaver',
      event: 'Product Viewed',
      properties: { product_id: 'p', category: 'tea', price: 1 },
      context: GRANTED,
      timestamp: '2026-11-20T11:00:00Z',
    });
    expect((await consentOf(db, { userId: 'leaver' })).marketing).toBe(false);
    // The API route changes it too, and the ledger shows every change with its origin.
    const api = await t.request('/v1/consent', {
      key: admin,
      json: { userId: 'leaver', categories: { analytics: false } },
    });
    expect(api.status).toBe(200);
    const ledger = (await (await t.request('/v1/consent/leaver', { key: admin })).json()) as {
      current: Record<string, boolean>;
      ledger: { origin: string }[];
    };
    expect(ledger.current.analytics).toBe(false);
    expect(ledger.ledger.map((l) => l.origin)).toEqual(['event', 'consent-event', 'api']);
    expect((await send('/v1/track', valid({ userId: 'leaver', context: {} }))).body.consentDropped).toBe(1);
  });

  it('records an unchanged signal once, also when a known device sends it without the user id', async () => {
    const ledgerRows = async () => count(`cdp_consent_ledger where person_id = 'u:linked-user'`);
    await send('/v1/identify', {
      userId: 'linked-user',
      anonymousId: 'linked-device',
      traits: {},
      context: GRANTED,
    });
    expect(await ledgerRows()).toBe(1);
    // A later event from the linked device alone resolves to the same person, whose state is unchanged.
    await send('/v1/track', valid({ userId: undefined, anonymousId: 'linked-device' }));
    expect(await ledgerRows()).toBe(1);
    await send(
      '/v1/track',
      valid({
        userId: undefined,
        anonymousId: 'linked-device',
        context: {
          consent: {
            categoryPreferences: { analytics: true, personalization: false, marketing: false, ads: false },
          },
        },
      }),
    );
    expect(await ledgerRows()).toBe(2);
  });

  it('uses a source’s documented default consent only for events without a signal', async () => {
    const serverKey = await (async () => {
      const res = await t.request('/v1/keys', { key: admin, json: { name: 'order server', role: 'source' } });
      return (await res.json()) as { id: string; key: string };
    })();
    const put = await t.request(`/v1/sources/${serverKey.id}`, {
      key: admin,
      method: 'PUT',
      json: { defaultConsent: { analytics: true } },
    });
    expect(put.status).toBe(200);
    const r = await send(
      '/v1/track',
      {
        userId: 'server-side',
        event: 'Order Completed',
        properties: { order_id: 'o1', revenue: 10, currency: 'USD', products: [] },
      },
      serverKey.key,
    );
    expect(r.body.accepted).toBe(1);
    const refused = await send(
      '/v1/track',
      {
        userId: 'server-side',
        event: 'E',
        context: { consent: { categoryPreferences: { analytics: false } } },
      },
      serverKey.key,
    );
    expect(refused.body.consentDropped).toBe(1);
  });

  it('quarantines tracking-plan violations and replays them once the plan is fixed', async () => {
    const analyst = await t.keyFor('analyst');
    const bad = valid({ properties: { product_id: 'KC-TEA-001', category: 'tea', price: '15.00' } });
    const r = await send('/v1/track', bad);
    expect(r.body.results[0]).toMatchObject({ status: 'quarantined', code: 'tracking-plan-violation' });
    const failed = (await (await t.request('/v1/failed-events', { key: analyst })).json()) as {
      failedEvents: { id: number; messageId: string; errors: { path: string }[] }[];
    };
    const mine = failed.failedEvents.find((f) => f.messageId === bad.messageId)!;
    expect(mine.errors[0]!.path).toBe('properties.price');
    const stillBad = (await (
      await t.request('/v1/failed-events/replay', { key: analyst, json: { ids: [mine.id] } })
    ).json()) as { replayed: number };
    expect(stillBad.replayed).toBe(0);
    const { plan } = (await (await t.request('/v1/tracking-plan', { key: analyst })).json()) as {
      plan: { events: { name: string; properties: Record<string, { type: string }> }[] };
    };
    plan.events.find((e) => e.name === 'Product Viewed')!.properties.price = { type: 'string' };
    expect((await t.request('/v1/tracking-plan', { key: analyst, method: 'PUT', json: plan })).status).toBe(
      200,
    );
    const replay = (await (
      await t.request('/v1/failed-events/replay', { key: analyst, json: { ids: [mine.id] } })
    ).json()) as { replayed: number };
    expect(replay.replayed).toBe(1);
    expect(await count(`cdp_events where message_id = '${bad.messageId}'`)).toBe(1);
  });

  it('records a shared device as a conflict and keeps the two people apart', async () => {
    await send('/v1/identify', { userId: 'ann-shared', anonymousId: 'family-tablet', context: GRANTED });
    await send('/v1/identify', { userId: 'bob-shared', anonymousId: 'family-tablet', context: GRANTED });
    const [conflict] = await t.services.database
      .sql`select kind, existing_user_id, new_user_id from cdp_identity_conflicts where anonymous_id = 'family-tablet'`;
    expect(conflict).toMatchObject({
      kind: 'shared-device',
      existing_user_id: 'ann-shared',
      new_user_id: 'bob-shared',
    });
    const [link] = await t.services.database
      .sql`select user_id from cdp_identity_links where anonymous_id = 'family-tablet'`;
    expect(link!.user_id).toBe('ann-shared');
  });

  it('erases a person from every table under every id, suppresses all their ids, and audits without personal data', async () => {
    const who = 'erase-me-7f3a';
    const phone = 'erase-phone-91c2';
    const laptop = 'erase-laptop-5d0e';
    await send('/v1/batch', {
      batch: [
        { type: 'page', anonymousId: phone, name: 'Home', context: GRANTED },
        {
          type: 'identify',
          userId: who,
          anonymousId: phone,
          traits: { email: `${who}@example.com` },
          context: GRANTED,
        },
        { type: 'alias', previousId: laptop, userId: who, context: GRANTED },
        {
          type: 'track',
          event: 'Product Viewed',
          userId: who,
          properties: { product_id: 'p', category: 'tea', price: 'free' },
          context: GRANTED,
        },
        { type: 'identify', userId: 'someone-else-b2', anonymousId: phone, context: GRANTED },
      ],
    });
    await t.request('/v1/consent', {
      key: admin,
      json: { anonymousId: laptop, categories: { analytics: true } },
    });
    // Materialise their features too, so the scan below proves the features domain erases them.
    await refreshFeatures(t.services.database, new Date(Date.now() + 60_000), { full: true });
    // And a next-best-action decision, logged with their person id (nba_decisions).
    const decided = await t.request('/v1/decisions', {
      key: await t.keyFor('crm'),
      json: { customerId: who },
    });
    expect(decided.status).toBe(201);
    const ids = [who, phone, laptop];
    const tables = (
      await t.services.database.sql<
        { t: string }[]
      >`select tablename as t from pg_tables where schemaname = 'public' and tablename not like 'cdp_events_%'`
    ).map((r) => r.t);
    const traces = async () => {
      const found: string[] = [];
      for (const table of tables) {
        const n = await count(`"${table}" x where ${ids.map((i) => `x::text like '%${i}%'`).join(' or ')}`);
        if (n) found.push(`${table}: ${n}`);
      }
      return found;
    };
    const seeded = await traces();
    expect(seeded.length).toBeGreaterThanOrEqual(7); // events, failed events, ledger, state, links, users, conflicts, features
    expect(seeded.some((s) => s.startsWith('feature_person_raw'))).toBe(true);
    expect(seeded.some((s) => s.startsWith('nba_decisions'))).toBe(true);
    const res = await t.request(`/v1/users/${who}`, { key: admin, method: 'DELETE' });
    expect(res.status).toBe(200);
    const erased = (await res.json()) as { deleted: Record<string, number>; suppressedIds: number };
    expect(erased.suppressedIds).toBe(3);
    expect(await traces()).toEqual([]);
    // Future events under any of the ids, or from a new device used with the user id, are not stored.
    const after = await send('/v1/batch', {
      batch: [
        { type: 'page', anonymousId: laptop, name: 'Home', context: GRANTED },
        { type: 'identify', userId: who, anonymousId: 'erase-new-tablet', context: GRANTED },
        { type: 'page', anonymousId: 'erase-new-tablet', name: 'Home', context: GRANTED },
      ],
    });
    expect(after.body.results.map((r) => r.status)).toEqual(['suppressed', 'suppressed', 'suppressed']);
    expect(await traces()).toEqual([]);
    const [audit] = await t.services.database.sql<
      { details: unknown }[]
    >`select details from audit_events where action = 'person.erase' order by id desc limit 1`;
    expect(JSON.stringify(audit!.details)).not.toContain(who);
  });
});
