// Every guardrail decision, one row per check per text: the audit trail and the report's source.
// Holds rules, spans and actions only, never the text, so it stores nothing about a person.
import { pgTable, text, timestamp, bigserial, integer, real, jsonb, index } from 'drizzle-orm/pg-core';

export const guardrailDecisions = pgTable(
  'guardrail_decisions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    /** Where the pipeline ran: scan (API/CLI), or a generation's input, chunk or output stage. */
    source: text('source').notNull(),
    stage: text('stage').notNull(),
    check: text('check').notNull(),
    action: text('action').notNull(),
    rules: jsonb('rules').$type<string[]>().notNull(),
    spans: jsonb('spans').$type<[number, number][]>().notNull(),
    score: real('score'),
    attempt: integer('attempt').notNull().default(1),
    /** The LLM judge's part, on injection rows it was asked about: agreed, disputed, rescued or error. */
    judgeVerdict: text('judge_verdict'),
    judgeModel: text('judge_model'),
    judgeConfidence: real('judge_confidence'),
    /** Why the judge gave no opinion (timeout, server error, malformed answer); the classifier's verdict stood. */
    judgeError: text('judge_error'),
  },
  (t) => [index('guardrail_decisions_at_idx').on(t.at, t.check)],
);
