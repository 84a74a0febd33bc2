// People this process does not know yet are looked up together: every decision that needs a person's
// state in the same turn of the event loop shares one statement (nba_decide for each, without a
// token, in one round trip) instead of a statement each. Nothing is written by these calls.
import type { Database } from '../platform/db/client.js';

/** At most this many people per statement. */
const MAX_BATCH = 100;

type StateRequest = { personId: string; requestKey: string | null; since: string; day: string };
type Pending<T> = { request: StateRequest; resolve: (answer: T) => void; reject: (err: unknown) => void };

const queues = new WeakMap<Database, Pending<unknown>[]>();

/** nba_decide's answer to a state request: the state, or an earlier answer to the same request id. */
export function loadState<T>(database: Database, request: StateRequest): Promise<T> {
  let queue = queues.get(database);
  if (!queue) {
    queue = [];
    queues.set(database, queue);
    // After this turn's I/O callbacks: every request read in this turn joins the batch.
    setImmediate(() => void flush(database));
  }
  const q = queue;
  return new Promise<T>((resolve, reject) =>
    q.push({ request, resolve: resolve as (a: unknown) => void, reject }),
  );
}

async function flush(database: Database): Promise<void> {
  const queue = queues.get(database) ?? [];
  queues.delete(database);
  for (let i = 0; i < queue.length; i += MAX_BATCH) {
    const batch = queue.slice(i, i + MAX_BATCH);
    const requests = batch.map((p) => ({ ...p.request, token: null }));
    try {
      const rows = await database.sql<{ r: unknown }[]>`
        select nba_decide(x) as r
        from jsonb_array_elements(${JSON.stringify(requests)}::jsonb) with ordinality as t(x, i)
        order by i`;
      batch.forEach((p, k) => p.resolve(rows[k]!.r));
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }
}
