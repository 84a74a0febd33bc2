// Group commit: every nba_decide call a process has ready in one turn of the event loop (decisions
// to commit, and people this process does not know yet) goes to the database as one statement,
// nba_decide_many (sql/0017), which runs them in order in one transaction and answers each. A busy
// process thus pays one round trip, one statement and one durable commit per batch rather than per
// decision; a lone decision still goes at once (the batch closes at the end of the turn, no timer).
// Each element is checked and committed as if alone (and sees the elements before it), so caps,
// budgets and request ids hold exactly as with one statement per decision.
import type { Database } from '../platform/db/client.js';

/** At most this many calls per statement (a longer batch holds its locks longer). */
const MAX_BATCH = 100;

type Pending = { json: string; resolve: (answer: unknown) => void; reject: (err: unknown) => void };

const queues = new WeakMap<Database, Pending[]>();

/** nba_decide's answer to one call, sent with every other call made in the same turn. */
export function callDecide<T>(database: Database, call: object): Promise<T> {
  let queue = queues.get(database);
  if (!queue) {
    queue = [];
    queues.set(database, queue);
    // After this turn's I/O callbacks: every request read in this turn joins the batch.
    setImmediate(() => void flush(database));
  }
  const json = JSON.stringify(call);
  const q = queue;
  return new Promise<T>((resolve, reject) =>
    q.push({ json, resolve: resolve as (a: unknown) => void, reject }),
  );
}

async function send(database: Database, batch: Pending[]): Promise<void> {
  const [row] = await database.sql<{ r: unknown[] }[]>`
    select nba_decide_many(${`[${batch.map((p) => p.json).join(',')}]`}::jsonb) as r`;
  batch.forEach((p, k) => p.resolve(row!.r[k]));
}

/**
 * An error the server reported for the statement: its transaction rolled back, nothing of the batch
 * stays, so each call may be sent again. A lost connection may have lost the answer to a commit, so
 * that is not retried.
 */
function rolledBack(err: unknown): boolean {
  return typeof (err as { severity?: unknown }).severity === 'string';
}

async function flush(database: Database): Promise<void> {
  const queue = queues.get(database) ?? [];
  queues.delete(database);
  const sends: Promise<void>[] = [];
  for (let i = 0; i < queue.length; i += MAX_BATCH) {
    const batch = queue.slice(i, i + MAX_BATCH);
    sends.push(
      send(database, batch).catch(async (err: unknown) => {
        if (batch.length === 1 || !rolledBack(err)) return batch.forEach((p) => p.reject(err));
        // One bad call must not fail the others: each again on its own.
        await Promise.all(batch.map((p) => send(database, [p]).catch(p.reject)));
      }),
    );
  }
  await Promise.all(sends);
}
