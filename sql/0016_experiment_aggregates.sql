CREATE TABLE "experiment_aggregate_events" (
	"experiment_key" text NOT NULL,
	"event" text,
	"experiment_id" text
);
--> statement-breakpoint
CREATE TABLE "experiment_aggregate_state" (
	"experiment_key" text PRIMARY KEY NOT NULL,
	"definition_hash" text NOT NULL,
	"built_at" timestamp with time zone NOT NULL,
	"refreshed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "experiment_arm_days" (
	"experiment_key" text NOT NULL,
	"variation" text NOT NULL,
	"stratum" text NOT NULL,
	"day" text NOT NULL,
	"phase" integer NOT NULL,
	"n" numeric NOT NULL,
	"multiple_arms" numeric NOT NULL,
	"sends" numeric NOT NULL,
	"sums" numeric[] NOT NULL,
	CONSTRAINT "experiment_arm_days_experiment_key_variation_stratum_day_phase_pk" PRIMARY KEY("experiment_key","variation","stratum","day","phase")
);
--> statement-breakpoint
CREATE TABLE "experiment_dirty" (
	"experiment_key" text NOT NULL,
	"person_id" text NOT NULL,
	CONSTRAINT "experiment_dirty_experiment_key_person_id_pk" PRIMARY KEY("experiment_key","person_id")
);
--> statement-breakpoint
CREATE TABLE "experiment_unit_values" (
	"experiment_key" text NOT NULL,
	"person_id" text NOT NULL,
	"metric" integer NOT NULL,
	"arm" text NOT NULL,
	"value" double precision NOT NULL,
	"variation" text NOT NULL,
	"stratum" text NOT NULL,
	"day" text NOT NULL,
	"phase" integer NOT NULL,
	"pre" double precision NOT NULL,
	"denominator" double precision NOT NULL,
	"pre_denominator" double precision NOT NULL,
	CONSTRAINT "experiment_unit_values_experiment_key_person_id_metric_pk" PRIMARY KEY("experiment_key","person_id","metric")
);
--> statement-breakpoint
CREATE TABLE "experiment_units" (
	"experiment_key" text NOT NULL,
	"person_id" text NOT NULL,
	"variation" text NOT NULL,
	"first_at" timestamp with time zone NOT NULL,
	"day" text NOT NULL,
	"phase" integer NOT NULL,
	"multiple_arms" integer NOT NULL,
	"stratum" text NOT NULL,
	"sends" double precision NOT NULL,
	"vals" double precision[] NOT NULL,
	CONSTRAINT "experiment_units_experiment_key_person_id_pk" PRIMARY KEY("experiment_key","person_id")
);
--> statement-breakpoint
ALTER TABLE "experiment_aggregate_events" ADD CONSTRAINT "experiment_aggregate_events_experiment_key_experiments_key_fk" FOREIGN KEY ("experiment_key") REFERENCES "public"."experiments"("key") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiment_aggregate_state" ADD CONSTRAINT "experiment_aggregate_state_experiment_key_experiments_key_fk" FOREIGN KEY ("experiment_key") REFERENCES "public"."experiments"("key") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "experiment_aggregate_events_key_idx" ON "experiment_aggregate_events" USING btree ("experiment_key");--> statement-breakpoint
-- Hand-written: the order of a metric's values, with what a cap correction reads, in the index itself.
CREATE INDEX "experiment_unit_values_order_idx" ON "experiment_unit_values" ("experiment_key", "metric", "arm", "value")
  INCLUDE ("variation", "stratum", "day", "phase", "pre", "denominator", "pre_denominator");
--> statement-breakpoint
-- Hand-written: the arrival of anything an experiment's analysis reads marks the person dirty for it,
-- in the same transaction as the insert, so no commit order can hide an event from the next catch-up
-- (src/experiments/aggregates.ts consumes these rows before it reads the events). Statement-level
-- triggers with transition tables: one insert per ingest batch, not per event.
CREATE FUNCTION experiment_mark_events_dirty() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM experiment_aggregate_events) THEN RETURN NULL; END IF;
  INSERT INTO experiment_dirty (experiment_key, person_id)
  SELECT DISTINCT i.experiment_key, n.person_id
  FROM new_rows n
  JOIN experiment_aggregate_events i
    ON (i.event = n.event AND (i.experiment_id IS NULL OR n.properties ->> 'experiment_id' = i.experiment_id))
    OR (i.event IS NULL AND n.type = 'identify')
  WHERE n.person_id IS NOT NULL
  ORDER BY 1, 2
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER cdp_events_experiment_dirty AFTER INSERT ON cdp_events
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION experiment_mark_events_dirty();
--> statement-breakpoint
-- A consent change moves a unit in or out of every analysed experiment (a restated, unchanged consent
-- moves nothing).
CREATE FUNCTION experiment_mark_consent_dirty() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM experiment_aggregate_state) THEN RETURN NULL; END IF;
  IF TG_OP = 'UPDATE' THEN
    INSERT INTO experiment_dirty (experiment_key, person_id)
    SELECT DISTINCT s.experiment_key, n.person_id
    FROM new_rows n JOIN old_rows o ON o.person_id = n.person_id CROSS JOIN experiment_aggregate_state s
    WHERE o.categories IS DISTINCT FROM n.categories
    ORDER BY 1, 2
    ON CONFLICT DO NOTHING;
  ELSE
    INSERT INTO experiment_dirty (experiment_key, person_id)
    SELECT DISTINCT s.experiment_key, n.person_id
    FROM new_rows n CROSS JOIN experiment_aggregate_state s
    ORDER BY 1, 2
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER cdp_consent_state_experiment_dirty_insert AFTER INSERT ON cdp_consent_state
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION experiment_mark_consent_dirty();
--> statement-breakpoint
CREATE TRIGGER cdp_consent_state_experiment_dirty_update AFTER UPDATE ON cdp_consent_state
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION experiment_mark_consent_dirty();
--> statement-breakpoint
-- Element-wise sum of two arrays of the same length (experiment_arm_days.sums plus a delta).
CREATE FUNCTION experiment_add_sums(a numeric[], b numeric[]) RETURNS numeric[]
LANGUAGE sql IMMUTABLE AS $$
  SELECT array_agg(x + y ORDER BY i) FROM unnest(a, b) WITH ORDINALITY AS t(x, y, i)
$$;
