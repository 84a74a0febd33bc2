// CDP HTTP API: Segment-compatible ingest (source keys), consent, tracking plan, failed events,
// erasure and source settings.
import { z } from '@hono/zod-openapi';
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Api } from '../platform/http/app.js';
import { ROLE_GROUPS } from '../platform/http/env.js';
import { defineRoute, jsonResponse } from '../platform/http/route.js';
import { principalOf } from '../platform/http/auth.js';
import { AppError, NotFoundError } from '../platform/errors.js';
import type { Database } from '../platform/db/client.js';
import { ingestBatch, type IngestSummary } from './ingest.js';
import type { EventType } from './normalize.js';
import { MAX_BATCH_EVENTS, MAX_EVENT_BYTES } from './limits.js';
import { categoriesFromSignal } from './consent.js';
import { consentLedgerOf, currentConsent, resolvePerson } from './consent-store.js';
import { recordConsentRows } from './ingest-store.js';
import { notAnIdentityReason } from './identity.js';
import { idSchema } from '../platform/ids.js';
import { TrackingPlanSchema } from './tracking-plan.js';
import { getSourceSettings, getTrackingPlan, putSourceSettings, putTrackingPlan } from './settings-store.js';
import { eraseUser, type ErasureStep } from './erasure.js';
import { failedEvents } from './tables.js';
import { apiKeys } from '../platform/auth/tables.js';

const anyObject = z.looseObject({});

/** A Segment-spec event of each type, for the OpenAPI document (and the fuzzer, which starts from examples). */
const consented = { consent: { categoryPreferences: { analytics: true, personalization: true } } };
const EXAMPLES: Record<EventType, Record<string, unknown>> = {
  track: { event: 'Product Viewed', userId: 'u-123', properties: { product_id: 'p-1' }, context: consented },
  identify: { userId: 'u-123', traits: { plan: 'pro' }, context: consented },
  page: { anonymousId: 'a-456', name: 'Home', context: consented },
  screen: { anonymousId: 'a-456', name: 'Settings', context: consented },
  group: { userId: 'u-123', groupId: 'g-789', traits: { name: 'Acme' }, context: consented },
  alias: { previousId: 'a-456', userId: 'u-123', context: consented },
};

const IngestResponse = z
  .object({
    success: z.boolean(),
    accepted: z.number().int(),
    duplicates: z.number().int(),
    rejected: z.number().int(),
    quarantined: z.number().int(),
    suppressed: z.number().int(),
    consentDropped: z.number().int(),
    results: z.array(
      z.object({
        index: z.number().int(),
        messageId: z.string().nullable(),
        status: z.string(),
        code: z.string().optional(),
        reason: z.string().optional(),
        late: z.boolean().optional(),
      }),
    ),
  })
  .openapi('IngestResult');

function answer(summary: IngestSummary, single: boolean) {
  const { results, counts } = summary;
  const rejected = results.filter((r) => r.status === 'rejected');
  if (rejected.length === results.length && results.length > 0) {
    const errors = rejected.map((r) => ({
      index: r.index,
      path: single ? (r.code ?? 'event') : `batch[${r.index}]`,
      code: r.code ?? 'rejected',
      message: r.reason ?? 'rejected',
    }));
    throw new AppError(
      'validation-failed',
      single
        ? `The event was refused: ${rejected[0]?.reason ?? ''}.`
        : `All ${rejected.length} event(s) were refused; see errors[].`,
      { errors },
    );
  }
  return {
    success: true,
    accepted: counts.accepted,
    duplicates: counts.duplicate,
    rejected: counts.rejected,
    quarantined: counts.quarantined,
    suppressed: counts.suppressed,
    consentDropped: counts['consent-dropped'],
    results,
  };
}

