CREATE TABLE "mmm_datasets" (
	"name" text PRIMARY KEY NOT NULL,
	"kpi" text NOT NULL,
	"channels" jsonb NOT NULL,
	"controls" jsonb NOT NULL,
	"period_days" integer NOT NULL,
	"imported_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mmm_periods" (
	"dataset" text NOT NULL,
	"period_start" date NOT NULL,
	"kpi" double precision NOT NULL,
	"spend" jsonb NOT NULL,
	"controls" jsonb NOT NULL,
	CONSTRAINT "mmm_periods_dataset_period_start_pk" PRIMARY KEY("dataset","period_start")
);
--> statement-breakpoint
ALTER TABLE "mmm_periods" ADD CONSTRAINT "mmm_periods_dataset_mmm_datasets_name_fk" FOREIGN KEY ("dataset") REFERENCES "public"."mmm_datasets"("name") ON DELETE cascade ON UPDATE no action;