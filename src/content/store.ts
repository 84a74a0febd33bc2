// Writes to the corpus: add (or replace) a document with its chunks and vectors, delete one.
import type { Database } from '../platform/db/client.js';
import type { Embedder } from './embedder.js';
import type { PreparedDocument } from './document.js';
import { embedderKey, ensureVectorIndex } from './vector-index.js';

export type AddResult = {
  url: string;
  brand: string;
  status: 'added' | 'replaced' | 'unchanged';
  version: number;
  chunks: number;
  language: string;
  piiMasked: number;
};

/** The text each chunk is embedded from: its heading path gives a short chunk its topic. */
export const embeddingText = (c: { headingPath: string[]; text: string }, title: string): string =>
  [title, ...c.headingPath, c.text].join('\n');

const pgArray = (v: number[]): string => `{${v.map((x) => (Number.isFinite(x) ? x : 0)).join(',')}}`;

export async function addDocument(
  database: Database,
  embedder: Embedder,
  doc: PreparedDocument,
  now: Date,
  options: { index?: boolean } = {},
): Promise<AddResult> {
  const { sql } = database;
  const key = embedderKey(embedder);
  const [existing] = await sql<{ id: string; version: number; content_hash: string; embedders: string[] }[]>`
    select d.id, d.version, d.content_hash,
           coalesce((select array_agg(distinct c.embedder) from content_chunks c where c.document_id = d.id), '{}') as embedders
    from content_documents d where d.brand = ${doc.brand} and d.url = ${doc.url}`;
  const base = { url: doc.url, brand: doc.brand, language: doc.language, piiMasked: doc.piiMasked };
  if (existing && existing.content_hash === doc.contentHash && existing.embedders.join() === key)
    return { ...base, status: 'unchanged', version: existing.version, chunks: doc.chunks.length };
  // Embed before the transaction: the embedded engine has one connection, held by a transaction.
  const vectors = await embedder.embed(doc.chunks.map((c) => embeddingText(c, doc.title)));
  if (options.index !== false) await ensureVectorIndex(sql, embedder);
  const version = (existing?.version ?? 0) + 1;
  await sql.begin(async (tx) => {
    const [row] = await tx<{ id: string }[]>`
      insert into content_documents (brand, url, title, language, format, access, version, content_hash, updated_at)
      values (${doc.brand}, ${doc.url}, ${doc.title}, ${doc.language}, ${doc.format}, ${doc.access}::text[], ${version}, ${doc.contentHash}, ${now.toISOString()}::timestamptz)
      on conflict (brand, url) do update set title = excluded.title, language = excluded.language,
        format = excluded.format, access = excluded.access, version = excluded.version,
        content_hash = excluded.content_hash, updated_at = excluded.updated_at
      returning id`;
    await tx`delete from content_chunks where document_id = ${row!.id}`;
    const rows = doc.chunks.map((c, i) => ({
      document_id: row!.id,
      ordinal: c.ordinal,
      brand: doc.brand,
      language: doc.language,
      access: doc.access,
      heading_path: c.headingPath,
      text: c.text,
      start_offset: c.start,
      end_offset: c.end,
      embedding: pgArray(vectors[i]!),
      embedder: key,
      embedder_version: embedder.version,
      dimension: embedder.dimension,
    }));
    // Unnest over arrays: one statement per document, whatever its size.
    await tx`
      insert into content_chunks (document_id, ordinal, brand, language, access, heading_path, headings, text,
        start_offset, end_offset, embedding, embedder, embedder_version, dimension)
      select ${row!.id}::uuid, o, ${doc.brand}, ${doc.language}, ${doc.access}::text[],
             coalesce((select array_agg(x) from jsonb_array_elements_text(h) x), '{}'),
             coalesce((select string_agg(x, ' ') from jsonb_array_elements_text(h) x), ''), t, s, e, v::real[], ${key}, ${embedder.version}, ${embedder.dimension}
      from unnest(${rows.map((r) => r.ordinal)}::int[], ${rows.map((r) => JSON.stringify(r.heading_path))}::jsonb[],
                  ${rows.map((r) => r.text)}::text[], ${rows.map((r) => r.start_offset)}::int[],
                  ${rows.map((r) => r.end_offset)}::int[], ${rows.map((r) => r.embedding)}::text[])
        as u(o, h, t, s, e, v)`;
  });
  return { ...base, status: existing ? 'replaced' : 'added', version, chunks: doc.chunks.length };
}

/** Deletes a document and (by cascade) every chunk and vector of it. Returns the chunks removed. */
export async function deleteDocument(
  database: Database,
  brand: string,
  url: string,
): Promise<{ deleted: boolean; chunks: number }> {
  return database.sql.begin(async (tx) => {
    const [n] = await tx<{ n: number }[]>`
      select count(*)::int as n from content_chunks c join content_documents d on d.id = c.document_id
      where d.brand = ${brand} and d.url = ${url}`;
    const gone = await tx`delete from content_documents where brand = ${brand} and url = ${url} returning id`;
    return { deleted: gone.length > 0, chunks: gone.length ? n!.n : 0 };
  });
}
