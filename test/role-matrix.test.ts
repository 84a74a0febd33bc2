// Walks every route of the API with no key, a revoked key, and a key of every role, in both
// database modes, and checks who gets in against the matrix written out below.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../src/platform/http/env.js';
import { DATABASE_MODES } from './helpers/databases.js';
import { openTestServices, type TestContext } from './helpers/services.js';

const A: Role[] = ['analyst', 'admin'];
const ADMIN: Role[] = ['admin'];
const READERS: Role[] = ['marketer', 'editor', 'analyst', 'admin'];
const EDITORS: Role[] = ['editor', 'admin'];

/** route → roles admitted (null = public). Adding a route means adding its line here. */
const EXPECTED: Record<string, Role[] | null> = {
  'GET /healthz': null,
  'GET /readyz': null,
  'GET /openapi.json': null,
  'GET /v1/me': [...ROLES],
  'POST /v1/keys': ADMIN,
  'GET /v1/keys': ADMIN,
  'DELETE /v1/keys/{id}': ADMIN,
  'GET /v1/job-types': A,
  'POST /v1/jobs': A,
  'GET /v1/jobs/{id}': A,
  'POST /v1/schedules': A,
  'GET /v1/schedules': A,
  'GET /v1/schedules/{id}': A,
  'DELETE /v1/schedules/{id}': A,
  'POST /v1/track': ['source'],
  'POST /v1/identify': ['source'],
  'POST /v1/page': ['source'],
  'POST /v1/screen': ['source'],
  'POST /v1/group': ['source'],
  'POST /v1/alias': ['source'],
  'POST /v1/batch': ['source'],
  'POST /v1/consent': ['source', 'admin'],
  'GET /v1/consent/{userId}': ADMIN,
  'GET /v1/tracking-plan': A,
  'PUT /v1/tracking-plan': A,
  'GET /v1/failed-events': A,
  'POST /v1/failed-events/replay': A,
  'DELETE /v1/users/{userId}': ADMIN,
  'PUT /v1/sources/{keyId}': ADMIN,
  'POST /v1/experiments': A,
  'GET /v1/experiments': READERS,
  'GET /v1/experiments/{key}': READERS,
  'PATCH /v1/experiments/{key}': A,
  'GET /v1/experiments/{key}/assignment': ['source', 'crm', 'analyst', 'admin'],
  'GET /v1/experiments/{key}/results': READERS,
  'POST /v1/stats/analyze': READERS,
  'POST /v1/stats/power': READERS,
  'POST /v1/drift/compare': READERS,
  'GET /v1/drift/checks': READERS,
  'GET /v1/drift/checks/{id}': READERS,
  'POST /v1/guardrails/scan': READERS,
  'POST /v1/nba/evaluate': A,
  'POST /v1/decisions': ['crm', 'admin'],
  'POST /v1/rewards': ['crm', 'admin'],
  'GET /v1/nba/actions': ['crm', 'analyst', 'admin'],
  'GET /v1/nba/actions/{id}': ['crm', 'analyst', 'admin'],
  'PUT /v1/nba/actions/{id}': ['crm', 'analyst', 'admin'],
  'DELETE /v1/nba/actions/{id}': ['crm', 'analyst', 'admin'],
  'GET /v1/nba/channels': ['crm', 'analyst', 'admin'],
  'PUT /v1/nba/channels/{channel}': ['crm', 'analyst', 'admin'],
  'GET /v1/nba/placements': ['crm', 'analyst', 'admin'],
  'PUT /v1/nba/placements/{placement}': ['crm', 'analyst', 'admin'],
  'GET /v1/models': A,
  'GET /v1/models/{kind}/{version}': A,
  'GET /v1/models/{kind}/history': A,
  'POST /v1/models/{kind}/train': A,
  'POST /v1/models/{kind}/{version}/promote': ADMIN,
  'POST /v1/models/{kind}/rollback': ADMIN,
  'GET /v1/propensity/{userId}': ['crm', 'analyst', 'admin'],
  'POST /v1/mmm/datasets/{dataset}': A,
  'GET /v1/mmm/datasets': A,
  'GET /v1/mmm/datasets/{dataset}': A,
  'POST /v1/mmm/fits': A,
  'GET /v1/mmm/models/{version}': A,
  'POST /v1/mmm/models/{version}/optimize': A,
  'POST /v1/content/documents': EDITORS,
  'DELETE /v1/content/documents': EDITORS,
  'POST /v1/content/search': READERS,
  'POST /v1/creatives': READERS,
  'GET /v1/creatives/{id}': READERS,
  'POST /v1/creatives/{id}/experiment': A,
  'POST /v1/briefs': EDITORS,
  'GET /v1/briefs': EDITORS,
  'GET /v1/briefs/{id}': EDITORS,
  'PATCH /v1/briefs/{id}': EDITORS,
  'POST /v1/briefs/{id}/request-changes': EDITORS,
  'POST /v1/briefs/{id}/approve': EDITORS,
  'POST /v1/briefs/{id}/reject': EDITORS,
  'GET /v1/briefs/{id}/history': EDITORS,
};

