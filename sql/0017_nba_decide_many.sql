-- Hand-written: group commit for the decision path. Every nba_decide call (sql/0015) that a process
-- has ready in one turn of its event loop, decisions to commit and people to look up alike, goes to
-- the database as one statement: nba_decide_many(ds) runs nba_decide on each element of the JSON
-- array, in order, in the statement's one transaction, and answers a JSON array with one answer per
-- element in the same order. One statement, one commit and one WAL flush per batch instead of one each.
--   * Each element is checked and committed exactly as alone, and sees the writes of the elements
--     before it: a cap, budget or capacity used up by an earlier element refuses a later one, and a
--     request key logged by an earlier element answers a later one as a duplicate.
--   * The batch commits as a whole, durably (synchronous_commit as the server has it): an answer is
--     returned only once every charge it made is on disk.
--   * Locks. nba_decide takes a person's advisory lock, then the counter rows of the served action and
--     of its channel; two batches taking those element by element could each hold what the other
--     waits for. So a batch first takes every lock its commits will need, in one global order:
--     advisory keys ascending (the served person of each commit, and each request key, so that two
--     batches carrying the same request keys queue rather than cross on the log's unique index), then
--     the counter rows by (scope, key, day), where 'action' sorts before 'channel'. The single calls
--     (nba_decide, nba_commit_decision) take at most one advisory lock, then counters action before
--     channel: the same order, so batches and single calls cannot deadlock either.
CREATE OR REPLACE FUNCTION nba_decide_many(ds jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  k integer;
  c record;
  x jsonb;
  answers jsonb[] := '{}';
BEGIN
  FOR k IN
    SELECT DISTINCT v.k
      FROM jsonb_array_elements(ds) e(x)
      CROSS JOIN LATERAL (VALUES
        (CASE WHEN e.x->>'servedActionId' IS NOT NULL THEN hashtext('nba:' || (e.x->>'personId')) END),
        (hashtext('nba-request:' || (e.x->>'requestKey')))) v(k)
      WHERE e.x->>'token' IS NOT NULL AND v.k IS NOT NULL
      ORDER BY 1
  LOOP
    PERFORM pg_advisory_xact_lock(k);
  END LOOP;
  FOR c IN
    SELECT DISTINCT v.scope, v.key, ((e.x->>'decidedAt')::timestamptz AT TIME ZONE 'UTC')::date AS day
      FROM jsonb_array_elements(ds) e(x)
      CROSS JOIN LATERAL (VALUES
        ('action', e.x->>'servedActionId', coalesce(e.x->>'actionBudget', e.x->>'actionCapacity')),
        ('channel', e.x->>'servedChannel', coalesce(e.x->>'channelBudget', e.x->>'channelCapacity'))) v(scope, key, lim)
      WHERE e.x->>'token' IS NOT NULL AND e.x->>'servedActionId' IS NOT NULL AND v.lim IS NOT NULL
      ORDER BY 1, 2, 3
  LOOP
    INSERT INTO nba_usage_daily (scope, key, day) VALUES (c.scope, c.key, c.day) ON CONFLICT DO NOTHING;
    PERFORM 1 FROM nba_usage_daily WHERE scope = c.scope AND key = c.key AND day = c.day FOR UPDATE;
  END LOOP;
  FOR x IN SELECT e.x FROM jsonb_array_elements(ds) WITH ORDINALITY e(x, i) ORDER BY e.i LOOP
    answers := answers || nba_decide(x);
  END LOOP;
  RETURN to_jsonb(answers);
END;
$$;
