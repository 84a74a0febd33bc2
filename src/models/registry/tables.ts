// The model registry: every trained version of every model kind, with what it was trained on, how it
// measured, where it ran, its saved parameters, and whether it serves (champion) or not.
import { pgTable, text, timestamp, jsonb, integer, uuid, uniqueIndex, index } from 'drizzle-orm/pg-core';

export const modelVersions = pgTable(
  'model_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    version: integer('version').notNull(),
    /** champion (serves), challenger (trained, not promoted), retired (served before). */
    status: text('status').notNull(),
    /** Why it was or was not promoted, in words. */
    reason: text('reason').notNull(),
    algorithm: text('algorithm').notNull(),
    dataWindow: jsonb('data_window').$type<Record<string, unknown>>().notNull(),
    features: jsonb('features').$type<{ names: string[]; setVersion: number }>().notNull(),
    params: jsonb('params').$type<Record<string, unknown>>().notNull(),
    metrics: jsonb('metrics').$type<Record<string, unknown>>().notNull(),
    runtime: jsonb('runtime').$type<{ backend: string; device: string; threads: number }>().notNull(),
    durationMs: integer('duration_ms').notNull(),
    artifact: jsonb('artifact').$type<Record<string, unknown>>().notNull(),
    trainedBy: text('trained_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    promotedAt: timestamp('promoted_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('model_versions_kind_version_idx').on(t.kind, t.version),
    index('model_versions_kind_status_idx').on(t.kind, t.status),
  ],
);

/** History of every registry decision (trained, promoted, kept as challenger, rolled back). */
export const modelEvents = pgTable(
  'model_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    version: integer('version').notNull(),
    action: text('action').notNull(),
    actor: text('actor').notNull(),
    reason: text('reason').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('model_events_kind_idx').on(t.kind, t.at)],
);