type OpenApi = { paths: Record<string, Record<string, { 'x-attune-roles'?: Role[] }>> };

describe.each(DATABASE_MODES)('role matrix on the %s database', (mode) => {
  let t: TestContext;
  let routes: { method: string; path: string }[];
  beforeAll(async () => {
    t = await openTestServices(mode);
    const doc = (await (await t.request('/openapi.json')).json()) as OpenApi;
    routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => ({ method: m.toUpperCase(), path })),
    );
    routes.push({ method: 'GET', path: '/openapi.json' });
  });
  afterAll(async () => t?.close());

  it('documents exactly the routes of the matrix, with the same roles', async () => {
    const doc = (await (await t.request('/openapi.json')).json()) as OpenApi;
    const documented: Record<string, Role[] | null> = { 'GET /openapi.json': null };
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [m, op] of Object.entries(ops)) {
        const roles = op['x-attune-roles'] ?? [];
        documented[`${m.toUpperCase()} ${path}`] = roles.length ? [...roles].sort() : null;
      }
    }
    const expected = Object.fromEntries(
      Object.entries(EXPECTED).map(([k, v]) => [k, v ? [...v].sort() : null]),
    );
    expect(documented).toEqual(expected);
  });

  it('admits each role exactly where the matrix says, and refuses the rest with 401/403 problem+json', async () => {
    const keys = Object.fromEntries(
      await Promise.all(ROLES.map(async (r) => [r, await t.keyFor(r)] as const)),
    ) as Record<Role, string>;
    const revokedKey = (await (
      await t.request('/v1/keys', { key: keys.admin, json: { name: 'to revoke', role: 'admin' } })
    ).json()) as { id: string; key: string };
    expect((await t.request(`/v1/keys/${revokedKey.id}`, { key: keys.admin, method: 'DELETE' })).status).toBe(
      200,
    );

    const failures: string[] = [];
    for (const { method, path } of routes) {
      const url = path
        .replace('{key}', 'no-such-experiment')
        .replace(/\{(id|keyId)\}/, '00000000-0000-4000-8000-000000000000')
        .replace('{userId}', 'matrix-user')
        .replace('{kind}', 'propensity')
        .replace('{dataset}', 'matrix-data')
        .replace('{version}', '1');
      const allowed = EXPECTED[`${method} ${path}`];
      const attempts: { who: string; key?: string; admitted: boolean }[] = [
        { who: 'no key', admitted: allowed === null },
        { who: 'revoked key', key: revokedKey.key, admitted: allowed === null },
        { who: 'garbage key', key: 'att_not-a-real-key', admitted: allowed === null },
        ...ROLES.map((r) => ({
          who: r,
          key: keys[r],
          admitted: allowed === null || (allowed ?? []).includes(r),
        })),
      ];
      for (const a of attempts) {
        const res = await t.request(url, { method, ...(a.key ? { key: a.key } : {}) });
        const refused = res.status === 401 || res.status === 403;
        if (res.status >= 500) failures.push(`${method} ${path} as ${a.who}: server error ${res.status}`);
        if (a.admitted === refused) failures.push(`${method} ${path} as ${a.who}: got ${res.status}`);
        if (refused) {
          expect(res.headers.get('content-type')).toBe('application/problem+json');
          const p = (await res.json()) as { type: string; status: number };
          expect(p.status).toBe(res.status);
          expect(p.type).toMatch(
            a.key && a.who !== 'revoked key' && a.who !== 'garbage key'
              ? /\/forbidden$/
              : /\/unauthenticated$/,
          );
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
