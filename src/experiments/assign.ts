// Assignment for one user: consent first, then the sticky arm of a recorded first exposure, then the
// stateless hash. Recording an exposure writes the sticky row and sends the exposure event through
// ingest, so it is stored, deduplicated and consent-checked like any other event.
import { and, eq } from 'drizzle-orm';
import type { Database } from '../platform/db/client.js';
import { consentOf, ingestBatch } from '../cdp/index.js';
import { hashToUnit } from './assignment.js';
import { variationAt } from './ranges.js';
import { experimentAssignments } from './tables.js';
import type { Experiment } from './definition.js';

export type Assignment = {
  experiment: string;
  userId: string;
  enrolled: boolean;
  /** Why the user is not enrolled: show them the control experience. */
  reason: 'enrolled' | 'no-consent' | 'not-running' | 'outside-traffic';
  variation: { id: string; name: string } | null;
  sticky: boolean;
  exposureRecorded: boolean;
  hashUnit: number;
};

export function isLive(e: Experiment, now: Date): boolean {
  return e.status === 'running' && (!e.startAt || e.startAt <= now) && (!e.stopAt || e.stopAt > now);
}

export async function assign(
  database: Database,
  e: Experiment,
  userId: string,
  options: { record: boolean; sourceKeyId: string; now: Date },
): Promise<Assignment> {
  const hashUnit = hashToUnit(e.seed, userId);
  const base = {
    experiment: e.key,
    userId,
    hashUnit,
    variation: null,
    sticky: false,
    exposureRecorded: false,
  };
  if (!isLive(e, options.now)) return { ...base, enrolled: false, reason: 'not-running' };
  const personId = `u:${userId}`;
  const [consent, [stuck]] = await Promise.all([
    consentOf(database.db, { userId }),
    database.db
      .select()
      .from(experimentAssignments)
      .where(
        and(eq(experimentAssignments.experimentKey, e.key), eq(experimentAssignments.personId, personId)),
      ),
  ]);
  if (!consent[e.purpose]) return { ...base, enrolled: false, reason: 'no-consent' };
  let variation = stuck ? e.variations.find((v) => v.id === stuck.variationId) : undefined;
  if (!variation) {
    const index = variationAt(e.phases[e.phases.length - 1]!.ranges, hashUnit);
    variation = index >= 0 ? e.variations[index] : undefined;
  }
  if (!variation) return { ...base, enrolled: false, reason: 'outside-traffic' };

  let exposureRecorded = false;
  if (options.record) {
    await database.db
      .insert(experimentAssignments)
      .values({ experimentKey: e.key, personId, variationId: variation.id, assignedAt: options.now })
      .onConflictDoNothing();
    // The consent the decision was made under travels with the event, as a client SDK would send it.
    const { counts } = await ingestBatch(
      database,
      options.sourceKeyId,
      [
        {
          type: 'track',
          event: e.exposureEvent,
          userId,
          timestamp: options.now.toISOString(),
          messageId: `exposure:${e.key}:${userId}:${variation.id}:${options.now.toISOString().slice(0, 10)}`,
          properties: { experiment_id: e.key, variation_id: variation.id },
          context: { consent: { categoryPreferences: consent } },
        },
      ],
      {},
      options.now,
    );
    exposureRecorded = counts.accepted + counts.duplicate > 0;
  }
  return {
    ...base,
    enrolled: true,
    reason: 'enrolled',
    variation: { id: variation.id, name: variation.name },
    sticky: Boolean(stuck),
    exposureRecorded,
  };
}
