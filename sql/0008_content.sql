CREATE TABLE "content_chunks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"document_id" uuid NOT NULL,
	"ordinal" integer NOT NULL,
	"brand" text NOT NULL,
	"language" text NOT NULL,
	"access" text[] NOT NULL,
	"heading_path" text[] NOT NULL,
	"headings" text NOT NULL,
	"text" text NOT NULL,
	"start_offset" integer NOT NULL,
	"end_offset" integer NOT NULL,
	"tsv" "tsvector" GENERATED ALWAYS AS (to_tsvector(case when language = 'de' then 'german'::regconfig else 'english'::regconfig end, headings || ' ' || text)) STORED NOT NULL,
	"embedding" real[] NOT NULL,
	"embedder" text NOT NULL,
	"embedder_version" text NOT NULL,
	"dimension" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "content_documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"brand" text NOT NULL,
	"url" text NOT NULL,
	"title" text NOT NULL,
	"language" text NOT NULL,
	"format" text NOT NULL,
	"access" text[] NOT NULL,
	"version" integer NOT NULL,
	"content_hash" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "content_chunks" ADD CONSTRAINT "content_chunks_document_id_content_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."content_documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "content_chunks_document_idx" ON "content_chunks" USING btree ("document_id","ordinal");--> statement-breakpoint
CREATE INDEX "content_chunks_tsv_idx" ON "content_chunks" USING gin ("tsv");--> statement-breakpoint
CREATE INDEX "content_chunks_brand_idx" ON "content_chunks" USING btree ("brand","embedder");--> statement-breakpoint
CREATE UNIQUE INDEX "content_documents_brand_url_idx" ON "content_documents" USING btree ("brand","url");