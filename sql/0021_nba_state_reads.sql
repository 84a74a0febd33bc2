-- Hand-written: the state read of people a process does not know yet (nba_decide_many's elements
-- without a token, sql/0019) no longer scans the whole consent table. Its query joined
-- cdp_consent_state on the batch's person ids; the planner, which guesses 100 rows for
-- jsonb_to_recordset, hashed the consent table instead of looking each person up, so every batch that
-- held a state request read every person's consent (20,000 rows, about 1.3 ms, in `bench nba`; a
-- batch's cost grew with the number of people). Each person's consent and features are now looked up
-- by primary key (lateral subqueries the planner cannot flatten back into a join): a batch of 8 state
-- requests went from 2.0 ms to 0.7 ms on one connection, whatever the number of people.
-- The query moves into a function of its own, nba_person_states(ds), which nba_decide_many calls:
--   ds: a JSON array of {personId, requestKey, since, day}; the answer: a JSON array in the same
--   order, each {"status": "duplicate", "logged": …} when a decision is already logged under the
--   request key, else {"status": "state", token, consent, raw, asOf, sends (served since `since`),
--   usage (the counters of `day`)}, as of after the batch's commits.
-- PL/pgSQL rather than SQL: a backend keeps the plan of a PL/pgSQL function's query, while a SQL
-- function that cannot be inlined is planned again at every call (0.4–1.1 ms of planning for this
-- query, by EXPLAIN).
CREATE OR REPLACE FUNCTION nba_person_states(ds jsonb) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (WITH e AS (
    SELECT * FROM ROWS FROM (jsonb_to_recordset(ds) AS ("personId" text, "requestKey" text, since timestamptz,
        day date)) WITH ORDINALITY e("personId", "requestKey", since, day, i)),
  usage AS (
    SELECT d.day, (SELECT coalesce(jsonb_agg(jsonb_build_array(u.scope, u.key, u.sends, u.spend)), '[]'::jsonb)
                     FROM nba_usage_daily u WHERE u.day = d.day) AS rows
      FROM (SELECT DISTINCT e.day FROM e) d)
  SELECT coalesce(jsonb_agg(CASE WHEN dup.logged IS NOT NULL
      THEN jsonb_build_object('status', 'duplicate', 'logged', dup.logged)
      ELSE jsonb_build_object(
        'status', 'state',
        'token', coalesce(cs.categories::text, '-')
          || '|' || coalesce(extract(epoch FROM f.as_of)::text, '-')
          || '|' || coalesce(extract(epoch FROM f.computed_at)::text, '-'),
        'consent', cs.categories,
        'raw', f.raw,
        'asOf', f.as_of,
        'sends', (SELECT coalesce(jsonb_agg(jsonb_build_array(n.served_action_id, n.served_channel,
                    (extract(epoch FROM n.decided_at) * 1000)::float8)), '[]'::jsonb)
                  FROM nba_decisions n WHERE n.person_id = e."personId" AND n.served_action_id IS NOT NULL
                    AND n.decided_at > e.since),
        'usage', usage.rows) END ORDER BY e.i), '[]'::jsonb)
    FROM e
    LEFT JOIN LATERAL (SELECT nba_logged(e."requestKey") AS logged WHERE e."requestKey" IS NOT NULL) dup ON true
    -- Look-ups by primary key, one per element: as a plain join the planner, which guesses 100
    -- elements for jsonb_to_recordset, hashed the whole consent table (a scan of every person per
    -- batch). LIMIT keeps each lateral subquery from being flattened back into such a join.
    LEFT JOIN LATERAL (SELECT c.categories FROM cdp_consent_state c WHERE c.person_id = e."personId" LIMIT 1) cs
      ON true
    LEFT JOIN LATERAL (SELECT x.raw, x.as_of, x.computed_at FROM feature_person_raw x
                        WHERE x.person_id = e."personId" LIMIT 1) f ON true
    LEFT JOIN usage ON usage.day = e.day);
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION nba_decide_many(ds jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  c record;
  answers jsonb[] := array_fill(NULL::jsonb, ARRAY[jsonb_array_length(ds)]);
  reads int[];
  states jsonb;
BEGIN
  -- Every lock first, in one global order (see sql/0017): advisory keys ascending, then counter rows.
  PERFORM pg_advisory_xact_lock(l.k)
    FROM (SELECT DISTINCT v.k
            FROM jsonb_to_recordset(ds) e("personId" text, "requestKey" text, token text, "servedActionId" text)
            CROSS JOIN LATERAL (VALUES
              (CASE WHEN e."servedActionId" IS NOT NULL THEN hashtext('nba:' || e."personId") END),
              (hashtext('nba-request:' || e."requestKey"))) v(k)
            WHERE e.token IS NOT NULL AND v.k IS NOT NULL) l
    ORDER BY l.k;
  FOR c IN
    SELECT DISTINCT v.scope, v.key, (e."decidedAt" AT TIME ZONE 'UTC')::date AS day
      FROM jsonb_to_recordset(ds) e(token text, "decidedAt" timestamptz, "servedActionId" text, "servedChannel" text,
          "actionBudget" text, "actionCapacity" text, "channelBudget" text, "channelCapacity" text)
      CROSS JOIN LATERAL (VALUES
        ('action', e."servedActionId", coalesce(e."actionBudget", e."actionCapacity")),
        ('channel', e."servedChannel", coalesce(e."channelBudget", e."channelCapacity"))) v(scope, key, lim)
      WHERE e.token IS NOT NULL AND e."servedActionId" IS NOT NULL AND v.lim IS NOT NULL
      ORDER BY 1, 2, 3
  LOOP
    INSERT INTO nba_usage_daily (scope, key, day) VALUES (c.scope, c.key, c.day) ON CONFLICT DO NOTHING;
    PERFORM 1 FROM nba_usage_daily WHERE scope = c.scope AND key = c.key AND day = c.day FOR UPDATE;
  END LOOP;
  -- The commits, in order, each as if alone and seeing those before it.
  FOR c IN SELECT e.x, e.i FROM jsonb_array_elements(ds) WITH ORDINALITY e(x, i)
      WHERE e.x->>'token' IS NOT NULL ORDER BY e.i LOOP
    answers[c.i] := nba_decide(c.x, true);
  END LOOP;
  -- Then the state requests (elements without a token), as of after this batch's commits.
  SELECT array_agg(e.i ORDER BY e.i), jsonb_agg(e.x ORDER BY e.i) INTO reads, states
    FROM jsonb_array_elements(ds) WITH ORDINALITY e(x, i) WHERE e.x->>'token' IS NULL;
  IF reads IS NOT NULL THEN
    states := nba_person_states(states);
    FOR k IN 1 .. array_length(reads, 1) LOOP
      answers[reads[k]] := states->(k - 1);
    END LOOP;
  END IF;
  RETURN to_jsonb(answers);
END;
$$;
