// Features of one person at decision time: the same SQL and the same finish as training rows, so a
// served vector equals the offline one for the same instant (tested).
import type { Database } from '../platform/db/client.js';
import { currentConsent, resolvePerson } from '../cdp/consent-store.js';
import { toNamed, toVector } from './definition.js';
import { rawFeaturesAsOf } from './raw-sql.js';

export type ServedFeatures =
  | { status: 'ok'; personId: string; asOf: Date; vector: number[]; named: Record<string, number> }
  | { status: 'no-consent'; personId: string | null }
  | { status: 'no-events'; personId: string };

export async function featuresOf(
  database: Database,
  ids: { userId?: string | null; anonymousId?: string | null },
  at: Date,
): Promise<ServedFeatures> {
  const personId = await resolvePerson(database.db, ids);
  if (!personId) return { status: 'no-consent', personId: null };
  const state = (await currentConsent(database.db, [personId])).get(personId)?.categories;
  if (!state?.personalization || !state.analytics) return { status: 'no-consent', personId };
  const { sql } = database;
  const raws = await rawFeaturesAsOf(sql, at, sql`select ${personId}::text as person_id`);
  const raw = raws.get(personId);
  if (!raw) return { status: 'no-events', personId };
  const vector = toVector(raw, at);
  return { status: 'ok', personId, asOf: at, vector, named: toNamed(vector) };
}
