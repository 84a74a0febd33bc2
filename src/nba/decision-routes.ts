// POST /v1/decisions and POST /v1/rewards: what CRM systems call.
import type { Api } from '../platform/http/app.js';
import { ROLE_GROUPS } from '../platform/http/env.js';
import { principalOf } from '../platform/http/auth.js';
import { defineRoute, jsonResponse } from '../platform/http/route.js';
import type { Database } from '../platform/db/client.js';
import { z } from '@hono/zod-openapi';
import type { TypedResponse } from 'hono';
import { decide } from './decide.js';
import { DecisionRequestSchema, DEFAULT_PLACEMENT, RewardRequestSchema } from './decision-request.js';
import { DecisionResponseSchema, type DecisionResponse } from './decision-response.js';
import { recordReward } from './rewards.js';

export function registerDecisionRoutes(
  app: Api,
  database: Database,
  bodyLimitBytes: number,
  clock: () => Date,
): void {
  app.openapi(
    defineRoute({
      method: 'post',
      path: '/v1/decisions',
      roles: ROLE_GROUPS.crm,
      bodyLimitBytes,
      tags: ['nba'],
      summary:
        'The next best action for one customer, with its probability, the ranked alternatives and the reasons',
      request: {
        body: { required: true, content: { 'application/json': { schema: DecisionRequestSchema } } },
      },
      responses: {
        200: jsonResponse(DecisionResponseSchema, 'A repeated request id: the stored decision'),
        201: jsonResponse(DecisionResponseSchema, 'The decision, logged'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const placement =
        typeof body.context.placement === 'string' ? body.context.placement : DEFAULT_PLACEMENT;
      const { json, replayed } = await decide(
        database,
        {
          customerId: body.customerId,
          requestId: body.requestId,
          placement,
          context: body.context,
          candidates: body.candidates,
          defaultActionId: body.defaultActionId,
        },
        { keyId: principalOf(c).keyId, clock },
      );
      // The response as decide() serialised it, not a second JSON.stringify (the schema's type is
      // asserted, as c.json would have checked it).
      const res = c.body(json, replayed ? 200 : 201, { 'content-type': 'application/json' });
      return res as unknown as TypedResponse<DecisionResponse, 200 | 201, 'json'>;
    },
  );
  app.openapi(
    defineRoute({
      method: 'post',
      path: '/v1/rewards',
      roles: ROLE_GROUPS.crm,
      bodyLimitBytes,
      tags: ['nba'],
      summary:
        'What happened after a decision; inside the placement’s window it is learned from, later it is only logged',
      request: { body: { required: true, content: { 'application/json': { schema: RewardRequestSchema } } } },
      responses: {
        200: jsonResponse(
          z.object({
            decisionId: z.string(),
            reward: z.number(),
            status: z.enum(['learned', 'late']),
            windowEndsAt: z.string(),
          }),
          'Recorded',
        ),
        404: jsonResponse(z.object({}), 'No such decision'),
        409: jsonResponse(z.object({}), 'The decision already has its reward'),
        422: jsonResponse(z.object({}), 'The decision served no action, or the reward predates it'),
      },
    }),
    async (c) => c.json(await recordReward(database, c.req.valid('json'), clock), 200),
  );
}
