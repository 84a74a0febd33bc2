// Bad input the API must survive, in both database modes: each answers problem+json with the
// right status and a detail that says what to fix, and nothing is half-done.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_MODES } from './helpers/databases.js';
import { openTestServices, type TestContext } from './helpers/services.js';

type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { path: string; message: string }[];
};

async function problem(res: Response, status: number, type: string): Promise<Problem> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  const p = (await res.json()) as Problem;
  expect(p.type).toBe(`https://attune.dev/problems/${type}`);
  expect(p.status).toBe(status);
  expect(p.detail.length).toBeGreaterThan(10);
  expect(JSON.stringify(p)).not.toMatch(/at .*\.ts:\d+|node_modules/); // no stack traces
  return p;
}

describe.each(DATABASE_MODES)('bad input on the %s database', (mode) => {
  let t: TestContext;
  let admin: string;
  let analyst: string;
  beforeAll(async () => {
    t = await openTestServices(mode, { env: { ATTUNE_BODY_LIMIT_KB: '4' } });
    admin = await t.keyFor('admin');
    analyst = await t.keyFor('analyst');
  });
  afterAll(async () => t?.close());

  const post = (path: string, key: string, body: RequestInit['body'], type = 'application/json') =>
    t.request(path, { method: 'POST', key, body, headers: { 'content-type': type } });

  it('refuses malformed JSON with 400', async () => {
    const p = await problem(await post('/v1/keys', admin, '{"name": "x", '), 400, 'malformed-json');
    expect(p.detail).toMatch(/not valid JSON/);
  });

  it('refuses invalid UTF-8 with 400', async () => {
    await problem(
      await post('/v1/keys', admin, new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])),
      400,
      'malformed-json',
    );
  });

  it('refuses a wrong or missing content type with 415', async () => {
    await problem(
      await post('/v1/keys', admin, 'name=x&role=admin', 'application/x-www-form-urlencoded'),
      415,
      'unsupported-media-type',
    );
    await problem(
      await t.request('/v1/keys', {
        method: 'POST',
        key: admin,
        body: '{}',
        headers: { 'content-type': '' },
      }),
      415,
      'unsupported-media-type',
    );
  });

  it('refuses a body over the limit with 413 that names the limit', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(5000), role: 'admin' });
    const p = await problem(await post('/v1/keys', admin, big), 413, 'payload-too-large');
    expect(p.detail).toContain('4096 bytes');
  });

  it('lists every validation problem, unknown fields included, and creates nothing', async () => {
    const before = (await (await t.request('/v1/keys', { key: admin })).json()) as { keys: unknown[] };
    const p = await problem(
      await post('/v1/keys', admin, JSON.stringify({ name: '', role: 'superuser', colour: 'blue' })),
      400,
      'validation-failed',
    );
    const paths = (p.errors ?? []).map((e) => e.path).sort();
    expect(paths).toEqual(['(body)', 'name', 'role']);
    expect(p.errors!.find((e) => e.path === '(body)')!.message).toContain('colour');
    const after = (await (await t.request('/v1/keys', { key: admin })).json()) as { keys: unknown[] };
    expect(after.keys.length).toBe(before.keys.length);
  });

  it('refuses an invalid cron expression and an unknown time zone, saying how to fix them', async () => {
    const a = await problem(
      await post(
        '/v1/schedules',
        analyst,
        JSON.stringify({ name: 's1', jobType: 'db.analyze', cron: '61 * * * *' }),
      ),
      400,
      'validation-failed',
    );
    expect(a.errors?.[0]?.path).toBe('cron');
    expect(a.detail).toMatch(/expected range 0-59/);
    const b = await problem(
      await post(
        '/v1/schedules',
        analyst,
        JSON.stringify({ name: 's2', jobType: 'db.analyze', cron: '* * *' }),
      ),
      400,
      'validation-failed',
    );
    expect(b.detail).toMatch(/five/);
    await problem(
      await post(
        '/v1/schedules',
        analyst,
        JSON.stringify({ name: 's3', jobType: 'db.analyze', cron: '0 3 * * *', timezone: 'Mars/Olympus' }),
      ),
      400,
      'validation-failed',
    );
    await problem(
      await post(
        '/v1/schedules',
        analyst,
        JSON.stringify({ name: 's4', jobType: 'no.such.job', cron: '0 3 * * *' }),
      ),
      400,
      'validation-failed',
    );
    const list = (await (await t.request('/v1/schedules', { key: analyst })).json()) as {
      schedules: { name: string; createdBy: string }[];
    };
    expect(list.schedules.filter((s) => s.createdBy !== 'system')).toEqual([]); // only the built-in schedules
  });

  it('refuses a duplicate schedule name with 409 and invalid job data with 400', async () => {
    const ok = await post(
      '/v1/schedules',
      analyst,
      JSON.stringify({
        name: 'nightly',
        jobType: 'db.analyze',
        cron: '0 3 * * *',
        timezone: 'Europe/Berlin',
      }),
    );
    expect(ok.status).toBe(201);
    const s = (await ok.json()) as { nextRuns: string[] };
    // 03:00 in Berlin in late November is 02:00 UTC.
    expect(s.nextRuns.every((r) => r.endsWith('T02:00:00.000Z'))).toBe(true);
    await problem(
      await post(
        '/v1/schedules',
        analyst,
        JSON.stringify({ name: 'nightly', jobType: 'db.analyze', cron: '0 4 * * *' }),
      ),
      409,
      'conflict',
    );
    await problem(
      await post(
        '/v1/jobs',
        analyst,
        JSON.stringify({ type: 'db.analyze', data: { tables: ['Robert"); drop table x;--'] } }),
      ),
      400,
      'validation-failed',
    );
  });

  it('refuses a hostile id in a single event, a body, a path or a query with 400 naming the field', async () => {
    const source = await t.keyFor('source');
    const crm = await t.keyFor('crm');
    const granted = { consent: { categoryPreferences: { analytics: true } } };
    const cases: [path: string, init: { key: string; method?: string; body?: unknown }, field: string][] = [
      ['/v1/track', { key: source, body: { event: 'E', userId: 'a\u0000b', context: granted } }, 'userId'],
      ['/v1/identify', { key: source, body: { userId: 'a\u0000b' } }, 'userId'],
      ['/v1/identify', { key: source, body: { anonymousId: 'a\u0000' } }, 'anonymousId'],
      ['/v1/alias', { key: source, body: { userId: 'u', previousId: 'p\u0000' } }, 'previousId'],
      ['/v1/group', { key: source, body: { userId: 'u', groupId: 'g\u0007' } }, 'groupId'],
      ['/v1/page', { key: source, body: { anonymousId: 'x'.repeat(201) } }, 'anonymousId'],
      ['/v1/track', { key: source, body: { event: 'E', userId: 'u', messageId: '\ud800' } }, 'messageId'],
      ['/v1/consent', { key: source, body: { userId: 'a\u0000b', categories: {} } }, 'userId'],
      ['/v1/consent', { key: source, body: { anonymousId: 'a\u001b', categories: {} } }, 'anonymousId'],
      ['/v1/consent/a%00b', { key: admin, method: 'GET' }, 'userId'],
      ['/v1/consent/a%0Ab', { key: admin, method: 'GET' }, 'userId'],
      ['/v1/users/a%00b', { key: admin, method: 'DELETE' }, 'userId'],
      [`/v1/users/${'x'.repeat(201)}`, { key: admin, method: 'DELETE' }, 'userId'],
      ['/v1/experiments/a%00b', { key: analyst, method: 'GET' }, 'key'],
      ['/v1/experiments/a%00b/results', { key: analyst, method: 'GET' }, 'key'],
      ['/v1/experiments/a%00b', { key: analyst, method: 'PATCH', body: {} }, 'key'],
      ['/v1/experiments/x/assignment?userId=a%00b', { key: crm, method: 'GET' }, 'userId'],
      ['/v1/experiments/x/assignment?userId=a%07b', { key: crm, method: 'GET' }, 'userId'],
      ['/v1/schedules/a%00b', { key: analyst, method: 'GET' }, 'id'],
      ['/v1/schedules/a%00b', { key: analyst, method: 'DELETE' }, 'id'],
      ['/v1/jobs/a%00b', { key: analyst, method: 'GET' }, 'id'],
      ['/v1/drift/checks?subject=a%00b', { key: analyst, method: 'GET' }, 'subject'],
      [
        '/v1/schedules',
        { key: analyst, body: { name: 'n\u0000', jobType: 'db.analyze', cron: '0 3 * * *' } },
        'name',
      ],
      [
        '/v1/schedules',
        { key: analyst, body: { name: 'n\u0007', jobType: 'db.analyze', cron: '0 3 * * *' } },
        'name',
      ],
      ['/v1/keys', { key: admin, body: { name: 'k\u0000', role: 'admin' } }, 'name'],
    ];
    for (const [path, { key, body, method }, field] of cases) {
      const res = await t.request(path, {
        key,
        method: method ?? 'POST',
        ...(body !== undefined
          ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }
          : {}),
      });
      const p = await problem(res, 400, 'validation-failed');
      const named = JSON.stringify(p.errors ?? []) + p.detail;
      expect(named, `${method ?? 'POST'} ${path}`).toContain(field);
    }
    const consent = (await (await t.request('/v1/consent/u1', { key: admin })).json()) as {
      ledger: unknown[];
    };
    expect(consent.ledger).toEqual([]); // nothing half-done
  });

  it('answers 404 problem+json for unknown ids and routes', async () => {
    await problem(
      await t.request('/v1/jobs/5b7d2d59-8f7a-4c8e-9a43-8d7b8a5c0f11', { key: analyst }),
      404,
      'not-found',
    );
    await problem(
      await t.request('/v1/keys/5b7d2d59-8f7a-4c8e-9a43-8d7b8a5c0f11', { key: admin, method: 'DELETE' }),
      404,
      'not-found',
    );
    await problem(
      await t.request('/v1/keys/not-a-uuid', { key: admin, method: 'DELETE' }),
      400,
      'validation-failed',
    );
    await problem(await t.request('/nowhere'), 404, 'not-found');
  });
});
