// Next-best-action routes: decisions and rewards (CRM), the catalogue, off-policy evaluation (analysts).
import type { Api } from '../platform/http/app.js';
import { ROLE_GROUPS } from '../platform/http/env.js';
import { defineRoute, jsonResponse } from '../platform/http/route.js';
import { z } from '@hono/zod-openapi';
import { EvaluateRequestSchema, EvaluationSchema, evaluateRequest } from './evaluate-contract.js';
import type { Database } from '../platform/db/client.js';
import { registerCatalogueRoutes } from './catalogue-routes.js';
import { registerDecisionRoutes } from './decision-routes.js';

export function registerNbaRoutes(
  app: Api,
  options: { database: Database; sampleBytes: number; bodyBytes: number; clock: () => Date },
): void {
  registerDecisionRoutes(app, options.database, options.bodyBytes, options.clock);
  registerCatalogueRoutes(app, options.database, options.bodyBytes);
  app.openapi(
    defineRoute({
      method: 'post',
      path: '/v1/nba/evaluate',
      roles: ROLE_GROUPS.analysts,
      // Logs are bulk data: they get the sample limit, not the small-body one.
      bodyLimitBytes: options.sampleBytes,
      tags: ['nba'],
      summary: 'Off-policy evaluation of a target policy over a decision log (IPW, SNIPW, DM, DR)',
      request: {
        body: { required: true, content: { 'application/json': { schema: EvaluateRequestSchema } } },
      },
      responses: {
        200: jsonResponse(EvaluationSchema, 'Estimates with bootstrap intervals, weight summary, warnings'),
        422: jsonResponse(z.object({}), 'The log has no usable rows'),
      },
    }),
    (c) => c.json(evaluateRequest(c.req.valid('json')), 200),
  );
}
