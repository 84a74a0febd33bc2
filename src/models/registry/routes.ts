// /v1/models: the registry for analysts (read, train as a job) and admins (promote, roll back).
import { z } from '@hono/zod-openapi';
import type { Api } from '../../platform/http/app.js';
import { ROLE_GROUPS } from '../../platform/http/env.js';
import { defineRoute, jsonResponse } from '../../platform/http/route.js';
import { principalOf } from '../../platform/http/auth.js';
import { AppError, NotFoundError } from '../../platform/errors.js';
import type { Database } from '../../platform/db/client.js';
import type { JobQueue } from '../../platform/jobs/queue.js';
import { getVersion, history, listVersions, promote, rollback, type ModelVersion } from './store.js';

const KindParam = z.object({
  kind: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'a model kind such as propensity'),
});
const VersionParams = KindParam.extend({ version: z.coerce.number().int().min(1).max(1_000_000) });
const Reason = z.object({ reason: z.string().min(1).max(500).describe('Why, for the audit trail') });

const VersionSchema = z
  .object({
    kind: z.string(),
    version: z.number().int(),
    status: z.enum(['champion', 'challenger', 'retired']),
    reason: z.string(),
    algorithm: z.string(),
    dataWindow: z.record(z.string(), z.unknown()),
    features: z.object({ names: z.array(z.string()), setVersion: z.number() }),
    params: z.record(z.string(), z.unknown()),
    metrics: z.record(z.string(), z.unknown()),
    runtime: z.object({ backend: z.string(), device: z.string(), threads: z.number() }),
    durationMs: z.number(),
    trainedBy: z.string(),
    createdAt: z.string(),
    promotedAt: z.string().nullable(),
  })
  .openapi('ModelVersion');

const present = (v: ModelVersion) => {
  const { id: _id, ...rest } = v;
  return rest;
};

export function registerModelRoutes(
  app: Api,
  options: { database: Database; queue: JobQueue; kinds: readonly string[]; bodyLimitBytes: number },
): void {
  const { database, queue, kinds, bodyLimitBytes } = options;
  const known = (kind: string) => {
    if (!kinds.includes(kind)) throw new NotFoundError(`Model kind "${kind}"`);
  };

  app.openapi(
    defineRoute({
      method: 'get',
      path: '/v1/models',
      roles: ROLE_GROUPS.analysts,
      tags: ['models'],
      summary: 'Every trained version of every model kind, newest first',
      responses: { 200: jsonResponse(z.object({ versions: z.array(VersionSchema) }), 'Versions') },
    }),
    async (c) => c.json({ versions: (await listVersions(database)).map(present) }, 200),
  );

  app.openapi(
    defineRoute({
      method: 'get',
      path: '/v1/models/{kind}/{version}',
      roles: ROLE_GROUPS.analysts,
      tags: ['models'],
      summary: 'One version with its metrics, data window and runtime',
      request: { params: VersionParams },
      responses: {
        200: jsonResponse(VersionSchema, 'The version'),
        404: jsonResponse(z.object({}), 'Unknown'),
      },
    }),
    async (c) => {
      const { kind, version } = c.req.valid('param');
      return c.json(present(await getVersion(database, kind, version)), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: 'get',
      path: '/v1/models/{kind}/history',
      roles: ROLE_GROUPS.analysts,
      tags: ['models'],
      summary: 'Every registry decision for a kind: trained, promoted, kept, rolled back',
      request: { params: KindParam },
      responses: {
        200: jsonResponse(
          z.object({
            events: z.array(
              z.object({
                version: z.number(),
                action: z.string(),
                actor: z.string(),
                reason: z.string(),
                at: z.string(),
              }),
            ),
          }),
          'History',
        ),
      },
    }),
    async (c) => {
      const { kind } = c.req.valid('param');
      known(kind);
      return c.json({ events: await history(database, kind) }, 200);
    },
  );

  app.openapi(
    defineRoute({
      method: 'post',
      path: '/v1/models/{kind}/train',
      roles: ROLE_GROUPS.analysts,
      bodyLimitBytes,
      tags: ['models'],
      summary: 'Retrain as a job (model.refresh): poll the job for progress and the gate’s decision',
      request: { params: KindParam },
      responses: {
        202: jsonResponse(z.object({ id: z.string(), status: z.string() }), 'Queued; poll the status URL'),
      },
    }),
    async (c) => {
      const { kind } = c.req.valid('param');
      known(kind);
      const id = await queue.enqueue(
        'model.refresh',
        { kind },
        { requestedBy: `key:${principalOf(c).keyId}` },
      );
      if (!id) throw new AppError('conflict', `A ${kind} training job is already queued.`);
      return c.json({ id, status: `/v1/jobs/${id}` }, 202);
    },
  );

  app.openapi(
    defineRoute({
      method: 'post',
      path: '/v1/models/{kind}/{version}/promote',
      roles: ROLE_GROUPS.admins,
      bodyLimitBytes,
      tags: ['models'],
      summary: 'Make a version the champion by hand (audited)',
      request: {
        params: VersionParams,
        body: { required: true, content: { 'application/json': { schema: Reason } } },
      },
      responses: {
        200: jsonResponse(VersionSchema, 'The new champion'),
        409: jsonResponse(z.object({}), 'Already champion'),
      },
    }),
    async (c) => {
      const { kind, version } = c.req.valid('param');
      const actor = `key:${principalOf(c).keyId}`;
      return c.json(present(await promote(database, kind, version, actor, c.req.valid('json').reason)), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: 'post',
      path: '/v1/models/{kind}/rollback',
      roles: ROLE_GROUPS.admins,
      bodyLimitBytes,
      tags: ['models'],
      summary: 'Put back the previous champion (audited)',
      request: {
        params: KindParam,
        body: { required: true, content: { 'application/json': { schema: Reason } } },
      },
      responses: {
        200: jsonResponse(VersionSchema, 'The champion again'),
        409: jsonResponse(z.object({}), 'Nothing to roll back to'),
      },
    }),
    async (c) => {
      const { kind } = c.req.valid('param');
      known(kind);
      const actor = `key:${principalOf(c).keyId}`;
      return c.json(present(await rollback(database, kind, actor, c.req.valid('json').reason)), 200);
    },
  );
}
