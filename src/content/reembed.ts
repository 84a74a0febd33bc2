// Re-embedding the corpus when the embedder changes (a key configured, another model or version):
// every chunk stored with another embedder gets a vector from the current one, document by
// document, in place. Retrieval only compares vectors of the embedder that embeds the query, so
// until this runs those chunks are found by the full-text branch alone.
import { z } from 'zod';
import type { Database } from '../platform/db/client.js';
import type { JobDefinition } from '../platform/jobs/registry.js';
import type { Embedder } from './embedder.js';
import { embeddingText } from './store.js';
import { embedderKey, ensureVectorIndex } from './vector-index.js';

export type ReembedResult = { embedder: string; documents: number; chunks: number };

const pgArray = (v: number[]): string => `{${v.map((x) => (Number.isFinite(x) ? x : 0)).join(',')}}`;

export async function reembedCorpus(
  database: Database,
  embedder: Embedder,
  onProgress: (done: number, total: number) => void = () => undefined,
): Promise<ReembedResult> {
  const { sql } = database;
  const key = embedderKey(embedder);
  const stale = await sql<{ id: string; title: string }[]>`
    select d.id, d.title from content_documents d
    where exists (select 1 from content_chunks c where c.document_id = d.id and c.embedder <> ${key})
    order by d.id`;
  if (stale.length) await ensureVectorIndex(sql, embedder);
  let chunks = 0;
  for (const [i, doc] of stale.entries()) {
    const rows = await sql<{ id: string; heading_path: string[]; text: string }[]>`
      select id, heading_path, text from content_chunks
      where document_id = ${doc.id} and embedder <> ${key} order by ordinal`;
    // Embed outside the write: the embedded engine has one connection, held by a statement.
    const vectors = await embedder.embed(
      rows.map((r) => embeddingText({ headingPath: r.heading_path, text: r.text }, doc.title)),
    );
    await sql`
      update content_chunks c set embedding = u.v::real[], embedder = ${key},
        embedder_version = ${embedder.version}, dimension = ${embedder.dimension}
      from unnest(${rows.map((r) => r.id)}::uuid[], ${vectors.map(pgArray)}::text[]) as u(id, v)
      where c.id = u.id`;
    chunks += rows.length;
    onProgress(i + 1, stale.length);
  }
  return { embedder: key, documents: stale.length, chunks };
}

export function contentReembedJob(
  database: Database,
  embedder: () => Embedder,
): JobDefinition<Record<string, never>> {
  return {
    type: 'content.reembed',
    description: 'Re-embed every corpus chunk stored with another embedder than the configured one.',
    data: z.strictObject({}),
    retryLimit: 1,
    handler: async ({ progress }) => {
      const r = await reembedCorpus(database, embedder(), (done, total) => {
        void progress(done / total, `${done} of ${total} documents`);
      });
      return r;
    },
  };
}
