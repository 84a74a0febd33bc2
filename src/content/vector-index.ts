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

/** Memory for an index build: the graph of 100,000 chunks of 512 dimensions fits; a larger one spills to disk (slower, still correct). */
const BUILD_MEMORY = '512MB';

/** Builds the embedder's HNSW index once per process; a no-op on the fallback path. */
export async function ensureVectorIndex(sql: Sql, e: Embedder): Promise<void> {
  if (!(await indexable(sql, e))) return;
  const done = indexed.get(sql) ?? new Set<string>();
  indexed.set(sql, done);
  const name = indexName(e);
  if (done.has(name)) return;
  await sql.begin(async (tx) => {
    await tx.unsafe(`set local maintenance_work_mem = '${BUILD_MEMORY}'`);
    await tx.unsafe(
      `create index if not exists ${name} on content_chunks using hnsw ((embedding::vector(${checkedDimension(e.dimension)})) vector_cosine_ops) where embedder = '${embedderKey(e)}'`,
    );
  });
  done.add(name);
}

/**
 * Drops the embedder's HNSW index before a bulk load (pgvector's advice: building once over loaded rows
 * is several times faster than inserting into the graph row by row). Until `ensureVectorIndex` rebuilds
 * it, the vector branch scans exactly: slower, never wrong. Returns whether there was an index to drop.
 */
export async function dropVectorIndex(sql: Sql, e: Embedder): Promise<boolean> {
  if (!(await indexable(sql, e))) return false;
  indexed.get(sql)?.delete(indexName(e));
  await sql.unsafe(`drop index if exists ${indexName(e)}`);
  return true;
}

async function indexable(sql: Sql, e: Embedder): Promise<boolean> {
  return (await retrievalPath(sql)) === 'pgvector-hnsw' && e.dimension <= MAX_INDEXED_DIMENSION;
}
