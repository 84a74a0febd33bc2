import { pgTable, text, timestamp, uuid, index } from 'drizzle-orm/pg-core';

export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    role: text('role').notNull(),
    /** The first characters of the key, shown in listings so people can tell keys apart. */
    prefix: text('prefix').notNull(),
    /** SHA-256 of the whole key; keys are 256-bit random, so a fast hash is enough. */
    hash: text('hash').notNull().unique(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('api_keys_role_idx').on(t.role)],
);
