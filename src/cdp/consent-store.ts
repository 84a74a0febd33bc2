// The consent ledger (append-only) and the current state derived from it. `consentOf` is the one
// function every downstream module reads consent through.
import { eq, inArray } from 'drizzle-orm';
import type { Db, Sql } from '../platform/db/client.js';
import { consentLedger, consentState, identityLinks } from './tables.js';
import { CATEGORIES, NO_CONSENT, type Category, type ConsentCategories } from './consent.js';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

const toCategories = (v: Record<string, boolean> | undefined | null): ConsentCategories =>
  v
    ? (Object.fromEntries(CATEGORIES.map((c) => [c, v[c] === true])) as ConsentCategories)
    : { ...NO_CONSENT };

/** Current states of these people (missing people have none). */
export async function currentConsent(
  db: Db | Tx,
  personIds: string[],
): Promise<Map<string, { categories: ConsentCategories; at: Date }>> {
  if (!personIds.length) return new Map();
  const rows = await db.select().from(consentState).where(inArray(consentState.personId, personIds));
  return new Map(rows.map((r) => [r.personId, { categories: toCategories(r.categories), at: r.at }]));
}

/** The person id a user id or anonymous id resolves to now. */
export async function resolvePerson(
  db: Db,
  ids: { userId?: string | null; anonymousId?: string | null },
): Promise<string | null> {
  if (ids.userId) return `u:${ids.userId}`;
  if (!ids.anonymousId) return null;
  const [link] = await db
    .select({ userId: identityLinks.userId })
    .from(identityLinks)
    .where(eq(identityLinks.anonymousId, ids.anonymousId));
  return link ? `u:${link.userId}` : `a:${ids.anonymousId}`;
}

/**
 * THE consent check. Every module that uses a person's data (scoring, next-best-action,
 * experiments, sends) asks here, at the moment it computes; no state means no consent.
 */
export async function consentOf(
  db: Db,
  ids: { userId?: string | null; anonymousId?: string | null },
): Promise<ConsentCategories> {
  const person = await resolvePerson(db, ids);
  if (!person) return { ...NO_CONSENT };
  return (await currentConsent(db, [person])).get(person)?.categories ?? { ...NO_CONSENT };
}

/** Stored events may be used only while analytics consent stands. */
const ANALYTICS_STANDS = `(categories ->> 'analytics')::boolean IS TRUE`;

/**
 * The set-based form of the same check, for aggregations in SQL over stored events that never load
 * people into Node: the persons whose current state grants `categoryParam` (a bind parameter such
 * as $3) and still grants analytics, without which their stored events are not to be used.
 */
export function consentedPersonsSql(categoryParam: string): string {
  return `SELECT person_id FROM cdp_consent_state WHERE (categories ->> ${categoryParam}::text)::boolean IS TRUE AND ${ANALYTICS_STANDS}`;
}

/** The same set as a postgres-js fragment, for tagged-template queries. */
export function consentedPersons(sql: Sql, category: Category) {
  return sql`SELECT person_id FROM cdp_consent_state WHERE (categories ->> ${category}::text)::boolean IS TRUE AND ${sql.unsafe(ANALYTICS_STANDS)}`;
}

export async function hasConsent(
  db: Db,
  ids: { userId?: string | null; anonymousId?: string | null },
  category: Category,
): Promise<boolean> {
  return (await consentOf(db, ids))[category];
}

export async function consentLedgerOf(db: Db, personId: string) {
  return db
    .select()
    .from(consentLedger)
    .where(eq(consentLedger.personId, personId))
    .orderBy(consentLedger.at, consentLedger.id);
}
