-- Hand-written: the decision commit of 0009, changed so that only scopes with a limit keep a daily
-- counter row (a counter row is a lock that every decision on its scope queues on; unlimited scopes
-- need none). As before: one statement per decision. Under a per-person advisory lock it
-- checks the served action's caps (per action and per channel, rolling windows over the log), locks
-- and checks today's budget and capacity rows of the scopes that have limits (action, then channel:
-- one order, so no deadlock), charges them and logs the decision, all or nothing. Returns {"status": "ok"}, {"status":
-- "duplicate", "response": …} for a request key seen before, or {"status": "cap" | "budget" |
-- "capacity", "scope": "action" | "channel", "detail": …} when a limit refuses the served action.
CREATE OR REPLACE FUNCTION nba_commit_decision(d jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  at timestamptz := (d->>'decidedAt')::timestamptz;
  today date := (at AT TIME ZONE 'UTC')::date;
  served text := d->>'servedActionId';
  chan text := d->>'servedChannel';
  cost float8 := coalesce((d->>'cost')::float8, 0);
  cap jsonb;
  used integer;
  row_a nba_usage_daily%ROWTYPE;
  row_c nba_usage_daily%ROWTYPE;
  prior jsonb;
BEGIN
  IF d->>'requestKey' IS NOT NULL THEN
    SELECT response INTO prior FROM nba_decisions WHERE request_key = d->>'requestKey';
    IF FOUND THEN RETURN jsonb_build_object('status', 'duplicate', 'response', prior); END IF;
  END IF;
  IF served IS NOT NULL THEN
    PERFORM pg_advisory_xact_lock(hashtext('nba:' || (d->>'personId')));
    FOR cap IN SELECT * FROM jsonb_array_elements(coalesce(d->'actionCaps', '[]'::jsonb)) LOOP
      SELECT count(*)::int INTO used FROM nba_decisions
        WHERE person_id = d->>'personId' AND served_action_id = served
          AND decided_at > at - make_interval(secs => (cap->>'days')::float8 * 86400) AND decided_at <= at;
      IF used >= (cap->>'max')::int THEN
        RETURN jsonb_build_object('status', 'cap', 'scope', 'action', 'detail', cap);
      END IF;
    END LOOP;
    FOR cap IN SELECT * FROM jsonb_array_elements(coalesce(d->'channelCaps', '[]'::jsonb)) LOOP
      SELECT count(*)::int INTO used FROM nba_decisions
        WHERE person_id = d->>'personId' AND served_channel = chan
          AND decided_at > at - make_interval(secs => (cap->>'days')::float8 * 86400) AND decided_at <= at;
      IF used >= (cap->>'max')::int THEN
        RETURN jsonb_build_object('status', 'cap', 'scope', 'channel', 'detail', cap);
      END IF;
    END LOOP;
    -- Counters exist only for a scope with a limit: a counter row is a lock every decision on that
    -- scope queues on, and scopes without a limit need none (their use is counted from the log).
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
    UPDATE nba_usage_daily SET sends = sends + 1, spend = spend + cost
      WHERE day = today AND ((scope = 'action' AND key = served AND row_a.scope IS NOT NULL)
        OR (scope = 'channel' AND key = chan AND row_c.scope IS NOT NULL));
  END IF;
  INSERT INTO nba_decisions (id, request_key, person_id, user_id, placement, mode, policy, model_version,
      chosen_action_id, served_action_id, served_channel, probability, cost, candidates, context, features,
      response, decided_at)
    VALUES ((d->>'id')::uuid, d->>'requestKey', d->>'personId', d->>'userId', d->>'placement', d->>'mode',
      d->>'policy', (d->>'modelVersion')::int, d->>'chosenActionId', served, chan,
      (d->>'probability')::float8, CASE WHEN served IS NULL THEN 0 ELSE cost END, d->'candidates', d->'context',
      d->'features', d->'response', at);
  RETURN jsonb_build_object('status', 'ok');
EXCEPTION WHEN unique_violation THEN
  -- The same request key committed by a concurrent call: nothing of this one stays.
  SELECT response INTO prior FROM nba_decisions WHERE request_key = d->>'requestKey';
  RETURN jsonb_build_object('status', 'duplicate', 'response', prior);
END;
$$;
