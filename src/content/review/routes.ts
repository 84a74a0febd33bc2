// /v1/creatives (generate variants, read them, send them into an experiment) and /v1/briefs (generate,
// list, read, edit, request changes, approve, reject, history). Every change to a brief names the
// version it was read at, in If-Match (the ETag of GET) or as `version` in the body: a stale one is 412.
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Api } from '../../platform/http/app.js';
import { ROLE_GROUPS } from '../../platform/http/env.js';
import { defineRoute, jsonResponse } from '../../platform/http/route.js';
import { principalOf } from '../../platform/http/auth.js';
import { AppError } from '../../platform/errors.js';
import type { GenerationDeps } from '../generate/deps.js';
import { BriefRequestSchema } from '../generate/brief.js';
import { CreativeRequestSchema } from '../generate/variants.js';
import { BRIEF_SECTIONS } from '../seo/brief-schema.js';
import { BRIEF_STATUSES, briefHistory, getBrief, listBriefs, type StoredBrief } from './brief-store.js';
import { BriefEditSchema, createBrief, decideBrief, editBrief, requestChanges } from './briefs.js';
import {
  createCreativeSet,
  experimentFromVariants,
  ExperimentFromVariantsSchema,
  getCreativeSet,
} from './creatives.js';

const IdParam = z.object({ id: z.uuid() });
const Any = z.record(z.string(), z.unknown());
const version = z.number().int().min(1).optional().describe('The version read; or send If-Match');

export const etagOf = (b: { id: string; version: number }) => `"${b.id}.v${b.version}"`;

/** The version the caller read: If-Match (an ETag of GET) or `version` in the body; 428 when neither. */
export function readVersion(c: Context, bodyVersion: number | undefined, id: string): number {
  const header = c.req.header('if-match');
  if (header) {
    const m = /^(?:W\/)?"([0-9a-f-]{36})\.v(\d+)"$/.exec(header.trim());
    if (!m || m[1] !== id)
      throw new AppError(
        'precondition-failed',
        `If-Match ${header} is not an ETag of brief ${id}; GET it again.`,
      );
    return Number(m[2]);
  }
  if (bodyVersion !== undefined) return bodyVersion;
  throw new AppError(
    'precondition-required',
    'Send the version you read: If-Match with the ETag, or "version" in the body.',
  );
}

const view = (b: StoredBrief) => ({ ...b, etag: etagOf(b) });

