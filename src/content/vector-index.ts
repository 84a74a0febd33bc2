// Which retrieval path this database runs, and the HNSW index per embedder where pgvector exists.
// The index is over the cast of the real[] column to vector(d), partial on the embedder, so vectors
// of different embedders (and dimensions) live in one table and each has its own index.
import type { Sql } from '../platform/db/client.js';
import type { Embedder } from './embedder.js';
import { MAX_INDEXED_DIMENSION } from './embedder.js';

export type RetrievalPath = 'pgvector-hnsw' | 'exact-fallback';

const paths = new WeakMap<Sql, Promise<RetrievalPath>>();
const indexed = new WeakMap<Sql, Set<string>>();

export function retrievalPath(sql: Sql): Promise<RetrievalPath> {
  let p = paths.get(sql);
  if (!p) {
    p = sql<{ n: number }[]>`select count(*)::int as n from pg_extension where extname = 'vector'`.then(
      (r) => (r[0]!.n > 0 ? 'pgvector-hnsw' : 'exact-fallback'),
    );
    paths.set(sql, p);
  }
  return p;
}

/** The embedder as a SQL literal; checked so it can be inlined (a partial index needs a constant). */
export function embedderKey(e: Pick<Embedder, 'name' | 'version'>): string {
  const key = `${e.name}@${e.version}`;
  if (!/^[A-Za-z0-9:@._/-]{1,100}$/.test(key)) throw new Error(`unsupported embedder name ${key}`);
  return key;
}

export function checkedDimension(d: number): number {
  if (!Number.isInteger(d) || d < 1 || d > 16_000) throw new Error(`unsupported dimension ${d}`);
  return d;
}

export function indexName(e: Pick<Embedder, 'name' | 'version'>): string {
  return `content_chunks_hnsw_${embedderKey(e)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')}`.slice(0, 63);
}

/** Builds the embedder's HNSW index once per process; a no-op on the fallback path. */
export async function ensureVectorIndex(sql: Sql, e: Embedder): Promise<void> {
  if ((await retrievalPath(sql)) !== 'pgvector-hnsw' || e.dimension > MAX_INDEXED_DIMENSION) return;
  const done = indexed.get(sql) ?? new Set<string>();
  indexed.set(sql, done);
  const name = indexName(e);
  if (done.has(name)) return;
  await sql.unsafe(
    `create index if not exists ${name} on content_chunks using hnsw ((embedding::vector(${checkedDimension(e.dimension)})) vector_cosine_ops) where embedder = '${embedderKey(e)}'`,
  );
  done.add(name);
}
