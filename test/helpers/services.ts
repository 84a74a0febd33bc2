import { createLogger } from '../../src/platform/log.js';
import { openServices, type Services, type OpenServicesOptions } from '../../src/services.js';
import { createApi } from '../../src/api.js';
import { createKey } from '../../src/platform/auth/store.js';
import type { Role } from '../../src/platform/http/env.js';
import type { Api } from '../../src/platform/http/app.js';
import { createTestDatabase, type DatabaseMode } from './databases.js';

export type TestContext = {
  services: Services;
  api: Api;
  keyFor: (role: Role) => Promise<string>;
  request: (path: string, init?: RequestInit & { key?: string; json?: unknown }) => Promise<Response>;
  close: () => Promise<void>;
};

export async function openTestServices(
  mode: DatabaseMode,
  options: Partial<OpenServicesOptions> & { env?: Record<string, string> } = {},
): Promise<TestContext> {
  const testDb = await createTestDatabase(mode, options.env);
  const services = await openServices(testDb.config, createLogger('silent'), {
    purpose: 'test',
    supervise: false,
    ...options,
  });
  const api = createApi(services);
  const keys = new Map<Role, string>();
  return {
    services,
    api,
    async keyFor(role) {
      let key = keys.get(role);
      if (!key) {
        key = (await createKey(services.database.db, { name: `test ${role}`, role, createdBy: 'test' })).key;
        keys.set(role, key);
      }
      return key;
    },
    request(path, init = {}) {
      const { key, json, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (key) headers.set('authorization', `Bearer ${key}`);
      if (json !== undefined) headers.set('content-type', 'application/json');
      return Promise.resolve(
        api.request(path, {
          ...rest,
          headers,
          ...(json !== undefined ? { body: JSON.stringify(json), method: rest.method ?? 'POST' } : {}),
        }),
      );
    },
    async close() {
      await services.close();
      await testDb.drop();
    },
  };
}
