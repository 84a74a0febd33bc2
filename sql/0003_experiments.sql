CREATE TABLE "experiment_assignments" (
	"experiment_key" text NOT NULL,
	"person_id" text NOT NULL,
	"variation_id" text NOT NULL,
	"assigned_at" timestamp with time zone NOT NULL,
	CONSTRAINT "experiment_assignments_experiment_key_person_id_pk" PRIMARY KEY("experiment_key","person_id")
);
--> statement-breakpoint
CREATE TABLE "experiments" (
	"key" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"hypothesis" text NOT NULL,
	"status" text NOT NULL,
	"seed" text NOT NULL,
	"purpose" text NOT NULL,
	"exposure_event" text NOT NULL,
	"attribution_days" integer NOT NULL,
	"variations" jsonb NOT NULL,
	"phases" jsonb NOT NULL,
	"goal_metrics" jsonb NOT NULL,
	"guardrail_metrics" jsonb NOT NULL,
	"analysis" jsonb NOT NULL,
	"send_event" text,
	"start_at" timestamp with time zone,
	"stop_at" timestamp with time zone,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "drift_checks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"monitor" text NOT NULL,
	"subject" text NOT NULL,
	"checked_at" timestamp with time zone NOT NULL,
	"window" jsonb NOT NULL,
	"columns" integer NOT NULL,
	"drifted" integer NOT NULL,
	"result" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "experiment_assignments" ADD CONSTRAINT "experiment_assignments_experiment_key_experiments_key_fk" FOREIGN KEY ("experiment_key") REFERENCES "public"."experiments"("key") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "drift_checks_subject_idx" ON "drift_checks" USING btree ("monitor","subject","checked_at");