import { pgTable, text, timestamp, uuid, jsonb, boolean, real, index } from 'drizzle-orm/pg-core';

/** Analyst-managed cron schedules; the scheduler turns due rows into queued jobs. */
export const schedules = pgTable(
  'schedules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull().unique(),
    jobType: text('job_type').notNull(),
    cron: text('cron').notNull(),
    timezone: text('timezone').notNull().default('UTC'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    enabled: boolean('enabled').notNull().default(true),
    nextRunAt: timestamp('next_run_at', { withTimezone: true }).notNull(),
    lastRunAt: timestamp('last_run_at', { withTimezone: true }),
    lastJobId: uuid('last_job_id'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('schedules_due_idx').on(t.nextRunAt)],
);

/** Our side of each queued job: who asked, from which schedule, and live progress. */
export const jobRuns = pgTable(
  'job_runs',
  {
    id: uuid('id').primaryKey(),
    jobType: text('job_type').notNull(),
    requestedBy: text('requested_by').notNull(),
    scheduleId: uuid('schedule_id'),
    progress: real('progress').notNull().default(0),
    progressMessage: text('progress_message'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('job_runs_created_idx').on(t.createdAt)],
);
