// The database is down at start-up (clear error, non-zero exit) or goes down while serving
// (/readyz fails, requests get 503 problem+json, and the service recovers when it returns).
// The outage is made with a TCP proxy in front of the PostgreSQL server, so nothing else is disturbed.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServices, type Services } from '../src/services.js';
import { createApi } from '../src/api.js';
import { createLogger } from '../src/platform/log.js';
import { createKey } from '../src/platform/auth/store.js';
import { parseConfig } from '../src/platform/config.js';
import type { Api } from '../src/platform/http/app.js';
import { createTestDatabase, type TestDatabase } from './helpers/databases.js';
import { runCli } from './helpers/cli.js';

/** A loopback proxy that can be switched off (all connections cut, new ones refused) and on. */
function createProxy(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve) => {
      if (server?.listening) return resolve();
      server = net.createServer((client) => {
        const upstream = net.connect(target.port, target.host);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as net.AddressInfo).port;
        resolve();
      });
    });
  return {
    get port() {
      return port;
    },
    up: listen,
    down: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server?.close(() => resolve());
      }),
  };
}

describe('database outages (server mode)', () => {
  let tdb: TestDatabase;
  let services: Services;
  let api: Api;
  let key: string;
  const proxy = createProxy({ host: '127.0.0.1', port: 5432 });

  beforeAll(async () => {
    tdb = await createTestDatabase('server');
    await proxy.up();
    const url = new URL((tdb.config.database as { url: string }).url);
    url.port = String(proxy.port);
    const config = parseConfig({ DATABASE_URL: url.toString(), LOG_LEVEL: 'silent' });
    services = await openServices(config, createLogger('silent'), { purpose: 'test', supervise: false });
    api = createApi(services);
    key = (await createKey(services.database.db, { name: 't', role: 'admin', createdBy: 'test' })).key;
  });
  afterAll(async () => {
    await proxy.up().catch(() => undefined);
    await services?.close();
    await proxy.down();
    await tdb?.drop();
  });

  const me = () => Promise.resolve(api.request('/v1/me', { headers: { authorization: `Bearer ${key}` } }));
  // A route that reads the database: /v1/me may be answered from the API-key cache (5 s) alone.
  const keys = () =>
    Promise.resolve(api.request('/v1/keys', { headers: { authorization: `Bearer ${key}` } }));

  it('fails readiness and answers 503 problem+json while the database is away, then recovers', async () => {
    expect((await api.request('/readyz')).status).toBe(200);
    expect((await me()).status).toBe(200);

    await proxy.down();
    const ready = await api.request('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.headers.get('content-type')).toBe('application/problem+json');
    expect(await ready.json()).toMatchObject({ ready: false, checks: { database: { ok: false } } });
    const res = await keys();
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({
      type: 'https://attune.dev/problems/database-unavailable',
      status: 503,
    });
    expect((await api.request('/healthz')).status).toBe(200); // alive, just not ready

    await proxy.up();
    let recovered = 0;
    for (let i = 0; i < 40 && recovered !== 200; i++) {
      recovered = (await keys()).status;
      if (recovered !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(recovered).toBe(200);
    expect((await api.request('/readyz')).status).toBe(200);
  });

  it('exits non-zero with a clear message when the database is down at start-up', async () => {
    const r = await runCli(['serve'], {
      DATABASE_URL: 'postgres://attune:s3cret@127.0.0.1:1/attune',
      PORT: '0',
    });
    expect(r.code).toBe(69);
    expect(r.stderr).toMatch(/database cannot be reached/i);
    expect(r.stderr).toContain('127.0.0.1:1');
    expect(r.stderr).not.toContain('s3cret');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('exits 78 listing every configuration problem', async () => {
    const r = await runCli(['serve'], { PORT: 'abc', LOG_LEVEL: 'shouty', DATABASE_URL: 'mysql://x' });
    expect(r.code).toBe(78);
    for (const v of ['PORT', 'LOG_LEVEL', 'DATABASE_URL']) expect(r.stderr).toContain(v);
  });
});
