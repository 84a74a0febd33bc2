CREATE TABLE "content_brief_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"brief_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"version" integer NOT NULL,
	"section" text,
	"reason" text,
	"details" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "content_briefs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"brand" text NOT NULL,
	"keyword" text NOT NULL,
	"language" text NOT NULL,
	"status" text NOT NULL,
	"version" integer NOT NULL,
	"access" text[] NOT NULL,
	"brief" jsonb NOT NULL,
	"sources" jsonb NOT NULL,
	"findings" jsonb NOT NULL,
	"score" jsonb NOT NULL,
	"generator" jsonb NOT NULL,
	"template" text NOT NULL,
	"approved_usage" jsonb,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "content_creatives" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"brand" text NOT NULL,
	"kind" text NOT NULL,
	"topic" text NOT NULL,
	"language" text NOT NULL,
	"variants" jsonb NOT NULL,
	"sources" jsonb NOT NULL,
	"findings" jsonb NOT NULL,
	"generator" jsonb NOT NULL,
	"template" text NOT NULL,
	"experiment_key" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "content_generation_requests" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"asset_type" text NOT NULL,
	"asset_id" uuid NOT NULL,
	"purpose" text NOT NULL,
	"generator" text NOT NULL,
	"template" text NOT NULL,
	"requests" integer NOT NULL,
	"prompt_tokens" integer NOT NULL,
	"completion_tokens" integer NOT NULL,
	"cost_usd" double precision NOT NULL
);
--> statement-breakpoint
ALTER TABLE "content_brief_events" ADD CONSTRAINT "content_brief_events_brief_id_content_briefs_id_fk" FOREIGN KEY ("brief_id") REFERENCES "public"."content_briefs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "content_brief_events_brief_idx" ON "content_brief_events" USING btree ("brief_id","id");--> statement-breakpoint
CREATE INDEX "content_briefs_queue_idx" ON "content_briefs" USING btree ("brand","status","updated_at");--> statement-breakpoint
CREATE INDEX "content_creatives_created_idx" ON "content_creatives" USING btree ("brand","created_at");--> statement-breakpoint
CREATE INDEX "content_generation_requests_asset_idx" ON "content_generation_requests" USING btree ("asset_id");