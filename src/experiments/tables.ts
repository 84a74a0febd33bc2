// Experiments and the sticky record of who was first exposed to which arm.
import { pgTable, text, timestamp, jsonb, integer, primaryKey } from 'drizzle-orm/pg-core';
import type {
  ExperimentAnalysis,
  ExperimentPhase,
  MetricDefinition,
  VariationDefinition,
} from './definition.js';

export const experiments = pgTable('experiments', {
  key: text('key').primaryKey(),
  name: text('name').notNull(),
  hypothesis: text('hypothesis').notNull(),
  status: text('status').$type<'draft' | 'running' | 'stopped'>().notNull(),
  seed: text('seed').notNull(),
  purpose: text('purpose').$type<'marketing' | 'analytics' | 'personalization'>().notNull(),
  exposureEvent: text('exposure_event').notNull(),
  attributionDays: integer('attribution_days').notNull(),
  variations: jsonb('variations').$type<VariationDefinition[]>().notNull(),
  /** Every weight change starts a phase; ranges move minimally between phases. */
  phases: jsonb('phases').$type<ExperimentPhase[]>().notNull(),
  goalMetrics: jsonb('goal_metrics').$type<MetricDefinition[]>().notNull(),
  guardrailMetrics: jsonb('guardrail_metrics').$type<MetricDefinition[]>().notNull(),
  analysis: jsonb('analysis').$type<ExperimentAnalysis>().notNull(),
  sendEvent: text('send_event'),
  startAt: timestamp('start_at', { withTimezone: true }),
  stopAt: timestamp('stop_at', { withTimezone: true }),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** First exposure per person: once written, the assignment endpoint returns this arm whatever the weights become. */
export const experimentAssignments = pgTable(
  'experiment_assignments',
  {
    experimentKey: text('experiment_key')
      .notNull()
      .references(() => experiments.key, { onDelete: 'cascade' }),
    personId: text('person_id').notNull(),
    variationId: text('variation_id').notNull(),
    assignedAt: timestamp('assigned_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.experimentKey, t.personId] })],
);
