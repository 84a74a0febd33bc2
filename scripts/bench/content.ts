// Content retrieval and generation figures.
//   npm run bench -- content [quality] [latency] [generate] [--chunks 100000] [--modes embedded,server]
// quality: recall@5 and MRR@10 of the labelled query set (fixtures/content/queries.jsonl) for the vector
//   branch alone, the full-text branch alone and the hybrid, with the local embedder, on each database mode.
// latency: p50/p99 of each branch and the hybrid over the same questions at N chunks (the brand pages plus
//   synthetic brand-like chunks), embedded (pgvector HNSW) and server (real[] fallback); the full-text branch
//   alone is the baseline each ratio is taken against.
// generate: offline generation time per SEO brief and per creative-variant set.
import { openServices, type Services } from '../../src/services.js';
import { createLogger } from '../../src/platform/log.js';
import { fromRoot } from '../../src/platform/paths.js';
import { createTestDatabase, type DatabaseMode } from '../../test/helpers/databases.js';
import { addDocuments } from '../../src/content/corpus.js';
import { listDocumentFiles, readDocumentFile } from '../../src/content/files.js';
import { createLocalEmbedder } from '../../src/content/embed-local.js';
import { searchContent } from '../../src/content/search.js';
import { chunkKey, qualityFigures } from '../../src/content/eval/metrics.js';
import { readQuerySet, type LabelledQuery } from '../../src/content/eval/query-set.js';
import { synthesiseCorpus } from './content-synthetic.js';

const say = (s: string) => process.stdout.write(s + '\n');
const BRANCHES = ['vector', 'text', 'hybrid', 'reranked'] as const;
type Branch = (typeof BRANCHES)[number];
const embedder = createLocalEmbedder();
const NOW = new Date('2026-12-01T00:00:00Z');

async function open(mode: DatabaseMode): Promise<{ services: Services; close: () => Promise<void> }> {
  const tdb = await createTestDatabase(mode, { ATTUNE_WORKERS: 'off' });
  const services = await openServices(tdb.config, createLogger('silent'), {
    purpose: 'bench',
    supervise: false,
  });
  return {
    services,
    close: async () => {
      await services.close();
      await tdb.drop();
    },
  };
}

async function indexBrandPages(services: Services): Promise<void> {
  const files = listDocumentFiles([fromRoot('fixtures/brand/pages')]);
  const res = await addDocuments(
    services.database,
    embedder,
    files.map((f) => readDocumentFile(f)),
    NOW,
  );
  const bad = res.filter((r) => r.error);
  if (bad.length) throw new Error(`brand pages did not index: ${JSON.stringify(bad)}`);
}

// `reranked`: the hybrid with the BM25F re-ranking step (src/content/rerank.ts).
const search = (services: Services, q: string, branch: Branch, limit = 10) =>
  searchContent(services.database, embedder, {
    query: q,
    brand: 'kettle-crane',
    access: ['public'],
    limit,
    branches: branch === 'reranked' ? 'hybrid' : branch,
    rerank: branch === 'reranked' ? 'fields' : 'none',
  });

async function quality(mode: DatabaseMode, queries: LabelledQuery[]): Promise<void> {
  const { services, close } = await open(mode);
  try {
    await indexBrandPages(services);
    const n = (
      await services.database.sql<{ n: number }[]>`select count(*)::int as n from content_chunks`
    )[0]!.n;
    say(`\nQuality on the ${mode} database (${n} chunks, ${queries.length} questions, local embedder)`);
    for (const lang of ['all', 'en', 'de'] as const) {
      const qs = queries.filter((q) => lang === 'all' || q.language === lang);
      const cells: string[] = [];
      const missed: string[] = [];
      for (const branch of BRANCHES) {
        const runs = [];
        for (const q of qs) {
          const a = await search(services, q.question, branch);
          runs.push({
            id: q.id,
            ranked: a.results.map((r) => chunkKey(r.documentUrl, r.headingPath)),
            relevant: q.relevantKeys,
          });
        }
        const f = qualityFigures(runs);
        cells.push(`${branch} R@5 ${f.recallAt5.toFixed(3)} MRR@10 ${f.mrrAt10.toFixed(3)}`);
        if (branch === 'hybrid' && lang === 'all') missed.push(...f.missed);
      }
      say(`  ${lang.padEnd(4)}(${String(qs.length).padStart(2)})  ${cells.join('   ')}`);
      if (missed.length) say(`  hybrid recall@5 < 1 on: ${missed.join(', ')}`);
    }
  } finally {
    await close();
  }
}

const quantile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
};

async function latency(mode: DatabaseMode, queries: LabelledQuery[], chunks: number): Promise<void> {
  const { services, close } = await open(mode);
  try {
    await indexBrandPages(services);
    const t0 = performance.now();
    const added = await synthesiseCorpus(services.database, embedder, chunks, NOW);
    const n = (
      await services.database.sql<{ n: number }[]>`select count(*)::int as n from content_chunks`
    )[0]!.n;
    say(
      `\nLatency on the ${mode} database: ${n} chunks (${added} synthetic), loaded and indexed in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    );
    // Warm up each branch (index pages into the cache), then time every question once per branch.
    for (const b of BRANCHES) for (const q of queries.slice(0, 5)) await search(services, q.question, b);
    const base: number[] = [];
    for (const b of ['text', 'vector', 'hybrid', 'reranked'] as const) {
      const ms: number[] = [];
      for (const q of queries) {
        const s = performance.now();
        await search(services, q.question, b);
        ms.push(performance.now() - s);
      }
      if (b === 'text') base.push(...ms);
      const ratio =
        b === 'text' ? '(baseline)' : `${(quantile(ms, 0.5) / quantile(base, 0.5)).toFixed(2)} × text p50`;
      say(
        `  ${b.padEnd(8)} p50 ${quantile(ms, 0.5).toFixed(1).padStart(7)} ms   p99 ${quantile(ms, 0.99).toFixed(1).padStart(7)} ms   ${ratio}`,
      );
    }
  } finally {
    await close();
  }
}

export async function main(args: string[]): Promise<void> {
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const parts = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
  const want = (p: string) => !parts.length || parts.includes(p);
  const modes = (flag('--modes')?.split(',') ?? ['embedded', 'server']) as DatabaseMode[];
  const chunks = Number(flag('--chunks') ?? 100_000);
  const queries = readQuerySet();
  if (want('quality')) for (const m of modes) await quality(m, queries);
  if (want('latency')) for (const m of modes) await latency(m, queries, chunks);
  if (want('generate')) {
    const { generationFigures } = await import('./content-generate.js');
    await generationFigures(say);
  }
}
