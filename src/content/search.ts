// Hybrid retrieval in one SQL statement: a vector branch (cosine) and a full-text branch (English or
// German configuration by the chunk's language, terms OR-ed and ranked by their summed inverse document
// frequency), each filtered by brand and access labels inside the branch, fused by reciprocal rank fusion.
// With pgvector the vector branch walks the embedder's HNSW index; without it the branch computes
// the exact cosine over the full-text candidates plus a bounded scan of the table.
import type { Database } from '../platform/db/client.js';
import type { Embedder } from './embedder.js';
import {
  checkedDimension,
  embedderKey,
  ensureVectorIndex,
  retrievalPath,
  type RetrievalPath,
} from './vector-index.js';
import { RERANK_DEPTH, bm25f, fuseWith, ranksOf, type FieldStats, type RerankerName } from './rerank.js';

/** RRF's k: 60 as in Cormack et al. (2009), which damps the head of each list. */
export const RRF_K = 60;
/** Candidates each branch contributes to the fusion. */
export const BRANCH_DEPTH = 50;
/** Fallback: chunks scanned for the vector branch beyond the full-text candidates. */
export const FALLBACK_SCAN = 20_000;
export const MAX_LIMIT = 50;
/** Chunks sampled to find query terms so common that they are treated as stop words. */
export const COMMON_SAMPLE = 2_000;

export type SearchOptions = {
  query: string;
  brand: string;
  /** Chunks visible to any of these labels. */
  access: string[];
  limit: number;
  /** Which branches to fuse (the benchmark measures each alone). */
  branches?: 'hybrid' | 'vector' | 'text';
  /** A re-ranking step after fusion (rerank.ts); default none. */
  rerank?: RerankerName;
};

export type SearchResult = {
  chunkId: string;
  documentUrl: string;
  title: string;
  language: string;
  headingPath: string[];
  text: string;
  startOffset: number;
  endOffset: number;
  score: number;
  vectorRank: number | null;
  textRank: number | null;
  /** The re-ranker's own rank among the candidates (null: not re-ranked, or no query term). */
  rerankRank?: number | null;
};

export type SearchAnswer = { results: SearchResult[]; path: RetrievalPath; embedder: string };

function statement(path: RetrievalPath, key: string, dimension: number, branches: string): string {
  const filter = `c.embedder = '${key}' and c.brand = $3 and c.access && $4::text[]`;
  // Full-text ranking by the summed inverse document frequency of the query terms a chunk holds (BM25
  // without term-frequency saturation or length normalisation): ts_rank_cd alone weighs "coffee" like
  // "plastic", so boilerplate that repeats common words outranks the one page that answers. Cover
  // density breaks ties among the best. Document frequencies are counted per configuration over all the
  // chunks the filter admits, so a term rare in a small German edition is not outweighed by the English
  // pages. A term in more than half of a sample of the chunks (idf below ln 2) is dropped, as a stop word
  // is: it carries almost no weight and gathering its postings would cost a pass over most of the table.
  const group = `case when c.language = 'de' then 'de' else 'en' end`;
  const text = `terms as materialized (
    select 'en' as g, lex from unnest(tsvector_to_array(to_tsvector('english', $2))) lex
    union select 'de', lex from unnest(tsvector_to_array(to_tsvector('german', $2))) lex),
  n as materialized (select count(*) as n from content_chunks c where ${filter}),
  sample as materialized (select c.tsv, ${group} as g from content_chunks c where ${filter} limit ${COMMON_SAMPLE}),
  common as materialized (
    select t.g, t.lex from terms t,
      lateral (select count(*) as sn, count(*) filter (where s.tsv @@ quote_literal(t.lex)::tsquery) as hits
               from sample s where s.g = t.g) e
    where e.sn >= 100 and e.hits * 2 > e.sn),
  post as materialized (
    select t.g, t.lex, p.id from terms t cross join lateral (
      select c.id from content_chunks c
      where ${filter} and ${group} = t.g and c.tsv @@ quote_literal(t.lex)::tsquery) p
    where (t.g, t.lex) not in (select g, lex from common)),
  idf as materialized (
    select g, lex, ln(1 + (n.n - count(*) + 0.5) / (count(*) + 0.5)) as w from post, n group by g, lex, n.n),
  top as materialized (
    select p.id, sum(i.w) as rank from post p join idf i using (g, lex)
    group by p.id order by rank desc, p.id limit ${BRANCH_DEPTH * 4}),
  m as materialized (
    select (select string_agg(quote_literal(lex), ' | ')::tsquery from idf where g = 'en') as en,
           (select string_agg(quote_literal(lex), ' | ')::tsquery from idf where g = 'de') as de),
  txt as (
    select id, row_number() over (order by rank desc, cd desc, id) as r from (
      select t.id, t.rank, ts_rank_cd(c.tsv, case when c.language = 'de' then m.de else m.en end) as cd
      from top t join content_chunks c on c.id = t.id, m
      order by t.rank desc, cd desc, t.id limit ${BRANCH_DEPTH}) x)`;
  const vec =
    path === 'pgvector-hnsw'
      ? `vec as (
    select id, row_number() over (order by d, id) as r from (
      select c.id, (c.embedding::vector(${dimension})) <=> q.v as d from content_chunks c, q
      where ${filter}
      order by (c.embedding::vector(${dimension})) <=> q.v limit ${BRANCH_DEPTH}) v)`
      : `cand as (
    select id from txt
    union select id from (select c.id from content_chunks c where ${filter} limit ${FALLBACK_SCAN}) s),
  vec as (
    select id, row_number() over (order by d desc, id) as r from (
      select c.id, (select sum(a * b) from unnest(c.embedding, q.e) as p(a, b)) as d
      from cand join content_chunks c using (id), q
      order by d desc, c.id limit ${BRANCH_DEPTH}) v)`;
  const useVec = branches !== 'text';
  const useText = branches !== 'vector';
  return `with q as (
    select $1::real[] as e, ${path === 'pgvector-hnsw' ? `$1::real[]::vector(${dimension})` : 'null::int'} as v),
  ${text},
  ${vec},
  fused as (
    select coalesce(vec.id, txt.id) as id,
           ${useVec ? 'vec.r' : 'null::bigint'} as vr, ${useText ? 'txt.r' : 'null::bigint'} as tr,
           ${useVec ? `coalesce(1.0 / (${RRF_K} + vec.r), 0)` : '0'} + ${useText ? `coalesce(1.0 / (${RRF_K} + txt.r), 0)` : '0'} as score
    from ${useVec ? 'vec' : '(select null::uuid as id, null::bigint as r where false) vec'}
    full join ${useText ? 'txt' : '(select null::uuid as id, null::bigint as r where false) txt'} on vec.id = txt.id)
  select f.id, f.vr, f.tr, f.score::float8 as score, c.heading_path, c.text, c.start_offset, c.end_offset,
         c.language, d.url, d.title${useText ? `, (select jsonb_object_agg(g || ':' || lex, w) from idf) as idf` : ''}
  from fused f join content_chunks c on c.id = f.id join content_documents d on d.id = c.document_id
  order by f.score desc, f.id limit $5`;
}

