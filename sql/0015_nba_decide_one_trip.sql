-- Hand-written: one database round trip per decision. The decision service keeps each person's state
-- (consent, materialised features, recent sends) for a short while and decides from it; this function
-- checks that guess against the database before committing, so a change of consent or features
-- still counts from the next decision, whatever process or replica decides it:
--   1. a request key seen before: {"status": "duplicate", "response": …};
--   2. the person's state token (consent categories, features' as_of and computed_at) differs from the
--      one the decision was made with (or none was sent): {"status": "state", …} with the state itself
--      (consent, raw features, their as_of, sends since d.since, today's counters), and nothing is
--      written: the caller decides again from it;
--   3. otherwise the commit of nba_commit_decision (sql/0012), in fewer statements: under the person's
--      advisory lock every cap in one query, the counters of the scopes with a limit locked, checked
--      and charged, the decision logged, all or nothing. A request key committed meanwhile by a
--      concurrent call (ON CONFLICT, no subtransaction) gives its charges back and answers duplicate.
-- A person decided for the first time in a process therefore costs two round trips; every further
-- decision for that person while the process keeps the state, one.
CREATE OR REPLACE FUNCTION nba_decide(d jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  pid text := d->>'personId';
  rkey text := d->>'requestKey';
  at timestamptz;
  today date;
  served text;
  chan text;
  cost float8;
  prior jsonb;
  token text;
  hit jsonb;
  row_a nba_usage_daily%ROWTYPE;
  row_c nba_usage_daily%ROWTYPE;
  logged uuid;
BEGIN
  IF rkey IS NOT NULL THEN
    SELECT response INTO prior FROM nba_decisions WHERE request_key = rkey;
    IF FOUND THEN RETURN jsonb_build_object('status', 'duplicate', 'response', prior); END IF;
  END IF;
  IF d->>'token' IS NOT NULL THEN
    SELECT coalesce((SELECT categories::text FROM cdp_consent_state WHERE person_id = pid), '-')
        || '|' || coalesce(extract(epoch FROM f.as_of)::text, '-')
        || '|' || coalesce(extract(epoch FROM f.computed_at)::text, '-')
      INTO token
      FROM (SELECT 1) one LEFT JOIN feature_person_raw f ON f.person_id = pid;
  END IF;
  IF d->>'token' IS NULL OR d->>'token' <> token THEN
    SELECT jsonb_build_object(
        'status', 'state',
        'token', coalesce(c.categories::text, '-')
          || '|' || coalesce(extract(epoch FROM f.as_of)::text, '-')
          || '|' || coalesce(extract(epoch FROM f.computed_at)::text, '-'),
        'consent', c.categories,
        'raw', f.raw,
        'asOf', f.as_of,
        'sends', (SELECT coalesce(jsonb_agg(jsonb_build_array(n.served_action_id, n.served_channel,
                    (extract(epoch FROM n.decided_at) * 1000)::float8)), '[]'::jsonb)
                  FROM nba_decisions n WHERE n.person_id = pid AND n.served_action_id IS NOT NULL
                    AND n.decided_at > (d->>'since')::timestamptz),
        'usage', (SELECT coalesce(jsonb_agg(jsonb_build_array(u.scope, u.key, u.sends, u.spend)), '[]'::jsonb)
                  FROM nba_usage_daily u WHERE u.day = (d->>'day')::date))
      INTO prior
      FROM (SELECT 1) one
      LEFT JOIN cdp_consent_state c ON c.person_id = pid
      LEFT JOIN feature_person_raw f ON f.person_id = pid;
    RETURN prior;
  END IF;

  at := (d->>'decidedAt')::timestamptz;
  today := (at AT TIME ZONE 'UTC')::date;
  served := d->>'servedActionId';
  chan := d->>'servedChannel';
  cost := coalesce((d->>'cost')::float8, 0);
  IF served IS NOT NULL THEN
    PERFORM pg_advisory_xact_lock(hashtext('nba:' || pid));
    -- Every cap of the action, then of its channel, in one query: the first one reached refuses.
    SELECT jsonb_build_object('status', 'cap', 'scope', caps.scope, 'detail', caps.cap) INTO hit
      FROM (SELECT 1 AS o, a.i, 'action' AS scope, a.cap FROM jsonb_array_elements(d->'actionCaps') WITH ORDINALITY a(cap, i)
            UNION ALL
            SELECT 2, c.i, 'channel', c.cap FROM jsonb_array_elements(d->'channelCaps') WITH ORDINALITY c(cap, i)) caps
      WHERE (SELECT count(*) FROM nba_decisions n
             WHERE n.person_id = pid
               AND CASE WHEN caps.scope = 'action' THEN n.served_action_id = served ELSE n.served_channel = chan END
               AND n.decided_at > at - make_interval(secs => (caps.cap->>'days')::float8 * 86400)
               AND n.decided_at <= at) >= (caps.cap->>'max')::int
      ORDER BY caps.o, caps.i
      LIMIT 1;
    IF hit IS NOT NULL THEN RETURN hit; END IF;
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
      response, decided_at)
    VALUES ((d->>'id')::uuid, rkey, pid, d->>'userId', d->>'placement', d->>'mode',
      d->>'policy', (d->>'modelVersion')::int, d->>'chosenActionId', served, chan,
      (d->>'probability')::float8, CASE WHEN served IS NULL THEN 0 ELSE cost END, d->'candidates', d->'context',
      d->'features', d->'response', at)
    ON CONFLICT (request_key) DO NOTHING
    RETURNING id INTO logged;
  IF logged IS NULL THEN
    -- The same request key committed by a concurrent call since the check above: give back what this
    -- one charged (its counter rows are still locked by this transaction) and answer with that one.
    IF row_a.scope IS NOT NULL OR row_c.scope IS NOT NULL THEN
      UPDATE nba_usage_daily SET sends = sends - 1, spend = spend - cost
        WHERE day = today AND ((scope = 'action' AND key = served AND row_a.scope IS NOT NULL)
          OR (scope = 'channel' AND key = chan AND row_c.scope IS NOT NULL));
    END IF;
    SELECT response INTO prior FROM nba_decisions WHERE request_key = rkey;
    RETURN jsonb_build_object('status', 'duplicate', 'response', prior);
  END IF;
  RETURN '{"status": "ok"}'::jsonb;
END;
$$;
