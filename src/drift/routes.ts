// Drift over HTTP: ad hoc comparison of two samples, and the stored results of scheduled monitors.
import { z } from '@hono/zod-openapi';
import { idSchema } from '../platform/ids.js';
import type { Api } from '../platform/http/app.js';
import { ROLE_GROUPS } from '../platform/http/env.js';
import { defineRoute, jsonResponse } from '../platform/http/route.js';
import type { Database } from '../platform/db/client.js';
import { DriftCompareRequestSchema, compareRequest } from './contract.js';
import { MONITORS, getCheck, listChecks } from './monitors.js';

const present = (r: Awaited<ReturnType<typeof getCheck>>) => ({ ...r, checkedAt: r.checkedAt.toISOString() });

export function registerDriftRoutes(app: Api, database: Database, sampleBytes: number): void {
  app.openapi(
    defineRoute({
      method: 'post',
      path: '/v1/drift/compare',
      roles: ROLE_GROUPS.readers,
      bodyLimitBytes: sampleBytes,
      tags: ['drift'],
      summary: 'Compare a reference and a current sample column by column',
      request: {
        body: { required: true, content: { 'application/json': { schema: DriftCompareRequestSchema } } },
      },
      responses: {
        200: jsonResponse(
          z.object({
            columns: z.array(z.record(z.string(), z.unknown())),
            summary: z.record(z.string(), z.number()),
            conventions: z.record(z.string(), z.string()),
          }),
          'One verdict per column',
        ),
        422: jsonResponse(z.object({}), 'A column cannot be compared'),
      },
    }),
    (c) => c.json(compareRequest(c.req.valid('json')), 200),
  );

  app.openapi(
    defineRoute({
      method: 'get',
      path: '/v1/drift/checks',
      roles: ROLE_GROUPS.readers,
      tags: ['drift'],
      summary: 'Stored results of the drift monitors, newest first',
      request: {
        query: z.object({
          monitor: z.enum(MONITORS).optional(),
          subject: idSchema().optional(),
          limit: z.coerce.number().int().min(1).max(500).default(50),
        }),
      },
      responses: {
        200: jsonResponse(z.object({ checks: z.array(z.record(z.string(), z.unknown())) }), 'Checks'),
      },
    }),
    async (c) => c.json({ checks: (await listChecks(database, c.req.valid('query'))).map(present) }, 200),
  );

  app.openapi(
    defineRoute({
      method: 'get',
      path: '/v1/drift/checks/{id}',
      roles: ROLE_GROUPS.readers,
      tags: ['drift'],
      summary: 'One stored drift check with every column’s statistics',
      request: { params: z.object({ id: z.uuid() }) },
      responses: {
        200: jsonResponse(z.record(z.string(), z.unknown()), 'The check'),
        404: jsonResponse(z.object({}), 'No such check'),
      },
    }),
    async (c) => c.json(present(await getCheck(database, c.req.valid('param').id)), 200),
  );
}
