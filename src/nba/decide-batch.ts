// Group commit: every nba_decide call a process has ready in one turn of the event loop (decisions
// to commit, and people this process does not know yet) goes to the database as one statement,
// nba_decide_many (sql/0017), which runs them in order in one transaction and answers each. A busy
// process thus pays one round trip, one statement and one durable commit per batch rather than per
// decision; a lone decision still goes at once (the batch closes at the end of the turn, no timer).
// At most two statements are in flight: calls made meanwhile wait for the next, so batches grow with
// load instead of statements competing for the database's cores and locks. On a server each of the
// two runs on a connection of its own (the pool would hand out its idle connections in turn, and a
// backend that has just served the last batch has its caches and plans warm: half the database's CPU).
// Each call is checked and committed as if alone (and sees the calls before it in its batch), so
// caps, budgets and request ids hold exactly as with one statement per decision.
import type { Database, Sql } from '../platform/db/client.js';

/** At most this many calls per statement (a longer batch holds its locks longer). */
const MAX_BATCH = 100;
/** Statements in flight per process (see above). */
const MAX_IN_FLIGHT = 2;
/** Keep connections of their own only where the pool has this many (the rest serve everything else). */
const MIN_POOL_FOR_LANES = 2 * MAX_IN_FLIGHT + 2;

type Pending = { json: string; resolve: (answer: unknown) => void; reject: (err: unknown) => void };
type Lane = { sql: Sql; release: () => void };
type Queue = { pending: Pending[]; inFlight: number; scheduled: boolean; lanes: Lane[] };

const queues = new WeakMap<Database, Queue>();

/** nba_decide's answer to one call, sent with every other call made in the same turn. */
export function callDecide<T>(database: Database, call: object): Promise<T> {
  let q = queues.get(database);
  if (!q) queues.set(database, (q = { pending: [], inFlight: 0, scheduled: false, lanes: [] }));
  const json = JSON.stringify(call);
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
      void run(database, q, batch).finally(() => {
        q.inFlight--;
        schedule(database, q);
      });
    }
  });
}

async function run(database: Database, q: Queue, batch: Pending[]): Promise<void> {
  let lane: Lane | undefined;
  try {
    lane = q.lanes.pop() ?? (await reserveLane(database));
  } catch (err) {
    return batch.forEach((p) => p.reject(err));
  }
  const healthy = await sendOrSplit(lane?.sql ?? database.sql, batch);
  if (!lane) return;
  // A connection that failed is given back to the pool (which reconnects it); the next batch takes another.
  if (healthy) q.lanes.push(lane);
  else lane.release();
}

async function reserveLane(database: Database): Promise<Lane | undefined> {
  const max = (database.sql.options as { max?: number }).max ?? 1;
  if (database.mode !== 'server' || max < MIN_POOL_FOR_LANES) return undefined;
  const sql = await database.sql.reserve();
  return { sql, release: () => sql.release() };
}

async function send(sql: Sql, batch: Pending[]): Promise<void> {
  const [row] = await sql<{ r: unknown[] }[]>`
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

/** Sends the batch; false when the connection failed (every call then rejected). */
async function sendOrSplit(sql: Sql, batch: Pending[]): Promise<boolean> {
  try {
    await send(sql, batch);
    return true;
  } catch (err) {
    if (!rolledBack(err)) {
      batch.forEach((p) => p.reject(err));
      return false;
    }
    if (batch.length === 1) {
      batch[0]!.reject(err);
      return true;
    }
    // One bad call must not fail the others: each again on its own.
    await Promise.all(batch.map((p) => send(sql, [p]).catch(p.reject)));
    return true;
  }
}
