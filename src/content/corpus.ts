// The corpus service: validate, prepare and store documents, one result per item. A large batch (a first
// import, a site crawl) is a bulk load: the embedder's HNSW index is dropped, the chunks stored, and the
// index built once over them.
import type { Database } from '../platform/db/client.js';
import type { Embedder } from './embedder.js';
import { DocumentInputSchema, DocumentProblem, prepareDocument, type PreparedDocument } from './document.js';
import { addDocument, type AddResult } from './store.js';
import { dropVectorIndex, embedderKey, ensureVectorIndex } from './vector-index.js';

export type AddItemResult = { index: number; result?: AddResult; error?: string };

export type AddOptions = {
  /** Called after each document is stored: chunks stored so far of the batch's total. */
  onProgress?: (chunksDone: number, chunksTotal: number) => void;
  /** Chunks from which a batch counts as bulk (default BULK_CHUNKS). */
  bulkFrom?: number;
};

/**
 * A batch of at least this many chunks, and at least as many as the embedder already has indexed, is
 * loaded with the index deferred: at 2,000 chunks that took 9 s against 25 s row by row on the embedded
 * engine, and the gap grows with the graph.
 */
export const BULK_CHUNKS = 2_000;

export async function addDocuments(
  database: Database,
  embedder: Embedder,
  items: unknown[],
  now: Date,
  options: AddOptions = {},
): Promise<AddItemResult[]> {
  const out: AddItemResult[] = [];
  const ready: { index: number; doc: PreparedDocument }[] = [];
  for (const [index, raw] of items.entries()) {
    const parsed = DocumentInputSchema.safeParse(raw);
    if (!parsed.success) {
      out.push({
        index,
        error: parsed.error.issues.map((e) => `${e.path.join('.') || 'document'}: ${e.message}`).join('; '),
      });
      continue;
    }
    try {
      ready.push({ index, doc: prepareDocument(parsed.data) });
    } catch (err) {
      if (err instanceof DocumentProblem) out.push({ index, error: err.message });
      else throw err;
    }
  }
  const total = ready.reduce((n, r) => n + r.doc.chunks.length, 0);
  const bulk =
    total >= (options.bulkFrom ?? BULK_CHUNKS) && total >= (await indexedChunks(database, embedder));
  const deferred = bulk && (await dropVectorIndex(database.sql, embedder));
  try {
    let done = 0;
    for (const { index, doc } of ready) {
      try {
        out.push({ index, result: await addDocument(database, embedder, doc, now, { index: !deferred }) });
      } catch (err) {
        if (err instanceof DocumentProblem) out.push({ index, error: err.message });
        else throw err;
      }
      done += doc.chunks.length;
      options.onProgress?.(done, total);
    }
  } finally {
    if (deferred) await ensureVectorIndex(database.sql, embedder);
  }
  return out.sort((a, b) => a.index - b.index);
}

async function indexedChunks(database: Database, embedder: Embedder): Promise<number> {
  const [row] = await database.sql<{ n: number }[]>`
    select count(*)::int as n from content_chunks where embedder = ${embedderKey(embedder)}`;
  return row!.n;
}
