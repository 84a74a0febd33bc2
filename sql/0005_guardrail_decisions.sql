CREATE TABLE "guardrail_decisions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"source" text NOT NULL,
	"stage" text NOT NULL,
	"check" text NOT NULL,
	"action" text NOT NULL,
	"rules" jsonb NOT NULL,
	"spans" jsonb NOT NULL,
	"score" real,
	"attempt" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE INDEX "guardrail_decisions_at_idx" ON "guardrail_decisions" USING btree ("at","check");