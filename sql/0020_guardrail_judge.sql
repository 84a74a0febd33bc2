ALTER TABLE "guardrail_decisions" ADD COLUMN "judge_verdict" text;--> statement-breakpoint
ALTER TABLE "guardrail_decisions" ADD COLUMN "judge_model" text;--> statement-breakpoint
ALTER TABLE "guardrail_decisions" ADD COLUMN "judge_confidence" real;--> statement-breakpoint
ALTER TABLE "guardrail_decisions" ADD COLUMN "judge_error" text;