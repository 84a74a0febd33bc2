// How a statement reads its tables, counted from PostgreSQL's scan statistics: for the tests that hold
// a statement to primary-key lookups whatever the planner guesses about a batch.
import type { Sql } from '../../src/platform/db/client.js';

/** Past PostgreSQL's five custom plans, so that the plan a connection keeps is among those counted. */
export const REPEATS = 8;

export type Scans = Record<string, { seq: number; idx: number }>;

/** Sequential and index scans of `tables` while `run` runs `REPEATS` times in one transaction. */
export async function scansDuring(
  sql: Sql,
  tables: string[],
  run: (tx: Sql) => Promise<unknown>,
): Promise<Scans> {
  return sql.begin(async (t) => {
    const tx = t as unknown as Sql;
    // The counts are the backend's not yet reported, so they are read before and after, in one transaction.
    const counts = async () =>
      new Map(
        (
          await tx<{ relname: string; seq: number; idx: number }[]>`
            select relname, seq_scan::int as seq, coalesce(idx_scan, 0)::int as idx
            from pg_stat_xact_user_tables where relname = any(${tables}::text[])`
        ).map((r) => [r.relname, r]),
      );
    const before = await counts();
    for (let k = 0; k < REPEATS; k++) await run(tx);
    const after = await counts();
    return Object.fromEntries(
      tables.map((name) => [
        name,
        {
          seq: (after.get(name)?.seq ?? 0) - (before.get(name)?.seq ?? 0),
          idx: (after.get(name)?.idx ?? 0) - (before.get(name)?.idx ?? 0),
        },
      ]),
    );
  });
}
