-- Hand-written: one database round trip per decision. The decision service keeps each person's state
-- (consent, materialised features, recent sends) for a short while and decides from it; this function
-- checks that guess against the database before committing, so a change of consent or features
-- still counts from the next decision, whatever process or replica decides it:
--   1. a request key seen before: {"status": "duplicate", "response": …};
--   2. the person's state token (consent categories, features' as_of and computed_at) differs from the
--      one the decision was made with (or none was sent): {"status": "state", …} with the state itself
--      (consent, raw features, their as_of, sends since d.since, today's counters), and nothing is
--      written: the caller decides again from it;
--   3. otherwise nba_commit_decision (sql/0012): caps, budgets and the log, atomically.
-- A person decided for the first time in a process therefore costs two round trips; every further
-- decision for that person while the process keeps the state, one.
CREATE OR REPLACE FUNCTION nba_decide(d jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  pid text := d->>'personId';
  prior jsonb;
  consent jsonb;
  f_raw jsonb;
  f_as_of timestamptz;
  f_computed timestamptz;
  token text;
BEGIN
  IF d->>'requestKey' IS NOT NULL THEN
    SELECT response INTO prior FROM nba_decisions WHERE request_key = d->>'requestKey';
    IF FOUND THEN RETURN jsonb_build_object('status', 'duplicate', 'response', prior); END IF;
  END IF;
  SELECT categories INTO consent FROM cdp_consent_state WHERE person_id = pid;
  SELECT raw, as_of, computed_at INTO f_raw, f_as_of, f_computed FROM feature_person_raw WHERE person_id = pid;
  token := coalesce(consent::text, '-') || '|' || coalesce(extract(epoch FROM f_as_of)::text, '-')
    || '|' || coalesce(extract(epoch FROM f_computed)::text, '-');
  IF d->>'token' IS DISTINCT FROM token THEN
    RETURN jsonb_build_object(
      'status', 'state',
      'token', token,
      'consent', consent,
      'raw', f_raw,
      'asOf', f_as_of,
      'sends', (SELECT coalesce(jsonb_agg(jsonb_build_array(served_action_id, served_channel,
                  (extract(epoch FROM decided_at) * 1000)::float8)), '[]'::jsonb)
                FROM nba_decisions WHERE person_id = pid AND served_action_id IS NOT NULL
                  AND decided_at > (d->>'since')::timestamptz),
      'usage', (SELECT coalesce(jsonb_agg(jsonb_build_array(scope, key, sends, spend)), '[]'::jsonb)
                FROM nba_usage_daily WHERE day = (d->>'day')::date));
  END IF;
  RETURN nba_commit_decision(d);
END;
$$;
