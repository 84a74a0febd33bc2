// Batch propensity scores of the champion, one row per consenting person.
import { pgTable, text, timestamp, integer, real } from 'drizzle-orm/pg-core';

export const propensityScores = pgTable('propensity_scores', {
  personId: text('person_id').primaryKey(),
  version: integer('version').notNull(),
  score: real('score').notNull(),
  decile: integer('decile').notNull(),
  scoredAt: timestamp('scored_at', { withTimezone: true }).notNull(),
});
