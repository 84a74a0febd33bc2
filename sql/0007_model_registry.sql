CREATE TABLE "model_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"version" integer NOT NULL,
	"action" text NOT NULL,
	"actor" text NOT NULL,
	"reason" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "model_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"version" integer NOT NULL,
	"status" text NOT NULL,
	"reason" text NOT NULL,
	"algorithm" text NOT NULL,
	"data_window" jsonb NOT NULL,
	"features" jsonb NOT NULL,
	"params" jsonb NOT NULL,
	"metrics" jsonb NOT NULL,
	"runtime" jsonb NOT NULL,
	"duration_ms" integer NOT NULL,
	"artifact" jsonb NOT NULL,
	"trained_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"promoted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "propensity_scores" (
	"person_id" text PRIMARY KEY NOT NULL,
	"version" integer NOT NULL,
	"score" real NOT NULL,
	"decile" integer NOT NULL,
	"scored_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "model_events_kind_idx" ON "model_events" USING btree ("kind","at");--> statement-breakpoint
CREATE UNIQUE INDEX "model_versions_kind_version_idx" ON "model_versions" USING btree ("kind","version");--> statement-breakpoint
CREATE INDEX "model_versions_kind_status_idx" ON "model_versions" USING btree ("kind","status");