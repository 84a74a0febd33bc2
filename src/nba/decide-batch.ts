// Group commit: every nba_decide call a process has ready in one turn of the event loop (decisions
// to commit, and people this process does not know yet) goes to the database as one statement,
// nba_decide_many (sql/0017), which runs them in order in one transaction and answers each. A busy
// process thus pays one round trip, one statement and one durable commit per batch rather than per
// decision; a lone decision still goes at once (the batch closes at the end of the turn, no timer).
// With two statements in flight, later calls wait for the first to return: batches grow with load.
// (A connection reserved per lane would keep the same backends warm, but postgres.js then writes to
// a dead socket once the server drops one, and the process crashes: the pool reconnects, so it is used.)
// Each element is checked and committed as if alone (and sees the elements before it), so caps,
// budgets and request ids hold exactly as with one statement per decision.
import type { Database } from '../platform/db/client.js';

/** At most this many calls per statement (a longer batch holds its locks longer). */
const MAX_BATCH = 100;
/**
 * At most this many statements in flight per process; calls made meanwhile wait for the next one, so
 * batches grow with load instead of statements competing for the database's cores and locks.
 */
const MAX_IN_FLIGHT = 2;

type Pending = { json: string; resolve: (answer: unknown) => void; reject: (err: unknown) => void };
type Queue = { pending: Pending[]; inFlight: number; scheduled: boolean };

const queues = new WeakMap<Database, Queue>();

/**
 * nba_decide's answer to one call (an object, or its JSON text), sent with every other call made in
 * the same turn.
 */
export function callDecide<T>(database: Database, call: object | string): Promise<T> {
  let q = queues.get(database);
  if (!q) queues.set(database, (q = { pending: [], inFlight: 0, scheduled: false }));
  const json = typeof call === 'string' ? call : JSON.stringify(call);
  const queue = q;
  const answer = new Promise<T>((resolve, reject) =>
    queue.pending.push({ json, resolve: resolve as (a: unknown) => void, reject }),
  );
  schedule(database, queue);
  return answer;
}

/** Flush after this turn's I/O callbacks: every call made in this turn joins the batch. */
function schedule(database: Database, q: Queue): void {
  if (q.scheduled || q.inFlight >= MAX_IN_FLIGHT || !q.pending.length) return;
  q.scheduled = true;
  setImmediate(() => {
    q.scheduled = false;
    while (q.pending.length && q.inFlight < MAX_IN_FLIGHT) {
      const batch = q.pending.splice(0, MAX_BATCH);
      q.inFlight++;
      void sendOrSplit(database, batch).finally(() => {
        q.inFlight--;
        schedule(database, q);
      });
    }
  });
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

async function sendOrSplit(database: Database, batch: Pending[]): Promise<void> {
  try {
    await send(database, batch);
  } catch (err) {
    if (batch.length === 1 || !rolledBack(err)) return batch.forEach((p) => p.reject(err));
    // One bad call must not fail the others: each again on its own.
    await Promise.all(batch.map((p) => send(database, [p]).catch(p.reject)));
  }
}
