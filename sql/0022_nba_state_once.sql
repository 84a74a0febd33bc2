-- Hand-written: a person's state is answered in one place. Until now the state token (consent categories
-- and the features' as_of and computed_at, which a process's cached state is checked against) was
-- spelled out three times, in nba_decide's check and its stale-token answer (sql/0019) and in
-- nba_person_states (sql/0021), and the state answer twice; a change to one spelling and not the
-- others would have made every token check fail. Now nba_state_token builds the token, and
-- nba_decide answers a missing or stale token with nba_person_states' answer for its one call. Same
-- answers, same statements per decision: a stale token costs one more look-up of the request key
-- (nba_person_states checks it again), and only then.
CREATE OR REPLACE FUNCTION nba_state_token(categories jsonb, as_of timestamptz, computed_at timestamptz)
RETURNS text LANGUAGE sql STABLE AS $$
  SELECT coalesce(categories::text, '-')
    || '|' || coalesce(extract(epoch FROM as_of)::text, '-')
    || '|' || coalesce(extract(epoch FROM computed_at)::text, '-')
$$;
--> statement-breakpoint
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
        'token', nba_state_token(cs.categories, f.as_of, f.computed_at),
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
CREATE OR REPLACE FUNCTION nba_decide(d jsonb, locked boolean DEFAULT false) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  pid text := d->>'personId';
  rkey text := d->>'requestKey';
  served text := d->>'servedActionId';
  chan text := d->>'servedChannel';
  ts timestamptz;
  today date;
  cost float8;
  prior jsonb;
  token text;
  hit jsonb;
  row_a nba_usage_daily%ROWTYPE;
  row_c nba_usage_daily%ROWTYPE;
  logged uuid;
