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
