import { z } from '@hono/zod-openapi';
import { idSchema } from '../ids.js';
import type { Api } from '../http/app.js';
import { ROLE_GROUPS } from '../http/env.js';
import { defineRoute, jsonResponse } from '../http/route.js';
import { principalOf } from '../http/auth.js';
import { AppError } from '../errors.js';
import type { Db } from '../db/client.js';
import type { JobQueue } from './queue.js';
import { createSchedule, deleteSchedule, getSchedule, listSchedules } from './schedules.js';

const JobSchema = z
  .object({
    id: z.string(),
    type: z.string(),
    state: z.enum(['created', 'retry', 'active', 'completed', 'cancelled', 'failed']),
    requestedBy: z.string(),
    scheduleId: z.string().nullable(),
    progress: z.number(),
    progressMessage: z.string().nullable(),
    attempts: z.number().int(),
    retryLimit: z.number().int(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    completedAt: z.string().nullable(),
    result: z.record(z.string(), z.unknown()).nullable(),
    error: z.string().nullable(),
  })
  .openapi('Job');

export const CreateJobSchema = z
  .strictObject({
    type: z.string().min(1).max(100).openapi({ example: 'db.analyze' }),
    data: z.record(z.string(), z.unknown()).default({}),
  })
  .openapi('CreateJob');

export const CreateScheduleSchema = z
  .strictObject({
    name: idSchema(100, { trim: true }).openapi({ example: 'nightly-analyze' }),
    jobType: z.string().min(1).max(100).openapi({ example: 'db.analyze' }),
    cron: z.string().min(1).max(100).openapi({
      example: '0 3 * * *',
      description: 'Five fields: minute hour day-of-month month day-of-week',
    }),
    timezone: z.string().min(1).max(64).default('UTC'),
    data: z.record(z.string(), z.unknown()).default({}),
    enabled: z.boolean().default(true),
  })
  .openapi('CreateSchedule');

const ScheduleSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    jobType: z.string(),
    cron: z.string(),
    timezone: z.string(),
    data: z.record(z.string(), z.unknown()),
    enabled: z.boolean(),
    nextRuns: z.array(z.string()),
    lastRunAt: z.string().nullable(),
    lastJobId: z.string().nullable(),
    createdBy: z.string(),
    createdAt: z.string(),
  })
  .openapi('Schedule');

export function registerJobRoutes(
  app: Api,
  db: Db,
  queue: JobQueue,
  bodyLimitBytes: number,
  clock: () => Date,
): void {
  app.openapi(
    defineRoute({
      method: 'get',
      path: '/v1/job-types',
      roles: ROLE_GROUPS.analysts,
      tags: ['jobs'],
      summary: 'Job types that can be queued or scheduled',
      responses: {
        200: jsonResponse(
          z.object({ types: z.array(z.object({ type: z.string(), description: z.string() })) }),
          'Job types',
        ),
      },
    }),
    (c) =>
      c.json(
        { types: queue.registry.list().map((d) => ({ type: d.type, description: d.description })) },
        200,
      ),
  );

  app.openapi(
    defineRoute({
      method: 'post',
      path: '/v1/jobs',
      roles: ROLE_GROUPS.analysts,
      bodyLimitBytes,
      tags: ['jobs'],
      summary: 'Queue a job now',
      request: { body: { required: true, content: { 'application/json': { schema: CreateJobSchema } } } },
      responses: {
        202: jsonResponse(z.object({ id: z.string(), status: z.string() }), 'Queued; poll the status URL'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const id = await queue.enqueue(body.type, body.data, { requestedBy: `key:${principalOf(c).keyId}` });
      if (!id) throw new AppError('conflict', 'An identical job is already queued.');
      return c.json({ id, status: `/v1/jobs/${id}` }, 202);
    },
  );

  app.openapi(
    defineRoute({
      method: 'get',
      path: '/v1/jobs/{id}',
      roles: ROLE_GROUPS.analysts,
      tags: ['jobs'],
      summary: 'A job’s state, progress, result or error',
      request: { params: z.object({ id: idSchema(64) }) },
      responses: { 200: jsonResponse(JobSchema, 'The job'), 404: jsonResponse(z.object({}), 'No such job') },
    }),
    async (c) => c.json(await queue.get(c.req.valid('param').id), 200),
  );

  app.openapi(
    defineRoute({
      method: 'post',
      path: '/v1/schedules',
      roles: ROLE_GROUPS.analysts,
      bodyLimitBytes,
      tags: ['schedules'],
      summary: 'Create a cron schedule',
      request: {
        body: { required: true, content: { 'application/json': { schema: CreateScheduleSchema } } },
      },
      responses: {
        201: jsonResponse(ScheduleSchema, 'The schedule with its next run times'),
        409: jsonResponse(z.object({}), 'Name taken'),
      },
    }),
    async (c) =>
      c.json(
        await createSchedule(db, queue, c.req.valid('json'), `key:${principalOf(c).keyId}`, clock()),
        201,
      ),
  );

  app.openapi(
    defineRoute({
      method: 'get',
      path: '/v1/schedules',
      roles: ROLE_GROUPS.analysts,
      tags: ['schedules'],
      summary: 'List schedules with their next run times',
      responses: { 200: jsonResponse(z.object({ schedules: z.array(ScheduleSchema) }), 'Schedules') },
    }),
    async (c) => c.json({ schedules: await listSchedules(db, clock()) }, 200),
  );

  app.openapi(
    defineRoute({
      method: 'get',
      path: '/v1/schedules/{id}',
      roles: ROLE_GROUPS.analysts,
      tags: ['schedules'],
      summary: 'One schedule, by id or name',
      request: { params: z.object({ id: idSchema(100) }) },
      responses: {
        200: jsonResponse(ScheduleSchema, 'The schedule'),
        404: jsonResponse(z.object({}), 'No such schedule'),
      },
    }),
    async (c) => c.json(await getSchedule(db, c.req.valid('param').id, clock()), 200),
  );

  app.openapi(
    defineRoute({
      method: 'delete',
      path: '/v1/schedules/{id}',
      roles: ROLE_GROUPS.analysts,
      tags: ['schedules'],
      summary: 'Delete a schedule, by id or name',
      request: { params: z.object({ id: idSchema(100) }) },
      responses: { 204: { description: 'Deleted' }, 404: jsonResponse(z.object({}), 'No such schedule') },
    }),
    async (c) => {
      await deleteSchedule(db, c.req.valid('param').id, `key:${principalOf(c).keyId}`);
      return c.body(null, 204);
    },
  );
}
