// The partitioned events table (created by sql/0002_events_partitioned.sql), described for queries.
import { pgTable, text, timestamp, uuid, jsonb, bigint } from 'drizzle-orm/pg-core';

export const events = pgTable('cdp_events', {
  id: bigint('id', { mode: 'number' }).notNull(),
  sourceId: uuid('source_id').notNull(),
  messageId: text('message_id').notNull(),
  type: text('type').notNull(),
  event: text('event'),
  name: text('name'),
  personId: text('person_id'),
  userId: text('user_id'),
  anonymousId: text('anonymous_id'),
  groupId: text('group_id'),
  properties: jsonb('properties').$type<Record<string, unknown>>(),
  traits: jsonb('traits').$type<Record<string, unknown>>(),
  context: jsonb('context').$type<Record<string, unknown>>().notNull(),
  integrations: jsonb('integrations').$type<Record<string, unknown>>(),
  consent: jsonb('consent').$type<Record<string, boolean>>().notNull(),
  timestamp: timestamp('timestamp', { withTimezone: true }).notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  sentAt: timestamp('sent_at', { withTimezone: true }),
  originalTimestamp: timestamp('original_timestamp', { withTimezone: true }),
  clientTimestamp: timestamp('client_timestamp', { withTimezone: true }),
  lateMs: bigint('late_ms', { mode: 'number' }).notNull(),
});
