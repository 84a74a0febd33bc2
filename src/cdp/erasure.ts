// Erasure (GDPR Art. 17): every row about a person, under every id in their identity graph, is
// deleted in one transaction; their ids go on the suppression list as keyed hashes; the request
// is audited without personal data. Domains that store data about people register their own steps
// (src/erasure-steps.ts collects them), so cdp/ never imports a domain above it.
import { eq, inArray, or, sql as dsql } from 'drizzle-orm';
import type { Database } from '../platform/db/client.js';
import { auditEvents } from '../platform/audit-tables.js';
import {
  consentLedger,
  consentState,
  erasureRequests,
  failedEvents,
  identityConflicts,
  identityLinks,
  identityUsers,
  suppressions,
} from './tables.js';
import { events } from './events-table.js';
import { getPiiSecret } from './settings-store.js';
import { hashId, hmac } from './pii.js';

export type ErasureTx = Parameters<Parameters<Database['db']['transaction']>[0]>[0];

/** Who is being erased: the user id, every anonymous id linked to them, and the person ids these resolve to. */
export type ErasureSubject = { userId: string; ids: string[]; anonymousIds: string[]; personIds: string[] };

export type ErasureStep = { table: string; erase: (tx: ErasureTx, s: ErasureSubject) => Promise<number> };

const n = (rows: unknown[]): number => rows.length;

/** The CDP's tables that can hold a person's data. A test seeds every table and checks that none keeps a trace. */
export const CDP_ERASURE_STEPS: readonly ErasureStep[] = [
  {
    table: 'cdp_events',
    erase: async (tx, s) =>
      n(
        await tx
          .delete(events)
          .where(
            or(
              inArray(events.userId, s.ids),
              inArray(events.anonymousId, s.ids),
              inArray(events.personId, s.personIds),
            ),
          )
          .returning({ id: events.id }),
      ),
  },
  {
    table: 'cdp_failed_events',
    erase: async (tx, s) =>
      n(
        await tx
          .delete(failedEvents)
          .where(
            or(
              inArray(failedEvents.userId, s.ids),
              inArray(failedEvents.anonymousId, s.ids),
              inArray(dsql<string>`${failedEvents.payload}->>'previousId'`, s.ids),
            ),
          )
          .returning({ id: failedEvents.id }),
      ),
  },
  {
    table: 'cdp_consent_ledger',
    erase: async (tx, s) =>
      n(
        await tx
          .delete(consentLedger)
          .where(
            or(
              inArray(consentLedger.personId, s.personIds),
              inArray(consentLedger.userId, s.ids),
              inArray(consentLedger.anonymousId, s.ids),
            ),
          )
          .returning({ id: consentLedger.id }),
      ),
  },
  {
    table: 'cdp_consent_state',
    erase: async (tx, s) =>
      n(
        await tx
          .delete(consentState)
          .where(inArray(consentState.personId, s.personIds))
          .returning({ id: consentState.personId }),
      ),
  },
  {
    table: 'cdp_identity_links',
    erase: async (tx, s) =>
      n(
        await tx
          .delete(identityLinks)
          .where(or(eq(identityLinks.userId, s.userId), inArray(identityLinks.anonymousId, s.ids)))
          .returning({ id: identityLinks.anonymousId }),
      ),
  },
  {
    table: 'cdp_identity_users',
    erase: async (tx, s) =>
      n(
        await tx
          .delete(identityUsers)
          .where(inArray(identityUsers.userId, s.ids))
          .returning({ id: identityUsers.userId }),
      ),
  },
  {
    table: 'cdp_identity_conflicts',
    erase: async (tx, s) =>
      n(
        await tx
          .delete(identityConflicts)
          .where(
            or(
              inArray(identityConflicts.anonymousId, s.ids),
              inArray(identityConflicts.existingUserId, s.ids),
              inArray(identityConflicts.newUserId, s.ids),
            ),
          )
          .returning({ id: identityConflicts.id }),
      ),
  },
];

async function subjectOf(tx: ErasureTx, userId: string): Promise<ErasureSubject> {
  const rows = await tx.execute<{ id: string }>(dsql`
    select anonymous_id as id from cdp_identity_links where user_id = ${userId}
    union select anonymous_id from cdp_events where user_id = ${userId} and anonymous_id is not null
    union select anonymous_id from cdp_failed_events where user_id = ${userId} and anonymous_id is not null
    union select anonymous_id from cdp_consent_ledger where user_id = ${userId} and anonymous_id is not null`);
  const anonymousIds = [...new Set(rows.map((r) => r.id))].sort();
  return {
    userId,
    anonymousIds,
    ids: [userId, ...anonymousIds],
    personIds: [`u:${userId}`, ...anonymousIds.map((a) => `a:${a}`)],
  };
}

export type ErasureResult = {
  erasureId: string;
  deleted: Record<string, number>;
  suppressedIds: number;
  completedAt: string;
};

/** Erases `userId` through every step given (all domains' steps: see src/erasure-steps.ts). */
export async function eraseUser(
  database: Database,
  steps: readonly ErasureStep[],
  userId: string,
  actor: string,
): Promise<ErasureResult> {
  const secret = await getPiiSecret(database.db, database.url);
  return database.db.transaction(async (tx) => {
    const [request] = await tx
      .insert(erasureRequests)
      .values({ subjectHash: hmac(secret, userId), requestedBy: actor })
      .returning({ id: erasureRequests.id });
    const erasureId = request!.id;
    const subject = await subjectOf(tx, userId);
    const deleted: Record<string, number> = {};
    for (const step of steps) deleted[step.table] = await step.erase(tx, subject);
    await tx
      .insert(suppressions)
      .values(subject.ids.map((id) => ({ idValue: hashId(secret, id), erasureId })))
      .onConflictDoNothing();
    const completedAt = new Date();
    await tx.update(erasureRequests).set({ completedAt, deleted }).where(eq(erasureRequests.id, erasureId));
    await tx.insert(auditEvents).values({
      actor,
      action: 'person.erase',
      target: erasureId,
      details: { deleted, suppressedIds: subject.ids.length },
    });
    return { erasureId, deleted, suppressedIds: subject.ids.length, completedAt: completedAt.toISOString() };
  });
}