export function registerReviewRoutes(app: Api, deps: GenerationDeps, bodyBytes: number): void {
  const respond = <S extends 200 | 201>(c: Context, b: StoredBrief, status: S) => {
    c.header('etag', etagOf(b));
    return c.json(view(b), status);
  };
  const actor = (c: Context) => `key:${principalOf(c).keyId}`;

  app.openapi(
    defineRoute({
      method: 'post',
      path: '/v1/creatives',
      roles: ROLE_GROUPS.readers,
      bodyLimitBytes: bodyBytes,
      tags: ['content'],
      summary:
        'Generate creative variants (ad headlines/descriptions or e-mail subjects/preheaders), each citing passages',
      request: {
        body: {
          required: true,
          content: { 'application/json': { schema: CreativeRequestSchema.openapi('CreativeRequest') } },
        },
      },
      responses: { 201: jsonResponse(Any, 'The variant set with sources, findings, generator and cost') },
    }),
    async (c) => c.json(await createCreativeSet(deps, c.req.valid('json'), actor(c)), 201),
  );
  app.openapi(
    defineRoute({
      method: 'get',
      path: '/v1/creatives/{id}',
      roles: ROLE_GROUPS.readers,
      tags: ['content'],
      summary: 'A creative-variant set',
      request: { params: IdParam },
      responses: { 200: jsonResponse(Any, 'The variant set') },
    }),
    async (c) => c.json(await getCreativeSet(deps.database, c.req.valid('param').id), 200),
  );
  app.openapi(
    defineRoute({
      method: 'post',
      path: '/v1/creatives/{id}/experiment',
      roles: ROLE_GROUPS.analysts,
      bodyLimitBytes: bodyBytes,
      tags: ['content', 'experiments'],
      summary: 'Create an A/B experiment whose arms are the chosen variants (as POST /v1/experiments would)',
      request: {
        params: IdParam,
        body: {
          required: true,
          content: {
            'application/json': { schema: ExperimentFromVariantsSchema.openapi('ExperimentFromVariants') },
          },
        },
      },
      responses: { 201: jsonResponse(Any, 'The experiment'), 409: jsonResponse(z.object({}), 'Key taken') },
    }),
    async (c) => {
      const e = await experimentFromVariants(
        deps.database,
        c.req.valid('param').id,
        c.req.valid('json'),
        actor(c),
        deps.now(),
      );
      return c.json(
        {
          ...e,
          startAt: e.startAt?.toISOString() ?? null,
          stopAt: e.stopAt?.toISOString() ?? null,
          createdAt: e.createdAt.toISOString(),
          updatedAt: e.updatedAt.toISOString(),
        },
        201,
      );
    },
  );

  app.openapi(
    defineRoute({
      method: 'post',
      path: '/v1/briefs',
      roles: ROLE_GROUPS.editors,
      bodyLimitBytes: bodyBytes,
      tags: ['content'],
      summary: 'Generate an SEO brief for a keyword (optionally with competitor pages) into the review queue',
      request: {
        body: {
          required: true,
          content: { 'application/json': { schema: BriefRequestSchema.openapi('BriefRequest') } },
        },
      },
      responses: { 201: jsonResponse(Any, 'The brief, in review; ETag header for later changes') },
    }),
    async (c) => respond(c, await createBrief(deps, c.req.valid('json'), actor(c)), 201),
  );
  app.openapi(
    defineRoute({
      method: 'get',
      path: '/v1/briefs',
      roles: ROLE_GROUPS.editors,
      tags: ['content'],
      summary: 'The review queue: briefs by status, keyword text and language (in review first)',
      request: {
        query: z.object({
          status: z.enum(BRIEF_STATUSES).optional(),
          q: z.string().max(100).optional(),
          language: z.enum(['en', 'de']).optional(),
          brand: z
            .string()
            .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/)
            .default('kettle-crane'),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
      },
      responses: { 200: jsonResponse(z.object({ briefs: z.array(Any) }), 'Briefs') },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const briefs = await listBriefs(deps.database, {
        brand: q.brand,
        limit: q.limit,
        ...(q.status ? { status: q.status } : {}),
        ...(q.q ? { q: q.q } : {}),
        ...(q.language ? { language: q.language } : {}),
      });
      return c.json({ briefs: briefs.map(view) }, 200);
    },
  );
  app.openapi(
    defineRoute({
      method: 'get',
      path: '/v1/briefs/{id}',
      roles: ROLE_GROUPS.editors,
      tags: ['content'],
      summary: 'A brief with its sources, guardrail findings, score, generator and version (ETag)',
      request: { params: IdParam },
      responses: { 200: jsonResponse(Any, 'The brief') },
    }),
    async (c) => respond(c, await getBrief(deps.database, c.req.valid('param').id), 200),
  );
  app.openapi(
    defineRoute({
      method: 'patch',
      path: '/v1/briefs/{id}',
      roles: ROLE_GROUPS.editors,
      bodyLimitBytes: bodyBytes,
      tags: ['content'],
      summary: 'Edit a brief (titles, outline, terms, links, JSON-LD, …); needs the version read',
      request: {
        params: IdParam,
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.strictObject({ version, brief: BriefEditSchema }).openapi('BriefEdit'),
            },
          },
        },
      },
      responses: { 200: jsonResponse(Any, 'The brief at its new version') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      return respond(
        c,
        await editBrief(deps, id, readVersion(c, body.version, id), body.brief, actor(c)),
        200,
      );
    },
  );
  app.openapi(
    defineRoute({
      method: 'post',
      path: '/v1/briefs/{id}/request-changes',
      roles: ROLE_GROUPS.editors,
      bodyLimitBytes: bodyBytes,
      tags: ['content'],
      summary: 'Regenerate one section with a reason (the reason also widens retrieval)',
      request: {
        params: IdParam,
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.strictObject({
                version,
                section: z.enum(BRIEF_SECTIONS),
                reason: z.string().trim().min(3).max(1000),
              }),
            },
          },
        },
      },
      responses: { 200: jsonResponse(Any, 'The brief with the section regenerated') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const b = c.req.valid('json');
      return respond(
        c,
        await requestChanges(deps, id, readVersion(c, b.version, id), b.section, b.reason, actor(c)),
        200,
      );
    },
  );
  for (const [verb, decision] of [
    ['approve', 'approved'],
    ['reject', 'rejected'],
  ] as const)
    app.openapi(
      defineRoute({
        method: 'post',
        path: `/v1/briefs/{id}/${verb}`,
        roles: ROLE_GROUPS.editors,
        bodyLimitBytes: bodyBytes,
        tags: ['content'],
        summary:
          verb === 'approve'
            ? 'Approve a brief (records its generation cost as an approved asset)'
            : 'Reject a brief with a reason',
        request: {
          params: IdParam,
          body: {
            required: true,
            content: {
              'application/json': {
                schema: z.strictObject({
                  version,
                  reason:
                    verb === 'reject'
                      ? z.string().trim().min(3).max(1000)
                      : z.string().trim().max(1000).optional(),
                }),
              },
            },
          },
        },
        responses: { 200: jsonResponse(Any, `The brief, ${decision}`) },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const b = c.req.valid('json');
        return respond(
          c,
          await decideBrief(deps, id, readVersion(c, b.version, id), decision, b.reason ?? null, actor(c)),
          200,
        );
      },
    );
  app.openapi(
    defineRoute({
      method: 'get',
      path: '/v1/briefs/{id}/history',
      roles: ROLE_GROUPS.editors,
      tags: ['content'],
      summary: 'Every action on a brief: who, when, which version, section and reason',
      request: { params: IdParam },
      responses: { 200: jsonResponse(z.object({ events: z.array(Any) }), 'History') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await getBrief(deps.database, id);
      return c.json({ events: await briefHistory(deps.database, id) }, 200);
    },
  );
}
