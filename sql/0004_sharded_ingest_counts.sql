ALTER TABLE "cdp_consentless_counts" ADD COLUMN "shard" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "cdp_ingest_counts" ADD COLUMN "shard" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "cdp_consentless_counts" DROP CONSTRAINT "cdp_consentless_counts_day_source_id_event_name_pk";--> statement-breakpoint
ALTER TABLE "cdp_ingest_counts" DROP CONSTRAINT "cdp_ingest_counts_day_source_id_outcome_pk";--> statement-breakpoint
ALTER TABLE "cdp_consentless_counts" ADD CONSTRAINT "cdp_consentless_counts_day_source_id_event_name_shard_pk" PRIMARY KEY("day","source_id","event_name","shard");--> statement-breakpoint
ALTER TABLE "cdp_ingest_counts" ADD CONSTRAINT "cdp_ingest_counts_day_source_id_outcome_shard_pk" PRIMARY KEY("day","source_id","outcome","shard");
