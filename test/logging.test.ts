// Logs are structured JSON with request ids, and never contain keys, tokens or request bodies.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServices, type Services } from '../src/services.js';
import { createApi } from '../src/api.js';
import { createLogger } from '../src/platform/log.js';
import { createKey } from '../src/platform/auth/store.js';
import { createTestDatabase, type TestDatabase } from './helpers/databases.js';

describe('request logging', () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      cb();
    },
  });
  let tdb: TestDatabase;
  let services: Services;
  beforeAll(async () => {
    tdb = await createTestDatabase('embedded');
    services = await openServices(tdb.config, createLogger('info', sink), {
      purpose: 'test',
      supervise: false,
    });
  });
  afterAll(async () => {
    await services?.close();
    await tdb?.drop();
  });

  it('logs method, route, status and request id, but not the key or the body', async () => {
    const api = createApi(services);
    const { key } = await createKey(services.database.db, {
      name: 'logger',
      role: 'admin',
      createdBy: 'test',
    });
    const secretName = 'name-that-must-not-be-logged';
    const res = await api.request('/v1/keys', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: secretName, role: 'source' }),
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { key: string };
    await api.request('/v1/keys', {
      headers: { authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` },
    });
    await api.request('/v1/me', { headers: { authorization: 'Bearer att_wrong' } });

    const all = lines.join('\n');
    expect(all).not.toContain(key);
    expect(all).not.toContain(created.key);
    expect(all).not.toContain(secretName);
    expect(all).not.toContain('att_wrong');
    const requests = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.msg === 'request');
    expect(requests).toHaveLength(3);
    expect(requests[0]).toMatchObject({ method: 'POST', route: '/v1/keys', status: 201, role: 'admin' });
    expect(requests.every((r) => typeof r.requestId === 'string' && typeof r.ms === 'number')).toBe(true);
    expect(requests[2]).toMatchObject({ status: 401 });
  });
});
