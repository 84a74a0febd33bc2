// The stats engine over HTTP, for analysts who bring sufficient statistics from elsewhere.
import type { Api } from '../../platform/http/app.js';
import { ROLE_GROUPS } from '../../platform/http/env.js';
import { defineRoute, jsonResponse } from '../../platform/http/route.js';
import { AnalysisRequestSchema, AnalysisResponseSchema, analyzeRequest } from './contract.js';
import { PowerRequestSchema, answerPower } from './power-contract.js';
import { z } from '@hono/zod-openapi';

export function registerStatsRoutes(app: Api, bodyLimitBytes: number): void {
  app.openapi(
    defineRoute({
      method: 'post',
      path: '/v1/stats/analyze',
      roles: ROLE_GROUPS.readers,
      bodyLimitBytes,
      tags: ['stats'],
      summary: 'Analyse an experiment from sufficient statistics per arm (frequentist or Bayesian)',
      request: {
        body: { required: true, content: { 'application/json': { schema: AnalysisRequestSchema } } },
      },
      responses: {
        200: jsonResponse(AnalysisResponseSchema, 'Per-arm results, SRM check and verdict'),
        422: jsonResponse(z.object({}), 'The arms cannot be compared (zero variance, zero control mean)'),
      },
    }),
    (c) => c.json(analyzeRequest(c.req.valid('json')), 200),
  );

  app.openapi(
    defineRoute({
      method: 'post',
      path: '/v1/stats/power',
      roles: ROLE_GROUPS.readers,
      bodyLimitBytes,
      tags: ['stats'],
      summary: 'Traffic needed for a lift, or the minimum detectable lift for the traffic',
      request: { body: { required: true, content: { 'application/json': { schema: PowerRequestSchema } } } },
      responses: {
        200: jsonResponse(
          z.object({
            settings: z.record(z.string(), z.unknown()),
            sampleSize: z.unknown(),
            mde: z.array(z.unknown()),
          }),
          'The answer',
        ),
      },
    }),
    (c) => c.json(answerPower(c.req.valid('json')), 200),
  );
}