type Row = {
  id: string;
  vr: string | null;
  tr: string | null;
  score: number;
  heading_path: string[];
  text: string;
  start_offset: number;
  end_offset: number;
  language: string;
  url: string;
  title: string;
  idf?: Record<string, number> | null;
};

export async function searchContent(
  database: Database,
  embedder: Embedder,
  options: SearchOptions,
): Promise<SearchAnswer> {
  const path = await retrievalPath(database.sql);
  await ensureVectorIndex(database.sql, embedder);
  const [vector] = await embedder.embed([options.query]);
  const key = embedderKey(embedder);
  const rerank = options.rerank ?? 'none';
  const fetched = rerank === 'none' ? options.limit : Math.max(options.limit, RERANK_DEPTH);
  let rows: Row[] = await database.sql.unsafe<Row[]>(
    statement(path, key, checkedDimension(embedder.dimension), options.branches ?? 'hybrid'),
    [`{${vector!.join(',')}}`, options.query, options.brand, options.access, fetched],
  );
  let rerankRanks: Map<string, number | null> | undefined;
  if (rerank === 'fields' && rows.length) {
    const stats = await fieldStats(
      database,
      rows.map((r) => r.id),
    );
    const fused = fuseWith(
      rows.map((r) => ({ id: r.id, vectorRank: rank(r.vr), textRank: rank(r.tr) })),
      ranksOf(bm25f(stats, rows[0]!.idf ?? {})),
      RRF_K,
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    rows = fused.map((f) => ({ ...byId.get(f.id)!, score: f.score }));
    rerankRanks = new Map(fused.map((f) => [f.id, f.rerankRank]));
  }
  rows = rows.slice(0, options.limit);
  return {
    path,
    embedder: key,
    results: rows.map((r) => ({
      chunkId: r.id,
      documentUrl: r.url,
      title: r.title,
      language: r.language,
      headingPath: r.heading_path,
      text: r.text,
      startOffset: r.start_offset,
      endOffset: r.end_offset,
      score: Number(r.score),
      vectorRank: rank(r.vr),
      textRank: rank(r.tr),
      ...(rerankRanks ? { rerankRank: rerankRanks.get(r.id) ?? null } : {}),
    })),
  };
}

const rank = (r: string | null): number | null => (r === null ? null : Number(r));

/** Term frequencies of the candidates' heading and text fields, in each chunk's own configuration. */
async function fieldStats(database: Database, ids: string[]): Promise<FieldStats[]> {
  const rows = await database.sql<
    {
      id: string;
      head_tf: Record<string, number>;
      head_len: number;
      text_tf: Record<string, number>;
      text_len: number;
    }[]
  >`
    with c as (
      select c.id, case when c.language = 'de' then 'de' else 'en' end as g,
             to_tsvector(case when c.language = 'de' then 'german'::regconfig else 'english'::regconfig end,
                         d.title || ' ' || c.headings) as head,
             to_tsvector(case when c.language = 'de' then 'german'::regconfig else 'english'::regconfig end, c.text) as body
      from content_chunks c join content_documents d on d.id = c.document_id
      where c.id = any(${ids}::uuid[]))
    select c.id, h.tf as head_tf, h.len as head_len, b.tf as text_tf, b.len as text_len
    from c,
      lateral (select coalesce(jsonb_object_agg(c.g || ':' || u.lexeme, coalesce(array_length(u.positions, 1), 1)), '{}') as tf,
                      coalesce(sum(coalesce(array_length(u.positions, 1), 1)), 0)::int as len
               from unnest(c.head) u) h,
      lateral (select coalesce(jsonb_object_agg(c.g || ':' || u.lexeme, coalesce(array_length(u.positions, 1), 1)), '{}') as tf,
                      coalesce(sum(coalesce(array_length(u.positions, 1), 1)), 0)::int as len
               from unnest(c.body) u) b`;
  return rows.map((r) => ({
    id: r.id,
    headingTf: r.head_tf,
    headingLength: r.head_len,
    textTf: r.text_tf,
    textLength: r.text_len,
  }));
}