export function registerCdpRoutes(
  app: Api,
  database: Database,
  limits: { batchBytes: number; bodyBytes: number },
  clock: () => Date,
  erasureSteps: readonly ErasureStep[],
): void {
  const { db } = database;
  const singles: [string, EventType][] = [
    ['track', 'track'],
    ['identify', 'identify'],
    ['page', 'page'],
    ['screen', 'screen'],
    ['group', 'group'],
    ['alias', 'alias'],
  ];
  for (const [path, type] of singles) {
    app.openapi(
      defineRoute({
        method: 'post',
        path: `/v1/${path}`,
        roles: ROLE_GROUPS.ingest,
        bodyLimitBytes: MAX_EVENT_BYTES,
        checksItems: true,
        tags: ['ingest'],
        summary: `Send one ${type} event (Segment-compatible)`,
        request: {
          body: {
            required: true,
            content: { 'application/json': { schema: anyObject.openapi({ example: EXAMPLES[type] }) } },
          },
        },
        responses: {
          200: jsonResponse(
            IngestResponse,
            'Committed (or counted, dropped or quarantined as the result says)',
          ),
        },
      }),
      async (c) =>
        c.json(
          answer(
            await ingestBatch(database, principalOf(c).keyId, [c.req.valid('json')], {}, clock(), type),
            true,
          ),
          200,
        ),
    );
  }

  app.openapi(
    defineRoute({
      method: 'post',
      path: '/v1/batch',
      roles: ROLE_GROUPS.ingest,
      bodyLimitBytes: limits.batchBytes,
      checksItems: true,
      tags: ['ingest'],
      summary: `Send up to ${MAX_BATCH_EVENTS} events (Segment-compatible); one result per event`,
      request: {
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.looseObject({
                batch: z.array(z.unknown()).openapi({
                  example: [
                    { type: 'track', ...EXAMPLES.track },
                    { type: 'identify', ...EXAMPLES.identify },
                  ],
                }),
                context: anyObject.optional(),
                integrations: anyObject.optional(),
                sentAt: z.string().optional(),
              }),
            },
          },
        },
      },
      responses: {
        200: jsonResponse(
          IngestResponse,
          'Per-event results; valid events are committed even when others are refused',
        ),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      if (body.batch.length > MAX_BATCH_EVENTS) {
        throw new AppError(
          'payload-too-large',
          `The batch has ${body.batch.length} events; the limit is ${MAX_BATCH_EVENTS} events per batch. Split it.`,
          { extra: { limit: 'events-per-batch', maxEvents: MAX_BATCH_EVENTS } },
        );
      }
      if (body.batch.length === 0)
        throw new AppError('validation-failed', 'The batch is empty.', {
          errors: [{ path: 'batch', message: 'at least one event' }],
        });
      const shared = {
        ...(body.context ? { context: body.context } : {}),
        ...(body.integrations ? { integrations: body.integrations } : {}),
        ...(body.sentAt ? { sentAt: body.sentAt } : {}),
      };
      return c.json(
        answer(await ingestBatch(database, principalOf(c).keyId, body.batch, shared, clock()), false),
        200,
      );
    },
  );

  const ConsentBody = z
    .strictObject({
      userId: idSchema().optional(),
      anonymousId: idSchema().optional(),
      categories: z
        .record(z.string(), z.union([z.boolean(), z.string()]))
        .openapi({ example: { analytics: true, personalization: false, marketing: false, ads: false } }),
      at: z.iso.datetime({ offset: true }).optional(),
    })
    .openapi('ConsentUpdate');
  const ConsentView = z
    .object({
      personId: z.string(),
      current: z.record(z.string(), z.boolean()).nullable(),
      at: z.string().nullable(),
      ledger: z.array(z.record(z.string(), z.unknown())),
    })
    .openapi('Consent');

  app.openapi(
    defineRoute({
      method: 'post',
      path: '/v1/consent',
      roles: ['source', 'admin'],
      bodyLimitBytes: limits.bodyBytes,
      tags: ['consent'],
      summary: 'Record a consent change for a person',
      request: { body: { required: true, content: { 'application/json': { schema: ConsentBody } } } },
      responses: { 200: jsonResponse(ConsentView, 'The person’s consent after the change') },
    }),
    async (c) => {
      const body = c.req.valid('json');
      for (const k of ['userId', 'anonymousId'] as const) {
        const why = body[k] !== undefined ? notAnIdentityReason(body[k]) : null;
        if (why)
          throw new AppError('validation-failed', `${k} ${why}.`, { errors: [{ path: k, message: why }] });
      }
      const personId = await resolvePerson(db, body);
      if (!personId)
        throw new AppError('validation-failed', 'Give a userId or an anonymousId.', {
          errors: [{ path: 'userId', message: 'required (or anonymousId)' }],
        });
      const categories = categoriesFromSignal(body.categories);
      await recordConsentRows(database.sql, [
        {
          personId,
          userId: body.userId ?? null,
          anonymousId: body.anonymousId ?? null,
          categories,
          signal: body.categories,
          origin: 'api',
          sourceId: principalOf(c).keyId,
          at: (body.at ? new Date(body.at) : clock()).toISOString(),
        },
      ]);
      return c.json(await consentView(personId), 200);
    },
  );

  async function consentView(personId: string) {
    const state = (await currentConsent(db, [personId])).get(personId);
    const ledger = await consentLedgerOf(db, personId);
    return {
      personId,
      current: state?.categories ?? null,
      at: state?.at.toISOString() ?? null,
      ledger: ledger.map((l) => ({
        id: l.id,
        at: l.at.toISOString(),
        recordedAt: l.recordedAt.toISOString(),
        origin: l.origin,
        sourceId: l.sourceId,
        categories: l.categories,
        signal: l.signal,
        anonymousId: l.anonymousId,
      })),
    };
  }

  app.openapi(
    defineRoute({
      method: 'get',
      path: '/v1/consent/{userId}',
      roles: ROLE_GROUPS.admins,
      tags: ['consent'],
      summary: 'A person’s current consent and every change (the ledger)',
      request: { params: z.object({ userId: idSchema() }) },
      responses: { 200: jsonResponse(ConsentView, 'Current state and ledger') },
    }),
    async (c) => c.json(await consentView(`u:${c.req.valid('param').userId}`), 200),
  );

  app.openapi(
    defineRoute({
      method: 'get',
      path: '/v1/tracking-plan',
      roles: ROLE_GROUPS.analysts,
      tags: ['tracking plan'],
      summary: 'The current tracking plan and its version',
      responses: { 200: jsonResponse(z.object({ version: z.number().int(), plan: anyObject }), 'Plan') },
    }),
    async (c) => c.json(await getTrackingPlan(db, database.url), 200),
  );

  app.openapi(
    defineRoute({
      method: 'put',
      path: '/v1/tracking-plan',
      roles: ROLE_GROUPS.analysts,
      bodyLimitBytes: 1024 * 1024,
      tags: ['tracking plan'],
      summary: 'Replace the tracking plan (a new version)',
      request: { body: { required: true, content: { 'application/json': { schema: TrackingPlanSchema } } } },
      responses: { 200: jsonResponse(z.object({ version: z.number().int() }), 'The new version') },
    }),
    async (c) =>
      c.json({ version: await putTrackingPlan(db, c.req.valid('json'), `key:${principalOf(c).keyId}`) }, 200),
  );

  const FailedEvent = z
    .object({
      id: z.number().int(),
      messageId: z.string(),
      receivedAt: z.string(),
      reason: z.string(),
      errors: z.array(z.object({ path: z.string(), message: z.string() })),
      planVersion: z.number().int().nullable(),
      eventName: z.string().nullable(),
      status: z.string(),
      payload: anyObject,
    })
    .openapi('FailedEvent');

  app.openapi(
    defineRoute({
      method: 'get',
      path: '/v1/failed-events',
      roles: ROLE_GROUPS.analysts,
      tags: ['tracking plan'],
      summary: 'Events kept aside for breaking the tracking plan',
      request: {
        query: z.object({
          status: z.enum(['quarantined', 'replayed']).default('quarantined'),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        }),
      },
      responses: {
        200: jsonResponse(z.object({ failedEvents: z.array(FailedEvent) }), 'Failed events, newest first'),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const rows = await db
        .select()
        .from(failedEvents)
        .where(eq(failedEvents.status, q.status))
        .orderBy(desc(failedEvents.receivedAt))
        .limit(q.limit);
      return c.json(
        {
          failedEvents: rows.map((r) => ({
            id: r.id,
            messageId: r.messageId,
            receivedAt: r.receivedAt.toISOString(),
            reason: r.reason,
            errors: r.errors,
            planVersion: r.planVersion,
            eventName: r.eventName,
            status: r.status,
            payload: r.payload,
          })),
        },
        200,
      );
    },
  );

  app.openapi(
    defineRoute({
      method: 'post',
      path: '/v1/failed-events/replay',
      roles: ROLE_GROUPS.analysts,
      bodyLimitBytes: limits.bodyBytes,
      tags: ['tracking plan'],
      summary: 'Re-check quarantined events against the current plan and store those that now pass',
      request: {
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.strictObject({ ids: z.array(z.number().int()).max(10_000).optional() }),
            },
          },
        },
      },
      responses: {
        200: jsonResponse(
          z.object({ replayed: z.number().int(), stillFailing: z.number().int() }),
          'Outcome',
        ),
      },
    }),
    async (c) => {
      const { ids } = c.req.valid('json');
      const rows = await db
        .select()
        .from(failedEvents)
        .where(and(eq(failedEvents.status, 'quarantined'), ids ? inArray(failedEvents.id, ids) : undefined))
        .limit(10_000);
      let replayed = 0;
      const bySource = new Map<string, typeof rows>();
      for (const r of rows) bySource.set(r.sourceId, [...(bySource.get(r.sourceId) ?? []), r]);
      for (const [sourceId, group] of bySource) {
        const summary = await ingestBatch(
          database,
          sourceId,
          group.map((r) => r.payload),
          {},
          clock(),
          undefined,
          { replay: new Map(group.map((r) => [r.messageId, r.receivedAt])) },
        );
        const done = group.filter((_, i) =>
          ['accepted', 'duplicate', 'consent-dropped', 'suppressed'].includes(
            summary.results[i]?.status ?? '',
          ),
        );
        if (done.length)
          await db
            .update(failedEvents)
            .set({ status: 'replayed', replayedAt: clock() })
            .where(
              inArray(
                failedEvents.id,
                done.map((r) => r.id),
              ),
            );
        replayed += done.length;
      }
      return c.json({ replayed, stillFailing: rows.length - replayed }, 200);
    },
  );

  app.openapi(
    defineRoute({
      method: 'delete',
      path: '/v1/users/{userId}',
      roles: ROLE_GROUPS.admins,
      tags: ['erasure'],
      summary: 'Erase a person: every row under every id in their identity graph; suppress their ids',
      request: { params: z.object({ userId: idSchema() }) },
      responses: {
        200: jsonResponse(
          z.object({
            erasureId: z.string(),
            deleted: z.record(z.string(), z.number()),
            suppressedIds: z.number().int(),
            completedAt: z.string(),
          }),
          'Erased',
        ),
      },
    }),
    async (c) =>
      c.json(
        await eraseUser(database, erasureSteps, c.req.valid('param').userId, `key:${principalOf(c).keyId}`),
        200,
      ),
  );

  const SourceSettingsBody = z
    .strictObject({
      defaultConsent: z
        .partialRecord(z.enum(['analytics', 'personalization', 'marketing', 'ads']), z.boolean())
        .nullable()
        .openapi({
          description:
            'Categories assumed when an event carries no consent signal. Only for sources with another lawful basis (e.g. a server reporting orders under contract); document that basis.',
        }),
      trustReceivedAt: z
        .boolean()
        .default(false)
        .openapi({ description: 'Use receivedAt from the payload (historical imports).' }),
    })
    .openapi('SourceSettings');

  app.openapi(
    defineRoute({
      method: 'put',
      path: '/v1/sources/{keyId}',
      roles: ROLE_GROUPS.admins,
      bodyLimitBytes: limits.bodyBytes,
      tags: ['ingest'],
      summary: 'Settings of a source (a source-role key)',
      request: {
        params: z.object({ keyId: z.uuid() }),
        body: { required: true, content: { 'application/json': { schema: SourceSettingsBody } } },
      },
      responses: {
        200: jsonResponse(
          z.object({
            keyId: z.string(),
            defaultConsent: z.record(z.string(), z.boolean()).nullable(),
            trustReceivedAt: z.boolean(),
          }),
          'Saved settings',
        ),
      },
    }),
    async (c) => {
      const { keyId } = c.req.valid('param');
      const [key] = await db.select({ role: apiKeys.role }).from(apiKeys).where(eq(apiKeys.id, keyId));
      if (!key) throw new NotFoundError('API key');
      if (key.role !== 'source')
        throw new AppError(
          'unprocessable',
          `Key ${keyId} has the ${key.role} role; settings apply to source keys.`,
        );
      const body = c.req.valid('json');
      const dc = body.defaultConsent
        ? { analytics: false, personalization: false, marketing: false, ads: false, ...body.defaultConsent }
        : null;
      await putSourceSettings(db, { keyId, defaultConsent: dc, trustReceivedAt: body.trustReceivedAt });
      return c.json(await getSourceSettings(db, keyId), 200);
    },
  );
}
