CREATE TABLE "cdp_consent_ledger" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"person_id" text NOT NULL,
	"user_id" text,
	"anonymous_id" text,
	"categories" jsonb NOT NULL,
	"signal" jsonb NOT NULL,
	"origin" text NOT NULL,
	"source_id" uuid,
	"at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cdp_consent_state" (
	"person_id" text PRIMARY KEY NOT NULL,
	"categories" jsonb NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"ledger_id" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cdp_consentless_counts" (
	"day" date NOT NULL,
	"source_id" uuid NOT NULL,
	"event_name" text NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "cdp_consentless_counts_day_source_id_event_name_pk" PRIMARY KEY("day","source_id","event_name")
);
--> statement-breakpoint
CREATE TABLE "cdp_erasure_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"subject_hash" text NOT NULL,
	"requested_by" text NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	"deleted" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cdp_event_ids" (
	"source_id" uuid NOT NULL,
	"message_id" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	CONSTRAINT "cdp_event_ids_source_id_message_id_pk" PRIMARY KEY("source_id","message_id")
);
--> statement-breakpoint
CREATE TABLE "cdp_failed_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"source_id" uuid NOT NULL,
	"message_id" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"reason" text NOT NULL,
	"errors" jsonb NOT NULL,
	"plan_version" integer,
	"event_name" text,
	"user_id" text,
	"anonymous_id" text,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'quarantined' NOT NULL,
	"replayed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "cdp_identity_conflicts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"anonymous_id" text NOT NULL,
	"existing_user_id" text NOT NULL,
	"new_user_id" text NOT NULL,
	"message_id" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cdp_identity_links" (
	"anonymous_id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"via" text NOT NULL,
	"linked_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cdp_identity_users" (
	"user_id" text PRIMARY KEY NOT NULL,
	"first_seen" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cdp_ingest_counts" (
	"day" date NOT NULL,
	"source_id" uuid NOT NULL,
	"outcome" text NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "cdp_ingest_counts_day_source_id_outcome_pk" PRIMARY KEY("day","source_id","outcome")
);
--> statement-breakpoint
CREATE TABLE "cdp_install_secrets" (
	"name" text PRIMARY KEY NOT NULL,
	"value" "bytea" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cdp_sources" (
	"key_id" uuid PRIMARY KEY NOT NULL,
	"default_consent" jsonb,
	"trust_received_at" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cdp_suppressions" (
	"id_value" text PRIMARY KEY NOT NULL,
	"erasure_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cdp_tracking_plans" (
	"version" integer PRIMARY KEY NOT NULL,
	"plan" jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "cdp_consent_ledger_person_idx" ON "cdp_consent_ledger" USING btree ("person_id","at");--> statement-breakpoint
CREATE INDEX "cdp_failed_events_status_idx" ON "cdp_failed_events" USING btree ("status","received_at");--> statement-breakpoint
CREATE INDEX "cdp_failed_events_user_idx" ON "cdp_failed_events" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "cdp_failed_events_anon_idx" ON "cdp_failed_events" USING btree ("anonymous_id");--> statement-breakpoint
CREATE INDEX "cdp_identity_conflicts_existing_idx" ON "cdp_identity_conflicts" USING btree ("existing_user_id");--> statement-breakpoint
CREATE INDEX "cdp_identity_conflicts_new_idx" ON "cdp_identity_conflicts" USING btree ("new_user_id");--> statement-breakpoint
CREATE INDEX "cdp_identity_links_user_idx" ON "cdp_identity_links" USING btree ("user_id");