BEGIN
  IF rkey IS NOT NULL THEN
    prior := nba_logged(rkey);
    IF prior IS NOT NULL THEN RETURN jsonb_build_object('status', 'duplicate', 'logged', prior); END IF;
  END IF;
  ts := (d->>'decidedAt')::timestamptz;
  IF d->>'token' IS NOT NULL THEN
    IF served IS NOT NULL AND NOT locked THEN PERFORM pg_advisory_xact_lock(hashtext('nba:' || pid)); END IF;
    -- The state token and, for a served action, the first cap reached (action caps, then channel caps).
    SELECT nba_state_token(c.categories, f.as_of, f.computed_at),
      CASE WHEN served IS NOT NULL THEN (
        SELECT jsonb_build_object('status', 'cap', 'scope', caps.scope, 'detail', caps.cap)
          FROM (SELECT 1 AS o, a.i, 'action' AS scope, a.cap FROM jsonb_array_elements(d->'actionCaps') WITH ORDINALITY a(cap, i)
                UNION ALL
                SELECT 2, ch.i, 'channel', ch.cap FROM jsonb_array_elements(d->'channelCaps') WITH ORDINALITY ch(cap, i)) caps
          WHERE (SELECT count(*) FROM nba_decisions n
                 WHERE n.person_id = pid
                   AND CASE WHEN caps.scope = 'action' THEN n.served_action_id = served ELSE n.served_channel = chan END
                   AND n.decided_at > ts - make_interval(secs => (caps.cap->>'days')::float8 * 86400)
                   AND n.decided_at <= ts) >= (caps.cap->>'max')::int
          ORDER BY caps.o, caps.i
          LIMIT 1) END
      INTO token, hit
      FROM (SELECT 1) one
      LEFT JOIN cdp_consent_state c ON c.person_id = pid
      LEFT JOIN feature_person_raw f ON f.person_id = pid;
  END IF;
  IF d->>'token' IS NULL OR d->>'token' <> token THEN
    -- The state as nba_person_states answers it (rkey, checked above, holds no decision).
    RETURN nba_person_states(jsonb_build_array(d))->0;
  END IF;
  IF hit IS NOT NULL THEN RETURN hit; END IF;

  today := (ts AT TIME ZONE 'UTC')::date;
  cost := coalesce((d->>'cost')::float8, 0);
  IF served IS NOT NULL THEN
    -- Counters exist only for a scope with a limit (a counter row is a lock every decision on that
    -- scope queues on); action, then channel: one order, so no deadlock.
    IF coalesce(d->>'actionBudget', d->>'actionCapacity') IS NOT NULL THEN
      INSERT INTO nba_usage_daily (scope, key, day) VALUES ('action', served, today) ON CONFLICT DO NOTHING;
      SELECT * INTO row_a FROM nba_usage_daily WHERE scope = 'action' AND key = served AND day = today FOR UPDATE;
      IF (d->>'actionBudget') IS NOT NULL AND row_a.spend + cost > (d->>'actionBudget')::float8 + 1e-9 THEN
        RETURN jsonb_build_object('status', 'budget', 'scope', 'action', 'detail', row_a.spend);
      END IF;
      IF (d->>'actionCapacity') IS NOT NULL AND row_a.sends + 1 > (d->>'actionCapacity')::int THEN
        RETURN jsonb_build_object('status', 'capacity', 'scope', 'action', 'detail', row_a.sends);
      END IF;
    END IF;
    IF coalesce(d->>'channelBudget', d->>'channelCapacity') IS NOT NULL THEN
      INSERT INTO nba_usage_daily (scope, key, day) VALUES ('channel', chan, today) ON CONFLICT DO NOTHING;
      SELECT * INTO row_c FROM nba_usage_daily WHERE scope = 'channel' AND key = chan AND day = today FOR UPDATE;
      IF (d->>'channelBudget') IS NOT NULL AND row_c.spend + cost > (d->>'channelBudget')::float8 + 1e-9 THEN
        RETURN jsonb_build_object('status', 'budget', 'scope', 'channel', 'detail', row_c.spend);
      END IF;
      IF (d->>'channelCapacity') IS NOT NULL AND row_c.sends + 1 > (d->>'channelCapacity')::int THEN
        RETURN jsonb_build_object('status', 'capacity', 'scope', 'channel', 'detail', row_c.sends);
      END IF;
    END IF;
    IF row_a.scope IS NOT NULL OR row_c.scope IS NOT NULL THEN
      UPDATE nba_usage_daily SET sends = sends + 1, spend = spend + cost
        WHERE day = today AND ((scope = 'action' AND key = served AND row_a.scope IS NOT NULL)
          OR (scope = 'channel' AND key = chan AND row_c.scope IS NOT NULL));
    END IF;
  END IF;
  INSERT INTO nba_decisions (id, request_key, person_id, user_id, placement, mode, policy, model_version,
      chosen_action_id, served_action_id, served_channel, probability, cost, candidates, context, features,
      reasons, action_name, action_creative, policy_exploration, policy_floor, decided_at)
    VALUES ((d->>'id')::uuid, rkey, pid, d->>'userId', d->>'placement', d->>'mode',
      d->>'policy', (d->>'modelVersion')::int, d->>'chosenActionId', served, chan,
      (d->>'probability')::float8, CASE WHEN served IS NULL THEN 0 ELSE cost END, d->'candidates', d->'context',
      d->'features', coalesce(d->'reasons', '[]'::jsonb), d->>'actionName', d->>'actionCreative', (d->>'exploration')::float8,
      (d->>'floor')::float8, ts)
    ON CONFLICT (request_key) WHERE request_key IS NOT NULL DO NOTHING
    RETURNING id INTO logged;
  IF logged IS NULL THEN
    -- The same request key committed by a concurrent call since the check above: give back what this
    -- one charged (its counter rows are still locked by this transaction) and answer with that one.
    IF row_a.scope IS NOT NULL OR row_c.scope IS NOT NULL THEN
      UPDATE nba_usage_daily SET sends = sends - 1, spend = spend - cost
        WHERE day = today AND ((scope = 'action' AND key = served AND row_a.scope IS NOT NULL)
          OR (scope = 'channel' AND key = chan AND row_c.scope IS NOT NULL));
    END IF;
    RETURN jsonb_build_object('status', 'duplicate', 'logged', nba_logged(rkey));
  END IF;
  RETURN '{"status": "ok"}'::jsonb;
END;
$$;
