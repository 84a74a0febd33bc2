// The catalogue through the API: actions, channels and placements (CRM systems, analysts, admins).
import { z } from '@hono/zod-openapi';
import type { Api } from '../platform/http/app.js';
import { defineRoute, jsonResponse } from '../platform/http/route.js';
import { idSchema } from '../platform/ids.js';
import type { Database } from '../platform/db/client.js';
import {
  ActionInputSchema,
  ActionSchema,
  ChannelInputSchema,
  ChannelSchema,
  PlacementInputSchema,
  PlacementSchema,
} from './catalogue.js';
import {
  deleteAction,
  getAction,
  listActions,
  listChannels,
  listPlacements,
  putAction,
  putChannel,
  putPlacement,
} from './catalogue-store.js';

export const CATALOGUE_ROLES = ['crm', 'analyst', 'admin'] as const;

export function registerCatalogueRoutes(app: Api, database: Database, bodyLimitBytes: number): void {
  const common = { roles: CATALOGUE_ROLES, tags: ['nba'], bodyLimitBytes };
  const idParam = z.object({ id: idSchema(100) });
  app.openapi(
    defineRoute({
      ...common,
      method: 'get',
      path: '/v1/nba/actions',
      summary: 'The action catalogue',
      responses: { 200: jsonResponse(z.object({ actions: z.array(ActionSchema) }), 'Every action') },
    }),
    async (c) => c.json({ actions: await listActions(database) } as never, 200),
  );
  app.openapi(
    defineRoute({
      ...common,
      method: 'get',
      path: '/v1/nba/actions/{id}',
      summary: 'One action',
      request: { params: idParam },
      responses: {
        200: jsonResponse(ActionSchema, 'The action'),
        404: jsonResponse(z.object({}), 'No such action'),
      },
    }),
    async (c) => c.json((await getAction(database, c.req.valid('param').id)) as never, 200),
  );
  app.openapi(
    defineRoute({
      ...common,
      method: 'put',
      path: '/v1/nba/actions/{id}',
      summary:
        'Create or replace an action (offer on a channel, creative, value, cost, dates, rules, caps, budget)',
      request: {
        params: idParam,
        body: { required: true, content: { 'application/json': { schema: ActionInputSchema } } },
      },
      responses: { 200: jsonResponse(ActionSchema, 'The stored action') },
    }),
    async (c) =>
      c.json((await putAction(database, c.req.valid('param').id, c.req.valid('json'))) as never, 200),
  );
  app.openapi(
    defineRoute({
      ...common,
      method: 'delete',
      path: '/v1/nba/actions/{id}',
      summary: 'Delete an action (its logged decisions stay)',
      request: { params: idParam },
      responses: { 204: { description: 'Deleted' }, 404: jsonResponse(z.object({}), 'No such action') },
    }),
    async (c) => {
      await deleteAction(database, c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
  app.openapi(
    defineRoute({
      ...common,
      method: 'get',
      path: '/v1/nba/channels',
      summary: 'Channels with their caps, daily budgets and capacity',
      responses: {
        200: jsonResponse(z.object({ channels: z.array(ChannelSchema) }), 'Every configured channel'),
      },
    }),
    async (c) => c.json({ channels: await listChannels(database) } as never, 200),
  );
  app.openapi(
    defineRoute({
      ...common,
      method: 'put',
      path: '/v1/nba/channels/{channel}',
      summary: 'Set a channel’s caps per person, daily budget and capacity',
      request: {
        params: z.object({ channel: idSchema(100) }),
        body: { required: true, content: { 'application/json': { schema: ChannelInputSchema } } },
      },
      responses: { 200: jsonResponse(ChannelSchema, 'The stored channel') },
    }),
    async (c) =>
      c.json((await putChannel(database, c.req.valid('param').channel, c.req.valid('json'))) as never, 200),
  );
  app.openapi(
    defineRoute({
      ...common,
      method: 'get',
      path: '/v1/nba/placements',
      summary: 'Placements with their policy, exploration, shadow mode and reward settings',
      responses: {
        200: jsonResponse(z.object({ placements: z.array(PlacementSchema) }), 'Every configured placement'),
      },
    }),
    async (c) => c.json({ placements: await listPlacements(database) } as never, 200),
  );
  app.openapi(
    defineRoute({
      ...common,
      method: 'put',
      path: '/v1/nba/placements/{placement}',
      summary:
        'Set a placement’s policy, exploration, shadow mode, default action, reward window and default reward',
      request: {
        params: z.object({ placement: idSchema(100) }),
        body: { required: true, content: { 'application/json': { schema: PlacementInputSchema } } },
      },
      responses: { 200: jsonResponse(PlacementSchema, 'The stored placement') },
    }),
    async (c) =>
      c.json(
        (await putPlacement(database, c.req.valid('param').placement, c.req.valid('json'))) as never,
        200,
      ),
  );
}
