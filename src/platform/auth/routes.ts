import { z } from '@hono/zod-openapi';
import type { Api } from '../http/app.js';
import { ROLES, ROLE_GROUPS } from '../http/env.js';
import { defineRoute, jsonResponse } from '../http/route.js';
import { principalOf } from '../http/auth.js';
import { NotFoundError } from '../errors.js';
import type { Db } from '../db/client.js';
import { createKey, listKeys, revokeKey } from './store.js';

const KeyInfoSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    prefix: z.string(),
    createdBy: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi('ApiKey');

export const CreateKeySchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100).openapi({ example: 'web-frontend' }),
    role: z.enum(ROLES),
  })
  .openapi('CreateApiKey');

export function registerKeyRoutes(
  app: Api,
  db: Db,
  bodyLimitBytes: number,
  /** Called with a revoked key's id, so this process's key cache forgets it at once. */
  onRevoke: (keyId: string) => void = () => undefined,
): void {
  app.openapi(
    defineRoute({
      method: 'get',
      path: '/v1/me',
      roles: ROLE_GROUPS.anyKey,
      tags: ['keys'],
      summary: 'Who am I: the calling key’s name and role',
      responses: {
        200: jsonResponse(
          z.object({ keyId: z.string(), name: z.string(), role: z.enum(ROLES) }),
          'The caller',
        ),
      },
    }),
    (c) => c.json(principalOf(c), 200),
  );

  app.openapi(
    defineRoute({
      method: 'post',
      path: '/v1/keys',
      roles: ROLE_GROUPS.admins,
      bodyLimitBytes,
      tags: ['keys'],
      summary: 'Create an API key (the key is shown once)',
      request: { body: { required: true, content: { 'application/json': { schema: CreateKeySchema } } } },
      responses: {
        201: jsonResponse(
          KeyInfoSchema.extend({ key: z.string() }),
          'The new key, including the secret, shown only now',
        ),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const created = await createKey(db, { ...body, createdBy: `key:${principalOf(c).keyId}` });
      return c.json(created, 201);
    },
  );

  app.openapi(
    defineRoute({
      method: 'get',
      path: '/v1/keys',
      roles: ROLE_GROUPS.admins,
      tags: ['keys'],
      summary: 'List API keys (never the secrets)',
      request: { query: z.object({ includeRevoked: z.enum(['true', 'false']).optional() }) },
      responses: { 200: jsonResponse(z.object({ keys: z.array(KeyInfoSchema) }), 'Keys') },
    }),
    async (c) => {
      const keys = await listKeys(db, { includeRevoked: c.req.valid('query').includeRevoked === 'true' });
      return c.json({ keys }, 200);
    },
  );

  app.openapi(
    defineRoute({
      method: 'delete',
      path: '/v1/keys/{id}',
      roles: ROLE_GROUPS.admins,
      tags: ['keys'],
      summary: 'Revoke an API key',
      request: { params: z.object({ id: z.uuid() }) },
      responses: { 200: jsonResponse(KeyInfoSchema, 'The revoked key') },
    }),
    async (c) => {
      const revoked = await revokeKey(db, c.req.valid('param').id, `key:${principalOf(c).keyId}`);
      if (!revoked) throw new NotFoundError('API key');
      onRevoke(revoked.id);
      return c.json(revoked, 200);
    },
  );
}
