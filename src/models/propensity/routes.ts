// GET /v1/propensity/{userId}: the champion's score for one person at decision time.
import { z } from '@hono/zod-openapi';
import type { Api } from '../../platform/http/app.js';
import { defineRoute, jsonResponse } from '../../platform/http/route.js';
import { idSchema } from '../../platform/ids.js';
import { AppError } from '../../platform/errors.js';
import type { Database } from '../../platform/db/client.js';
import { scoreOf } from './scoring.js';

const ScoreSchema = z
  .object({
    userId: z.string(),
    score: z.number().describe('P(purchase in the next 30 days)'),
    decile: z.number().int().describe('1 = the highest-scoring tenth of the validation customers'),
    modelVersion: z.number().int(),
    at: z.string(),
    reasons: z.array(
      z.object({
        feature: z.string(),
        value: z.number(),
        effect: z.number().describe('Score change against the feature at its training mean'),
      }),
    ),
  })
  .openapi('PropensityScore');

export function registerPropensityRoutes(app: Api, database: Database, clock: () => Date): void {
  app.openapi(
    defineRoute({
      method: 'get',
      path: '/v1/propensity/{userId}',
      roles: ['crm', 'analyst', 'admin'],
      tags: ['models'],
      summary: 'Purchase propensity of one person now, with decile, model version and top reasons',
      request: { params: z.object({ userId: idSchema() }) },
      responses: {
        200: jsonResponse(ScoreSchema, 'The score'),
        451: jsonResponse(z.object({}), 'The person has not granted personalization (or withdrew it)'),
        404: jsonResponse(z.object({}), 'No events for this person'),
        503: jsonResponse(z.object({}), 'No propensity model has been promoted yet'),
      },
    }),
    async (c) => {
      const { userId } = c.req.valid('param');
      const r = await scoreOf(database, userId, clock());
      if (r.status === 'no-consent')
        throw new AppError(
          'consent-required',
          'This person has not granted personalization consent (or has withdrawn it): Attune does not score them.',
        );
      if (r.status === 'no-events')
        throw new AppError('not-found', 'Attune has no events of this person to score.');
      if (r.status === 'no-model')
        throw new AppError(
          'capability-unavailable',
          'No propensity model has been promoted yet: train one first.',
        );
      return c.json(
        { userId, score: r.score, decile: r.decile, modelVersion: r.version, at: r.at, reasons: r.reasons },
        200,
      );
    },
  );
}
