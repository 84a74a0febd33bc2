// Training rows for a purchase label: each signed-up, consenting person's features as of a snapshot
// instant D (events before D only) and whether they completed an order in [D, D + horizon).
import type { Database } from '../platform/db/client.js';
import { consentedPersons } from '../cdp/consent-store.js';
import { FEATURE_NAMES, toVector } from './definition.js';
import { rawFeaturesAsOf } from './raw-sql.js';

const DAY_MS = 86_400_000;

export type TrainingRow = { personId: string; snapshot: Date; vector: number[]; label: 0 | 1 };
export type TrainingSet = { features: readonly string[]; horizonDays: number; rows: TrainingRow[] };

export class TrainingSetError extends Error {}

/** The newest event time, the end of the data a label can look at. */
export async function latestEventTime(database: Database): Promise<Date | null> {
  const [row] = await database.sql<{ t: string | null }[]>`select max("timestamp") as t from cdp_events`;
  return row?.t ? new Date(row.t) : null;
}

/**
 * Rows for every snapshot, oldest first. A snapshot whose label window is not complete yet (it ends
 * after the newest event) is refused: its people would look like non-buyers.
 */
export async function buildTrainingSet(
  database: Database,
  options: { snapshots: Date[]; horizonDays?: number; onSnapshot?: (done: number, total: number) => void },
): Promise<TrainingSet> {
  const horizonDays = options.horizonDays ?? 30;
  const { sql } = database;
  const latest = await latestEventTime(database);
  const snapshots = [...options.snapshots].sort((a, b) => a.getTime() - b.getTime());
  for (const d of snapshots) {
    if (!latest || d.getTime() + horizonDays * DAY_MS > latest.getTime() + DAY_MS)
      throw new TrainingSetError(
        `the ${horizonDays}-day label window after ${d.toISOString().slice(0, 10)} is not complete: the newest event is ${latest?.toISOString() ?? 'none'}`,
      );
  }
  const rows: TrainingRow[] = [];
  const signedUp = FEATURE_NAMES.indexOf('signed_up');
  for (const [k, d] of snapshots.entries()) {
    const end = new Date(d.getTime() + horizonDays * DAY_MS);
    const raws = await rawFeaturesAsOf(sql, d, null);
    const buyers = new Set(
      (
        await sql<{ person_id: string }[]>`
          select distinct person_id from cdp_events
          where event = 'Order Completed' and "timestamp" >= ${d.toISOString()}::timestamptz and "timestamp" < ${end.toISOString()}::timestamptz
            and person_id in (${consentedPersons(sql, 'personalization')})`
      ).map((r) => r.person_id),
    );
    for (const [personId, raw] of raws) {
      const vector = toVector(raw, d);
      if (vector[signedUp] !== 1) continue; // only customers who had signed up by the snapshot
      rows.push({ personId, snapshot: d, vector, label: buyers.has(personId) ? 1 : 0 });
    }
    options.onSnapshot?.(k + 1, snapshots.length);
  }
  return { features: FEATURE_NAMES, horizonDays, rows };
}

const csvCell = (v: string | number) => {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/** A table with a row per person and snapshot; `user_id` is the person id without its prefix. */
export function trainingSetCsv(set: TrainingSet, labelColumn = `purchased_${set.horizonDays}d`): string {
  const header = ['user_id', 'snapshot', ...set.features, labelColumn].join(',');
  const lines = set.rows.map((r) =>
    [
      csvCell(r.personId.replace(/^[ua]:/, '')),
      r.snapshot.toISOString().slice(0, 10),
      ...r.vector.map((v) => (Number.isInteger(v) ? String(v) : v.toFixed(6))),
      r.label,
    ].join(','),
  );
  return `${header}\n${lines.join('\n')}\n`;
}
