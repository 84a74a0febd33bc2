// Results of scheduled drift monitors, one row per check.
import { pgTable, text, timestamp, jsonb, integer, uuid, index } from 'drizzle-orm/pg-core';

export const driftChecks = pgTable(
  'drift_checks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    monitor: text('monitor').notNull(),
    subject: text('subject').notNull(),
    checkedAt: timestamp('checked_at', { withTimezone: true }).notNull(),
    window: jsonb('window').$type<{ reference: [string, string]; current: [string, string] }>().notNull(),
    columns: integer('columns').notNull(),
    drifted: integer('drifted').notNull(),
    result: jsonb('result').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [index('drift_checks_subject_idx').on(t.monitor, t.subject, t.checkedAt)],
);
