// Experiments and the sticky record of who was first exposed to which arm.
import {
  pgTable,
  text,
  timestamp,
  jsonb,
  integer,
  primaryKey,
  index,
  doublePrecision,
  numeric,
} from 'drizzle-orm/pg-core';
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

// Incrementally kept aggregates (src/experiments/aggregates.ts): each analysed experiment's exposed,
// consented units with their windowed metric values, and their sums per arm, stratum, day and phase.
// Triggers (sql/0016) mark a person dirty for an experiment when an event it reads or the person's
// consent arrives; the next analysis recomputes only those units and applies the difference.

/** One row per analysed experiment: the definition the aggregates were built for. */
export const experimentAggregateState = pgTable('experiment_aggregate_state', {
  experimentKey: text('experiment_key')
    .primaryKey()
    .references(() => experiments.key, { onDelete: 'cascade' }),
  definitionHash: text('definition_hash').notNull(),
  builtAt: timestamp('built_at', { withTimezone: true }).notNull(),
  refreshedAt: timestamp('refreshed_at', { withTimezone: true }).notNull(),
});

/** The events whose arrival makes a person dirty for an experiment (`event` null: identify calls). */
export const experimentAggregateEvents = pgTable(
  'experiment_aggregate_events',
  {
    experimentKey: text('experiment_key')
      .notNull()
      .references(() => experiments.key, { onDelete: 'cascade' }),
    event: text('event'),
    /** For the exposure event: only events whose `experiment_id` property is this. */
    experimentId: text('experiment_id'),
  },
  (t) => [index('experiment_aggregate_events_key_idx').on(t.experimentKey)],
);

/** People whose units must be recomputed before the experiment's next analysis. */
export const experimentDirty = pgTable(
  'experiment_dirty',
  {
    experimentKey: text('experiment_key').notNull(),
    personId: text('person_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.experimentKey, t.personId] })],
);

/**
 * An exposed unit whose consent grants the experiment's purpose: first exposure, its arm, whether it
 * saw another arm, its stratum, and per metric k the values vals[4k+1..4k+4] = post numerator, pre
 * numerator, post denominator, pre denominator (SQL arrays count from 1).
 */
export const experimentUnits = pgTable(
  'experiment_units',
  {
    experimentKey: text('experiment_key').notNull(),
    personId: text('person_id').notNull(),
    variation: text('variation').notNull(),
    firstAt: timestamp('first_at', { withTimezone: true }).notNull(),
    /** The UTC day and the phase of the first exposure: the unit's row in experiment_arm_days. */
    day: text('day').notNull(),
    phase: integer('phase').notNull(),
    multipleArms: integer('multiple_arms').notNull(),
    stratum: text('stratum').notNull(),
    sends: doublePrecision('sends').notNull(),
    vals: doublePrecision('vals').array().notNull(),
  },
  (t) => [primaryKey({ columns: [t.experimentKey, t.personId] })],
);

/**
 * Units' sums per arm, stratum ('' when not stratified), day and phase, in exact numeric arithmetic so
 * that adding and removing units leaves no rounding behind: per metric the 15 sums of metrics-sql's
 * s{k}_{i} (uncapped, covariates included) and a 16th, the count of units with a non-zero value.
 */
export const experimentArmDays = pgTable(
  'experiment_arm_days',
  {
    experimentKey: text('experiment_key').notNull(),
    variation: text('variation').notNull(),
    stratum: text('stratum').notNull(),
    day: text('day').notNull(),
    phase: integer('phase').notNull(),
    n: numeric('n').notNull(),
    multipleArms: numeric('multiple_arms').notNull(),
    sends: numeric('sends').notNull(),
    sums: numeric('sums').array().notNull(),
  },
  (t) => [primaryKey({ columns: [t.experimentKey, t.variation, t.stratum, t.day, t.phase] })],
);

/**
 * The per-unit values an order statistic needs, kept sorted by an index: a capped metric's post
 * values over all units (`arm` ''), a quantile metric's per arm (only non-zero ones with ignoreZeros).
 * A capped metric's row also carries the unit's arm-day key and its other values, and the index
 * (hand-written in sql/0016) includes them: what capping changes is then read from the index alone.
 */
export const experimentUnitValues = pgTable(
  'experiment_unit_values',
  {
    experimentKey: text('experiment_key').notNull(),
    personId: text('person_id').notNull(),
    metric: integer('metric').notNull(),
    arm: text('arm').notNull(),
    value: doublePrecision('value').notNull(),
    variation: text('variation').notNull(),
    stratum: text('stratum').notNull(),
    day: text('day').notNull(),
    phase: integer('phase').notNull(),
    pre: doublePrecision('pre').notNull(),
    denominator: doublePrecision('denominator').notNull(),
    preDenominator: doublePrecision('pre_denominator').notNull(),
  },
  (t) => [primaryKey({ columns: [t.experimentKey, t.personId, t.metric] })],
);
