// Keeping the materialised features up to date. A refresh to instant T recomputes exactly the people
// whose aggregates can have changed since the previous refresh (T₀): those with events received
// since then, those with an event crossing a window edge (timestamp in [T₀ − w, T − w) for a window
// w), those with events in [T₀, T), and people who newly consent; people who no longer consent are
// removed. "Days since" features are computed from stored timestamps at read time, so the rest stay
// exact without being touched. A test compares the result with a full recomputation, row for row.
import type { Database } from '../platform/db/client.js';
import { consentedPersons } from '../cdp/consent-store.js';
import { FEATURE_SET_VERSION, WINDOWS, toVector, type RawFeatures } from './definition.js';
import { rawFeaturesAsOf, type PersonScope } from './raw-sql.js';

const DAY_MS = 86_400_000;

export type RefreshResult = {
  asOf: string;
  mode: 'full' | 'incremental';
  recomputed: number;
  removed: number;
  persons: number;
};

type Previous = { asOf: Date; receivedThrough: Date; version: number };

async function previousRefresh(database: Database): Promise<Previous | null> {
  const [row] = await database.sql<{ as_of: string; received_through: string; version: number }[]>`
    select as_of, received_through, version from feature_refreshes order by id desc limit 1`;
  return row
    ? { asOf: new Date(row.as_of), receivedThrough: new Date(row.received_through), version: row.version }
    : null;
}

/** Who may have changed between the previous refresh and `asOf`. */
function changedSince(database: Database, prev: Previous, asOf: Date): PersonScope {
  const { sql } = database;
  const crossings = WINDOWS.map(
    (w) =>
      sql`select person_id from cdp_events where "timestamp" >= ${new Date(prev.asOf.getTime() - w * DAY_MS).toISOString()}::timestamptz and "timestamp" < ${new Date(asOf.getTime() - w * DAY_MS).toISOString()}::timestamptz`,
  );
  const union = crossings.reduce((acc, q) => sql`${acc} union ${q}`);
  return sql`
    select person_id from cdp_events where received_at > ${prev.receivedThrough.toISOString()}::timestamptz and person_id is not null
    union select person_id from cdp_events where "timestamp" >= ${prev.asOf.toISOString()}::timestamptz and "timestamp" < ${asOf.toISOString()}::timestamptz
    union ${union}
    union (${consentedPersons(sql, 'personalization')} except select person_id from feature_person_raw)`;
}

/**
 * Bring the table to `asOf`. Full when asked, when there was no refresh before, when the feature set
 * changed, or when `asOf` is earlier than the last refresh (windows cannot run backwards).
 */
export async function refreshFeatures(
  database: Database,
  asOf: Date,
  options: { full?: boolean } = {},
): Promise<RefreshResult> {
  const { sql } = database;
  // Taken before reading events: anything received later is picked up by the next refresh.
  const [clockRow] = await sql<{ now: string }[]>`select clock_timestamp() as now`;
  const now = new Date(clockRow!.now);
  const prev = await previousRefresh(database);
  const full =
    options.full === true ||
    !prev ||
    prev.version !== FEATURE_SET_VERSION ||
    asOf.getTime() < prev.asOf.getTime();
  const scope = full ? null : changedSince(database, prev, asOf);
  const raws = await rawFeaturesAsOf(sql, asOf, scope);

  return sql.begin(async (tx): Promise<RefreshResult> => {
    let removed: number;
    if (full) {
      removed = (await tx`delete from feature_person_raw returning 1`).length;
    } else {
      removed = (
        await tx`delete from feature_person_raw where person_id not in (${consentedPersons(tx as never, 'personalization')}) returning 1`
      ).length;
    }
    const ids = [...raws.keys()];
    const json = [...raws.values()].map((r) => JSON.stringify(r));
    for (let i = 0; i < ids.length; i += 1000) {
      await tx`
        insert into feature_person_raw (person_id, as_of, version, raw)
        select p, ${asOf.toISOString()}::timestamptz, ${FEATURE_SET_VERSION}, r::jsonb
        from unnest(${ids.slice(i, i + 1000)}::text[], ${json.slice(i, i + 1000)}::text[]) as t(p, r)
        on conflict (person_id) do update
          set as_of = excluded.as_of, version = excluded.version, raw = excluded.raw, computed_at = now()`;
    }
    // Rows not recomputed keep exact aggregates; they now hold for `asOf` too.
    await tx`update feature_person_raw set as_of = ${asOf.toISOString()}::timestamptz`;
    const [count] = await tx<{ n: number }[]>`select count(*)::int as n from feature_person_raw`;
    const n = count!.n;
    const result: RefreshResult = {
      asOf: asOf.toISOString(),
      mode: full ? 'full' : 'incremental',
      recomputed: ids.length,
      removed,
      persons: n,
    };
    await tx`
      insert into feature_refreshes (as_of, received_through, version, mode, recomputed, removed, persons)
      values (${asOf.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz, ${FEATURE_SET_VERSION}, ${result.mode}, ${result.recomputed}, ${removed}, ${n})`;
    return result;
  });
}

export type MaterialisedFeatures = { personId: string; asOf: Date; vector: number[] };

/** The materialised vectors (of people who still consent), as of the last refresh. */
export async function materialisedFeatures(
  database: Database,
  personIds?: string[],
): Promise<MaterialisedFeatures[]> {
  const { sql } = database;
  const rows = await sql<{ person_id: string; as_of: string; raw: RawFeatures }[]>`
    select f.person_id, f.as_of, f.raw from feature_person_raw f
    where f.person_id in (${consentedPersons(sql, 'personalization')})
    ${personIds ? sql`and f.person_id in (select unnest(${personIds}::text[]))` : sql``}
    order by f.person_id`;
  return rows.map((r) => {
    const asOf = new Date(r.as_of);
    return { personId: r.person_id, asOf, vector: toVector(r.raw, asOf) };
  });
}
