CREATE TABLE "feature_refreshes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"as_of" timestamp with time zone NOT NULL,
	"received_through" timestamp with time zone NOT NULL,
	"version" integer NOT NULL,
	"mode" text NOT NULL,
	"recomputed" integer NOT NULL,
	"removed" integer NOT NULL,
	"persons" integer NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "feature_person_raw" (
	"person_id" text PRIMARY KEY NOT NULL,
	"as_of" timestamp with time zone NOT NULL,
	"version" integer NOT NULL,
	"raw" jsonb NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL
);
