// The weekly (or daily) KPI and spend that MMM fits read: a named data set with its column roles,
// and one row per period. Values are kept in the data set's channel and control order.
import {
  pgTable,
  text,
  timestamp,
  jsonb,
  integer,
  date,
  doublePrecision,
  primaryKey,
} from 'drizzle-orm/pg-core';

export const mmmDatasets = pgTable('mmm_datasets', {
  name: text('name').primaryKey(),
  /** The KPI column's name (revenue, conversions, ...), as imported. */
  kpi: text('kpi').notNull(),
  channels: jsonb('channels').$type<string[]>().notNull(),
  controls: jsonb('controls').$type<string[]>().notNull(),
  /** 7 for weekly data, 1 for daily. */
  periodDays: integer('period_days').notNull(),
  importedBy: text('imported_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const mmmPeriods = pgTable(
  'mmm_periods',
  {
    dataset: text('dataset')
      .notNull()
      .references(() => mmmDatasets.name, { onDelete: 'cascade' }),
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    kpi: doublePrecision('kpi').notNull(),
    /** Spend per channel in the data set's channel order. */
    spend: jsonb('spend').$type<number[]>().notNull(),
    controls: jsonb('controls').$type<number[]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.dataset, t.periodStart] })],
);
