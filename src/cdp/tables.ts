// CDP tables. The events table itself is partitioned by time, which drizzle-kit cannot express:
// it is created by the hand-written migration sql/0002_events_partitioned.sql and described for
// queries in events-table.ts (not part of src/schema.ts).
import {
  pgTable,
  text,
  timestamp,
  uuid,
  jsonb,
  boolean,
  integer,
  smallint,
  bigserial,
  date,
  index,
  primaryKey,
  customType,
} from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

/** Per-source settings; a source is an API key with the `source` role. */
export const sources = pgTable('cdp_sources', {
  keyId: uuid('key_id').primaryKey(),
  /** Categories granted when an event carries no consent signal: only for sources with another lawful basis (documented). */
  defaultConsent: jsonb('default_consent').$type<Record<string, boolean>>(),
  /** Trust `receivedAt` in the payload (historical imports and replays of exported data). */
  trustReceivedAt: boolean('trust_received_at').notNull().default(false),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One row per accepted (source, messageId): the unique constraint that makes ingest idempotent with no time window. */
export const eventIds = pgTable(
  'cdp_event_ids',
  {
    sourceId: uuid('source_id').notNull(),
    messageId: text('message_id').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.sourceId, t.messageId] })],
);

export const failedEvents = pgTable(
  'cdp_failed_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    sourceId: uuid('source_id').notNull(),
    messageId: text('message_id').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    reason: text('reason').notNull(),
    errors: jsonb('errors').$type<{ path: string; message: string }[]>().notNull(),
    planVersion: integer('plan_version'),
    eventName: text('event_name'),
    userId: text('user_id'),
    anonymousId: text('anonymous_id'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status').notNull().default('quarantined'),
    replayedAt: timestamp('replayed_at', { withTimezone: true }),
  },
  (t) => [
    index('cdp_failed_events_status_idx').on(t.status, t.receivedAt),
    index('cdp_failed_events_user_idx').on(t.userId),
    index('cdp_failed_events_anon_idx').on(t.anonymousId),
  ],
);

export const consentLedger = pgTable(
  'cdp_consent_ledger',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    personId: text('person_id').notNull(),
    userId: text('user_id'),
    anonymousId: text('anonymous_id'),
    categories: jsonb('categories').$type<Record<string, boolean>>().notNull(),
    signal: jsonb('signal').$type<Record<string, unknown>>().notNull(),
    origin: text('origin').notNull(),
    sourceId: uuid('source_id'),
    at: timestamp('at', { withTimezone: true }).notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('cdp_consent_ledger_person_idx').on(t.personId, t.at)],
);

export const consentState = pgTable('cdp_consent_state', {
  personId: text('person_id').primaryKey(),
  categories: jsonb('categories').$type<Record<string, boolean>>().notNull(),
  at: timestamp('at', { withTimezone: true }).notNull(),
  ledgerId: integer('ledger_id').notNull(),
});

export const identityUsers = pgTable('cdp_identity_users', {
  userId: text('user_id').primaryKey(),
  firstSeen: timestamp('first_seen', { withTimezone: true }).notNull().defaultNow(),
});

export const identityLinks = pgTable(
  'cdp_identity_links',
  {
    anonymousId: text('anonymous_id').primaryKey(),
    userId: text('user_id').notNull(),
    via: text('via').notNull(),
    linkedAt: timestamp('linked_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('cdp_identity_links_user_idx').on(t.userId)],
);

export const identityConflicts = pgTable(
  'cdp_identity_conflicts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind').notNull(),
    anonymousId: text('anonymous_id').notNull(),
    existingUserId: text('existing_user_id').notNull(),
    newUserId: text('new_user_id').notNull(),
    messageId: text('message_id'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('cdp_identity_conflicts_existing_idx').on(t.existingUserId),
    index('cdp_identity_conflicts_new_idx').on(t.newUserId),
  ],
);

/** Ids whose events are never stored again (after erasure), kept only as keyed hashes (pii.ts hashId). */
export const suppressions = pgTable('cdp_suppressions', {
  idValue: text('id_value').primaryKey(),
  erasureId: uuid('erasure_id').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Erasure requests, audited without personal data: the subject is kept only as an HMAC. */
export const erasureRequests = pgTable('cdp_erasure_requests', {
  id: uuid('id').primaryKey().defaultRandom(),
  subjectHash: text('subject_hash').notNull(),
  requestedBy: text('requested_by').notNull(),
  requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
  completedAt: timestamp('completed_at', { withTimezone: true }),
  deleted: jsonb('deleted').$type<Record<string, number>>().notNull().default({}),
});

// Counts are bumped inside each ingest transaction and their row stays locked until it commits.
// One row per (day, source, key) would make every concurrent request of a source wait for the
// previous one's commit; each transaction picks one of a few shards instead, and readers sum them.

/** Events refused for lack of analytics consent, kept only as anonymous daily counts. */
export const consentlessCounts = pgTable(
  'cdp_consentless_counts',
  {
    day: date('day').notNull(),
    sourceId: uuid('source_id').notNull(),
    eventName: text('event_name').notNull(),
    shard: smallint('shard').notNull().default(0),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.sourceId, t.eventName, t.shard] })],
);

/** Daily ingest outcomes by reason, for the data-quality report. */
export const ingestCounts = pgTable(
  'cdp_ingest_counts',
  {
    day: date('day').notNull(),
    sourceId: uuid('source_id').notNull(),
    outcome: text('outcome').notNull(),
    shard: smallint('shard').notNull().default(0),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.sourceId, t.outcome, t.shard] })],
);

export const trackingPlans = pgTable('cdp_tracking_plans', {
  version: integer('version').primaryKey(),
  plan: jsonb('plan').$type<Record<string, unknown>>().notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** This installation's secrets (the HMAC key for personal data). Created on first use. */
export const installSecrets = pgTable('cdp_install_secrets', {
  name: text('name').primaryKey(),
  value: bytea('value').notNull(),
});
