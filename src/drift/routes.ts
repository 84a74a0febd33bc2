// Drift over HTTP: ad hoc comparison of two samples, and the stored results of scheduled monitors.
import type { Api } from '../platform/http/app.js';
import { ROLE_GROUPS } from '../platform/http/env.js';
import { defineRoute, jsonResponse } from '../platform/http/route.js';
import { z } from '@hono/zod-openapi';
import { DriftCompareRequestSchema, compareRequest } from './contract.js';

export function registerDriftCompareRoute(app: Api, sampleBytes: number): void {
  app.openapi(defineRoute({
    method: 'post', path: '/v1/drift/compare', roles: ROLE_GROUPS.readers, bodyLimitBytes: sampleBytes, tags: ['drift'],
    summary: 'Compare a reference and a current sample column by column',
    request: { body: { required: true, content: { 'application/json': { schema: DriftCompareRequestSchema } } } },
    responses: { 200: jsonResponse(z.object({ columns: z.array(z.record(z.string(), z.unknown())), summary: z.record(z.string(), z.number()), conventions: z.record(z.string(), z.string()) }), 'One verdict per column'), 422: jsonResponse(z.object({}), 'A column cannot be compared') },
  }), (c) => c.json(compareRequest(c.req.valid('json')), 200));
}
