// Experiments over HTTP: define and change them (analysts), read them and their results (readers),
// and assign users (the services that render the experience: sources, CRM, analysts).
import { z } from '@hono/zod-openapi';
import { idSchema } from '../platform/ids.js';
import type { Api } from '../platform/http/app.js';
import { ROLE_GROUPS } from '../platform/http/env.js';
import { defineRoute, jsonResponse } from '../platform/http/route.js';
import { principalOf } from '../platform/http/auth.js';
import type { Database } from '../platform/db/client.js';
import { CreateExperimentSchema, UpdateExperimentSchema, type Experiment } from './definition.js';
import { createExperiment, getExperiment, listExperiments, updateExperiment } from './store.js';
import { keepAggregates } from './aggregates.js';
import { assign } from './assign.js';
import { analyzeExperiment } from './analysis.js';

const ExperimentSchema = z.record(z.string(), z.unknown()).openapi('Experiment');
const KeyParam = z.object({ key: idSchema(100) });

const present = (e: Experiment) => ({
  ...e,
  startAt: e.startAt?.toISOString() ?? null,
  stopAt: e.stopAt?.toISOString() ?? null,
  createdAt: e.createdAt.toISOString(),
  updatedAt: e.updatedAt.toISOString(),
});

/** How long the assignment route reuses an experiment it read: weight changes reach it within this. */
export const ASSIGNMENT_CACHE_MS = 1_000;

export function registerExperimentRoutes(
  app: Api,
  database: Database,
  bodyLimitBytes: number,
  clock: () => Date,
): void {
  const { db } = database;
  // Assignment is the hot path CRM systems call per user; the definition rarely changes.
  const cache = new Map<string, { at: number; experiment: Promise<Experiment> }>();
  const cachedExperiment = (key: string) => {
    const hit = cache.get(key);
    if (hit && Date.now() - hit.at < ASSIGNMENT_CACHE_MS) return hit.experiment;
    const experiment = getExperiment(db, key);
    experiment.catch(() => cache.delete(key));
    cache.set(key, { at: Date.now(), experiment });
    if (cache.size > 1000) cache.delete(cache.keys().next().value!);
    return experiment;
  };
  app.openapi(
    defineRoute({
      method: 'post',
      path: '/v1/experiments',
      roles: ROLE_GROUPS.analysts,
      bodyLimitBytes,
      tags: ['experiments'],
      summary: 'Define an experiment',
      request: {
        body: { required: true, content: { 'application/json': { schema: CreateExperimentSchema } } },
      },
      responses: {
        201: jsonResponse(ExperimentSchema, 'The experiment'),
        409: jsonResponse(z.object({}), 'Key taken'),
      },
    }),
    async (c) => {
      const created = await createExperiment(db, c.req.valid('json'), `key:${principalOf(c).keyId}`, clock());
      // Kept from its definition on: its events then only ever reach the aggregates incrementally.
      await keepAggregates(database.sql, created);
      return c.json(present(created), 201);
    },
  );

  app.openapi(
    defineRoute({
      method: 'get',
      path: '/v1/experiments',
      roles: ROLE_GROUPS.readers,
      tags: ['experiments'],
      summary: 'List experiments',
      responses: { 200: jsonResponse(z.object({ experiments: z.array(ExperimentSchema) }), 'Experiments') },
    }),
    async (c) => c.json({ experiments: (await listExperiments(db)).map(present) }, 200),
  );

  app.openapi(
    defineRoute({
      method: 'get',
      path: '/v1/experiments/{key}',
      roles: ROLE_GROUPS.readers,
      tags: ['experiments'],
      summary: 'One experiment with its phases',
      request: { params: KeyParam },
      responses: {
        200: jsonResponse(ExperimentSchema, 'The experiment'),
        404: jsonResponse(z.object({}), 'No such experiment'),
      },
    }),
    async (c) => c.json(present(await getExperiment(db, c.req.valid('param').key)), 200),
  );

  app.openapi(
    defineRoute({
      method: 'patch',
      path: '/v1/experiments/{key}',
      roles: ROLE_GROUPS.analysts,
      bodyLimitBytes,
      tags: ['experiments'],
      summary:
        'Change status, stop time, analysis settings or weights (a new phase; exposed users keep their arm)',
      request: {
        params: KeyParam,
        body: { required: true, content: { 'application/json': { schema: UpdateExperimentSchema } } },
      },
      responses: {
        200: jsonResponse(ExperimentSchema, 'The experiment'),
        404: jsonResponse(z.object({}), 'No such experiment'),
      },
    }),
    async (c) => {
      const { key } = c.req.valid('param');
      const updated = await updateExperiment(db, key, c.req.valid('json'), clock());
      cache.delete(key);
      return c.json(present(updated), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: 'get',
      path: '/v1/experiments/{key}/assignment',
      roles: ['source', 'crm', 'analyst', 'admin'],
      tags: ['experiments'],
      summary: 'The arm a user gets; records an exposure only with recordExposure=true',
      request: {
        params: KeyParam,
        query: z.object({
          userId: idSchema(),
          recordExposure: z.enum(['true', 'false']).default('false'),
        }),
      },
      responses: {
        200: jsonResponse(
          z.record(z.string(), z.unknown()),
          'The assignment; enrolled=false means show the default experience',
        ),
        404: jsonResponse(z.object({}), 'No such experiment'),
      },
    }),
    async (c) => {
      const { userId, recordExposure } = c.req.valid('query');
      const e = await cachedExperiment(c.req.valid('param').key);
      return c.json(
        await assign(database, e, userId, {
          record: recordExposure === 'true',
          sourceKeyId: principalOf(c).keyId,
          now: clock(),
        }),
        200,
      );
    },
  );

  app.openapi(
    defineRoute({
      method: 'get',
      path: '/v1/experiments/{key}/results',
      roles: ROLE_GROUPS.readers,
      tags: ['experiments'],
      summary:
        'Analysis of every metric from the stored events, with SRM check, costs, cumulative lift and verdict',
      request: { params: KeyParam },
      responses: {
        200: jsonResponse(z.record(z.string(), z.unknown()), 'The analysis'),
        404: jsonResponse(z.object({}), 'No such experiment'),
      },
    }),
    async (c) =>
      c.json(
        await analyzeExperiment(database, await getExperiment(db, c.req.valid('param').key), clock()),
        200,
      ),
  );
}
