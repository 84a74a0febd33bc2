// The content corpus: one row per brand document (its current version), one per chunk. A chunk
// carries its embedding as real[] in both database modes; with pgvector an HNSW index over the
// cast to vector(d) is built per embedder at run time (vector-index.ts), so one table serves both.
import { sql } from 'drizzle-orm';
import {
  pgTable,
  text,
  timestamp,
  integer,
  real,
  uuid,
  index,
  uniqueIndex,
  customType,
  jsonb,
  bigserial,
  doublePrecision,
} from 'drizzle-orm/pg-core';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const contentDocuments = pgTable(
  'content_documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    brand: text('brand').notNull(),
    /** The document's own URL or site path (front-matter `path`), unique per brand. */
    url: text('url').notNull(),
    title: text('title').notNull(),
    language: text('language').notNull(),
    format: text('format').notNull(),
    access: text('access').array().notNull(),
    version: integer('version').notNull(),
    contentHash: text('content_hash').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('content_documents_brand_url_idx').on(t.brand, t.url)],
);

export const contentChunks = pgTable(
  'content_chunks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => contentDocuments.id, { onDelete: 'cascade' }),
    ordinal: integer('ordinal').notNull(),
    brand: text('brand').notNull(),
    language: text('language').notNull(),
    access: text('access').array().notNull(),
    headingPath: text('heading_path').array().notNull(),
    /** The heading path as one string, for the full-text column (array_to_string is not immutable). */
    headings: text('headings').notNull(),
    /** PII-masked text as indexed and shown. */
    text: text('text').notNull(),
    /** UTF-16 offsets into the source document as submitted. */
    startOffset: integer('start_offset').notNull(),
    endOffset: integer('end_offset').notNull(),
    /** English or German full-text configuration, by the chunk's language. */
    tsv: tsvector('tsv')
      .notNull()
      .generatedAlwaysAs(
        sql`to_tsvector(case when language = 'de' then 'german'::regconfig else 'english'::regconfig end, headings || ' ' || text)`,
      ),
    embedding: real('embedding').array().notNull(),
    embedder: text('embedder').notNull(),
    embedderVersion: text('embedder_version').notNull(),
    dimension: integer('dimension').notNull(),
  },
  (t) => [
    index('content_chunks_document_idx').on(t.documentId, t.ordinal),
    index('content_chunks_tsv_idx').using('gin', t.tsv),
    index('content_chunks_brand_idx').on(t.brand, t.embedder),
  ],
);

// Generated assets. Their texts come from PII-masked passages and guarded inputs; the actors are API key
// ids. Erasure still removes any asset whose text mentions a person's id (src/content/erasure.ts).

/** A set of creative variants (ad or e-mail) with the passages it cites and its guardrail findings. */
export const contentCreatives = pgTable(
  'content_creatives',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    brand: text('brand').notNull(),
    kind: text('kind').notNull(),
    topic: text('topic').notNull(),
    language: text('language').notNull(),
    variants: jsonb('variants').notNull(),
    sources: jsonb('sources').notNull(),
    findings: jsonb('findings').notNull(),
    generator: jsonb('generator').notNull(),
    template: text('template').notNull(),
    experimentKey: text('experiment_key'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('content_creatives_created_idx').on(t.brand, t.createdAt)],
);

/** An SEO brief under review; `version` is bumped by every change (optimistic concurrency). */
export const contentBriefs = pgTable(
  'content_briefs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    brand: text('brand').notNull(),
    keyword: text('keyword').notNull(),
    language: text('language').notNull(),
    status: text('status').notNull(),
    version: integer('version').notNull(),
    access: text('access').array().notNull(),
    brief: jsonb('brief').notNull(),
    sources: jsonb('sources').notNull(),
    findings: jsonb('findings').notNull(),
    score: jsonb('score').notNull(),
    generator: jsonb('generator').notNull(),
    template: text('template').notNull(),
    /** Generation usage summed at approval: the brief's cost as an approved asset. */
    approvedUsage: jsonb('approved_usage'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedBy: text('updated_by').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('content_briefs_queue_idx').on(t.brand, t.status, t.updatedAt)],
);

/** Every action on a brief: the history the review page shows and the audit trail. */
export const contentBriefEvents = pgTable(
  'content_brief_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    briefId: uuid('brief_id')
      .notNull()
      .references(() => contentBriefs.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    version: integer('version').notNull(),
    section: text('section'),
    reason: text('reason'),
    details: jsonb('details').notNull(),
  },
  (t) => [index('content_brief_events_brief_idx').on(t.briefId, t.id)],
);

/** One row per generation request (model or offline): tokens and cost, for cost per outcome. */
export const contentGenerationRequests = pgTable(
  'content_generation_requests',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    assetType: text('asset_type').notNull(),
    assetId: uuid('asset_id').notNull(),
    purpose: text('purpose').notNull(),
    generator: text('generator').notNull(),
    template: text('template').notNull(),
    requests: integer('requests').notNull(),
    promptTokens: integer('prompt_tokens').notNull(),
    completionTokens: integer('completion_tokens').notNull(),
    costUsd: doublePrecision('cost_usd').notNull(),
  },
  (t) => [index('content_generation_requests_asset_idx').on(t.assetId)],
);
