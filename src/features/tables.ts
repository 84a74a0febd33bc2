// The materialised features: one row per consenting person, as of the last refresh.
import { pgTable, text, timestamp, jsonb, integer, bigserial } from 'drizzle-orm/pg-core';
import type { RawFeatures } from './definition.js';

export const personFeatures = pgTable('feature_person_raw', {
  personId: text('person_id').primaryKey(),
  /** The instant the aggregates are exact for (the refresh's as-of). */
  asOf: timestamp('as_of', { withTimezone: true }).notNull(),
  version: integer('version').notNull(),
  raw: jsonb('raw').$type<RawFeatures>().notNull(),
  computedAt: timestamp('computed_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One row per refresh: the as-of instant and the received-at watermark the next one starts from. */
export const featureRefreshes = pgTable('feature_refreshes', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  asOf: timestamp('as_of', { withTimezone: true }).notNull(),
  /** Every event received at or before this instant was seen by this refresh. */
  receivedThrough: timestamp('received_through', { withTimezone: true }).notNull(),
  version: integer('version').notNull(),
  mode: text('mode').notNull(),
  recomputed: integer('recomputed').notNull(),
  removed: integer('removed').notNull(),
  persons: integer('persons').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
});
