-- Hand-written: the decision log stores each decision once. Until now every row carried the answer
-- sent to the CRM (`response`, about half of each commit's JSON) beside the columns that already held
-- most of it. Now the columns hold everything and a repeated request id's answer is rebuilt from them
-- (src/nba/decision-response.ts, responseFromLog):
--   * candidates: in the modes where the policy scored them (learned, shadow, and a decision that gave
--     up after its choices were refused), the alternatives exactly as the answer lists them (rank,
--     probability, score, expected value, P(response) and its sd, value, lever, cost); otherwise the
--     eligible actions with probability 1 for the one served and 0 for the rest, as before;
--   * reasons: every excluded candidate with its reason and detail;
--   * action_name, action_creative, policy_exploration, policy_floor: what the answer showed of the
--     catalogue and the placement at the time (either may change later).
-- The unique index on request_key becomes partial (only rows with a request id): a decision without
-- one no longer adds a NULL entry to it. nba_decide answers a duplicate with the logged row's fields
-- ({"status": "duplicate", "logged": …}, nba_logged), and nba_decide_many answers all the state
-- requests of a batch (people the process does not know yet) in one query after its commits, rather
-- than one nba_decide call each; they see every commit of the batch, as a later batch would.
-- nba_commit_decision (sql/0012), which the service called only to log a decision that serves nothing,
-- becomes nba_log_decision, which does only that.
ALTER TABLE nba_decisions ADD COLUMN reasons jsonb DEFAULT '[]'::jsonb NOT NULL,
  ADD COLUMN action_name text, ADD COLUMN action_creative text,
  ADD COLUMN policy_exploration double precision, ADD COLUMN policy_floor double precision;
--> statement-breakpoint
UPDATE nba_decisions SET
    reasons = coalesce(response->'reasons', '[]'::jsonb),
    action_name = response->'action'->>'name',
    action_creative = response->'action'->>'creative',
    policy_exploration = (response->'policy'->>'exploration')::float8,
    policy_floor = (response->'policy'->>'floor')::float8,
    candidates = CASE WHEN jsonb_typeof(response->'alternatives') = 'array'
                        AND jsonb_array_length(response->'alternatives') > 0
                      THEN response->'alternatives' ELSE candidates END
  WHERE response IS DISTINCT FROM '{}'::jsonb;
--> statement-breakpoint
ALTER TABLE nba_decisions DROP COLUMN response;
--> statement-breakpoint
DROP INDEX IF EXISTS nba_decisions_request_key_idx;
--> statement-breakpoint
CREATE UNIQUE INDEX nba_decisions_request_key_idx ON nba_decisions USING btree (request_key)
  WHERE request_key IS NOT NULL;
--> statement-breakpoint
DO $$
BEGIN
  ALTER TABLE nba_decisions ALTER COLUMN reasons SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
  RAISE NOTICE 'lz4 is not available here: the decision log keeps pglz compression';
END;
$$;
--> statement-breakpoint
-- What a repeated request id's answer is rebuilt from (null when no decision holds the key).
CREATE OR REPLACE FUNCTION nba_logged(rkey text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object('id', n.id, 'userId', n.user_id, 'placement', n.placement, 'mode', n.mode,
      'policy', n.policy, 'modelVersion', n.model_version, 'chosenActionId', n.chosen_action_id,
      'servedActionId', n.served_action_id, 'servedChannel', n.served_channel, 'probability', n.probability,
      'candidates', n.candidates, 'reasons', n.reasons, 'actionName', n.action_name,
      'actionCreative', n.action_creative, 'exploration', n.policy_exploration, 'floor', n.policy_floor,
      'decidedAt', (extract(epoch FROM n.decided_at) * 1000)::float8)
    FROM nba_decisions n WHERE n.request_key = rkey
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
    SELECT coalesce(c.categories::text, '-')
        || '|' || coalesce(extract(epoch FROM f.as_of)::text, '-')
        || '|' || coalesce(extract(epoch FROM f.computed_at)::text, '-'),
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
--> statement-breakpoint
CREATE OR REPLACE FUNCTION nba_decide_many(ds jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  c record;
  answers jsonb[] := array_fill(NULL::jsonb, ARRAY[jsonb_array_length(ds)]);
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
  -- Then every state request (a person the caller does not know, token null) in one query: the answer
  -- nba_decide would give it alone (an earlier decision under its request key, else the state), as of
  -- after this batch's commits. Today's counters are read once per day named.
  FOR c IN
    WITH e AS (
      SELECT * FROM ROWS FROM (jsonb_to_recordset(ds) AS ("personId" text, "requestKey" text, token text,
          since timestamptz, day date)) WITH ORDINALITY e("personId", "requestKey", token, since, day, i)
      WHERE e.token IS NULL),
    usage AS (
      SELECT d.day, (SELECT coalesce(jsonb_agg(jsonb_build_array(u.scope, u.key, u.sends, u.spend)), '[]'::jsonb)
                       FROM nba_usage_daily u WHERE u.day = d.day) AS rows
        FROM (SELECT DISTINCT e.day FROM e) d)
    SELECT e.i, CASE WHEN dup.logged IS NOT NULL
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
          'usage', usage.rows) END AS answer
      FROM e
      LEFT JOIN LATERAL (SELECT nba_logged(e."requestKey") AS logged WHERE e."requestKey" IS NOT NULL) dup ON true
      LEFT JOIN cdp_consent_state cs ON cs.person_id = e."personId"
      LEFT JOIN feature_person_raw f ON f.person_id = e."personId"
      LEFT JOIN usage ON usage.day = e.day
  LOOP
    answers[c.i] := c.answer;
  END LOOP;
  RETURN to_jsonb(answers);
END;
$$;
--> statement-breakpoint
DROP FUNCTION IF EXISTS nba_commit_decision(jsonb);
--> statement-breakpoint
-- Logs a decision that serves nothing (no cap, budget or counter to check), or answers with the
-- decision already logged under its request key.
CREATE OR REPLACE FUNCTION nba_log_decision(d jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  rkey text := d->>'requestKey';
  logged uuid;
BEGIN
  IF d->>'servedActionId' IS NOT NULL THEN
    RAISE EXCEPTION 'nba_log_decision logs decisions that serve nothing; nba_decide commits the others';
  END IF;
  INSERT INTO nba_decisions (id, request_key, person_id, user_id, placement, mode, policy, model_version,
      chosen_action_id, served_action_id, served_channel, probability, cost, candidates, context, features,
      reasons, action_name, action_creative, policy_exploration, policy_floor, decided_at)
    VALUES ((d->>'id')::uuid, rkey, d->>'personId', d->>'userId', d->>'placement', d->>'mode',
      d->>'policy', (d->>'modelVersion')::int, d->>'chosenActionId', NULL, NULL,
      (d->>'probability')::float8, 0, d->'candidates', d->'context', d->'features', coalesce(d->'reasons', '[]'::jsonb),
      d->>'actionName', d->>'actionCreative', (d->>'exploration')::float8, (d->>'floor')::float8,
      (d->>'decidedAt')::timestamptz)
    ON CONFLICT (request_key) WHERE request_key IS NOT NULL DO NOTHING
    RETURNING id INTO logged;
  IF logged IS NULL THEN
    RETURN jsonb_build_object('status', 'duplicate', 'logged', nba_logged(rkey));
  END IF;
  RETURN '{"status": "ok"}'::jsonb;
END;
$$;
