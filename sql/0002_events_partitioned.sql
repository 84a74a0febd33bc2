-- Hand-written (drizzle-kit cannot express partitioning): CDP events, partitioned by month of event time.
-- Monthly partitions are created ahead by the cdp.partitions job (attune_ensure_event_partitions);
-- anything outside them lands in the default partition and is moved when its month is created.
CREATE SEQUENCE IF NOT EXISTS cdp_events_id_seq;
--> statement-breakpoint
CREATE TABLE cdp_events (
  id bigint NOT NULL DEFAULT nextval('cdp_events_id_seq'),
  source_id uuid NOT NULL,
  message_id text NOT NULL,
  type text NOT NULL,
  event text,
  name text,
  person_id text,
  user_id text,
  anonymous_id text,
  group_id text,
  properties jsonb,
  traits jsonb,
  context jsonb NOT NULL,
  integrations jsonb,
  consent jsonb NOT NULL,
  "timestamp" timestamptz NOT NULL,
  received_at timestamptz NOT NULL,
  sent_at timestamptz,
  original_timestamp timestamptz,
  client_timestamp timestamptz,
  late_ms bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (id, "timestamp")
) PARTITION BY RANGE ("timestamp");
--> statement-breakpoint
CREATE TABLE cdp_events_default PARTITION OF cdp_events DEFAULT;
--> statement-breakpoint
CREATE INDEX cdp_events_person_idx ON cdp_events (person_id, "timestamp");
--> statement-breakpoint
CREATE INDEX cdp_events_name_idx ON cdp_events (event, "timestamp");
--> statement-breakpoint
CREATE INDEX cdp_events_user_idx ON cdp_events (user_id);
--> statement-breakpoint
CREATE INDEX cdp_events_anon_idx ON cdp_events (anonymous_id);
--> statement-breakpoint
CREATE INDEX cdp_events_received_idx ON cdp_events (received_at);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION attune_ensure_event_partitions(from_month date, months integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  m date;
  part text;
  created integer := 0;
BEGIN
  FOR i IN 0..months - 1 LOOP
    m := (date_trunc('month', from_month) + make_interval(months => i))::date;
    part := 'cdp_events_' || to_char(m, 'YYYY_MM');
    IF to_regclass(part) IS NULL THEN
      -- Rows of this month that fell into the default partition move into the new one.
      CREATE TEMP TABLE attune_moving_events AS
        SELECT * FROM cdp_events_default WHERE "timestamp" >= m AND "timestamp" < (m + interval '1 month');
      DELETE FROM cdp_events_default WHERE "timestamp" >= m AND "timestamp" < (m + interval '1 month');
      EXECUTE format('CREATE TABLE %I PARTITION OF cdp_events FOR VALUES FROM (%L) TO (%L)', part, m, (m + interval '1 month')::date);
      INSERT INTO cdp_events SELECT * FROM attune_moving_events;
      DROP TABLE attune_moving_events;
      created := created + 1;
    END IF;
  END LOOP;
  RETURN created;
END
$$;
--> statement-breakpoint
SELECT attune_ensure_event_partitions((date_trunc('month', now()) - interval '24 months')::date, 28);
