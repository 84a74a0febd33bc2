// The content corpus in both database modes: the embedded engine runs the pgvector HNSW path, the
// plain PostgreSQL server the exact real[] path. Same assertions on both; the path is named.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_MODES, createTestDatabase } from './helpers/databases.js';
import { openTestServices, type TestContext } from './helpers/services.js';
import { runCli } from './helpers/cli.js';
import { fromRoot } from '../src/platform/paths.js';
import { listDocumentFiles, readDocumentFile } from '../src/content/files.js';
import { addDocuments } from '../src/content/corpus.js';
import { createLocalEmbedder } from '../src/content/embed-local.js';
import { searchContent, type SearchOptions } from '../src/content/search.js';

const embedder = createLocalEmbedder();
const NOW = new Date('2026-12-01T00:00:00Z');
const PAGES = listDocumentFiles([fromRoot('fixtures/brand/pages')]);

describe.each(DATABASE_MODES)('content corpus on the %s database', (mode) => {
  let t: TestContext;
  const search = (query: string, extra: Partial<SearchOptions> = {}) =>
    searchContent(t.services.database, embedder, {
      query,
      brand: 'kettle-crane',
      access: ['public'],
      limit: 5,
      ...extra,
    });
  const count = async (table: string) =>
    (await t.services.database.sql.unsafe<{ n: number }[]>(`select count(*)::int as n from ${table}`))[0]!.n;

  beforeAll(async () => {
    t = await openTestServices(mode);
    const res = await addDocuments(
      t.services.database,
      embedder,
      PAGES.map((f) => readDocumentFile(f)),
      NOW,
    );
    expect(res.filter((r) => r.error)).toEqual([]);
  }, 120_000);
  afterAll(async () => t?.close());

  it('indexes every brand page and says which retrieval path runs, in /readyz too', async () => {
    expect(await count('content_documents')).toBe(PAGES.length);
    const a = await search('how hot should the water be for green tea');
    const expected = mode === 'embedded' ? 'pgvector-hnsw' : 'exact-fallback';
    expect(a.path).toBe(expected);
    expect(a.embedder).toBe('local-hash@1');
    const ready = (await (await t.request('/readyz')).json()) as {
      capabilities: { contentRetrieval: { reason: string } };
    };
    expect(ready.capabilities.contentRetrieval.reason.startsWith(expected)).toBe(true);
    const stored = await t.services.database.sql<{ embedder: string; dimension: number; n: number }[]>`
      select embedder, dimension, array_length(embedding, 1) as n from content_chunks limit 1`;
    expect(stored[0]).toEqual({ embedder: 'local-hash@1', dimension: 512, n: 512 });
  });

  it('finds the green tea guide for a question about water temperature, from both branches', async () => {
    const a = await search('how hot should the water be for green tea');
    expect(a.results[0]).toMatchObject({ documentUrl: '/guides/green-tea', vectorRank: 1 });
    expect(a.results[0]!.textRank).not.toBeNull();
    // RRF: the score is the sum of 1/(60 + rank) over the branches that returned the chunk.
    const r = a.results[0]!;
    expect(r.score).toBeCloseTo(1 / (60 + r.vectorRank!) + 1 / (60 + r.textRank!), 12);
    for (let i = 1; i < a.results.length; i++)
      expect(a.results[i]!.score).toBeLessThanOrEqual(a.results[i - 1]!.score);
  });

  it('re-ranks the fused head by BM25F on request: three rankings fused, the green tea guide still first', async () => {
    const plain = await search('how hot should the water be for green tea', { limit: 10 });
    const a = await search('how hot should the water be for green tea', { limit: 10, rerank: 'fields' });
    expect(plain.results[0]!.rerankRank).toBeUndefined();
    expect(a.results[0]!.documentUrl).toBe('/guides/green-tea');
    expect(a.results).toHaveLength(10);
    for (const r of a.results) {
      const term = (x: number | null | undefined) => (x == null ? 0 : 1 / (60 + x));
      expect(r.score).toBeCloseTo(term(r.vectorRank) + term(r.textRank) + term(r.rerankRank), 12);
    }
    for (let i = 1; i < a.results.length; i++)
      expect(a.results[i]!.score).toBeLessThanOrEqual(a.results[i - 1]!.score);
    // German chunks are weighed by the German configuration's lexemes.
    const de = await search('Wie lange muss Cold Brew im Kühlschrank ziehen?', { rerank: 'fields' });
    expect(de.results[0]!.documentUrl).toBe('/de/guides/cold-brew');
    expect(de.results[0]!.rerankRank).not.toBeNull();
  });

  it('answers German questions from the German edition through the German configuration', async () => {
    const a = await search('Wie lange muss Cold Brew im Kühlschrank ziehen?');
    expect(a.results[0]!.documentUrl).toBe('/de/guides/cold-brew');
    // "Rücksendungen" stems to the same lexeme as "Rücksendung" only under the German configuration.
    const b = await search('Rücksendungen', { branches: 'text' });
    expect(b.results.map((x) => x.documentUrl)).toEqual(['/de/returns']);
  });

  it('filters by access label and brand inside both branches', async () => {
    await addDocuments(
      t.services.database,
      embedder,
      [
        {
          url: '/internal/margins',
          text: '# Green tea margins\nGreen tea water temperature margin notes.',
          access: ['staff'],
        },
        { url: '/guides/green-tea', brand: 'other-brand', text: '# Green tea\nGreen tea water temperature.' },
      ],
      NOW,
    );
    const pub = await search('green tea water temperature margins', { limit: 50 });
    expect(pub.results.map((r) => r.documentUrl)).not.toContain('/internal/margins');
    expect(pub.results.every((r) => r.title !== 'Green tea')).toBe(true);
    const staff = await search('green tea water temperature margins', { access: ['staff'], limit: 50 });
    expect(staff.results.map((r) => r.documentUrl)).toEqual(['/internal/margins']);
  });

  it('replaces a changed document, keeps an unchanged one, and deleting leaves nothing behind', async () => {
    const key = await t.keyFor('editor');
    const send = async (text: string) =>
      (await (
        await t.request('/v1/content/documents', { key, json: { documents: [{ url: '/tmp/doc', text }] } })
      ).json()) as { results: { status: string; version: number; chunks: number }[] };
    expect((await send('# One\nfirst version about kettles\n# Two\nmore')).results[0]).toMatchObject({
      status: 'added',
      version: 1,
      chunks: 2,
    });
    expect((await send('# One\nfirst version about kettles\n# Two\nmore')).results[0]!.status).toBe(
      'unchanged',
    );
    expect((await send('# Only\nsecond version about zebras')).results[0]).toMatchObject({
      status: 'replaced',
      version: 2,
      chunks: 1,
    });
    const texts = await t.services.database.sql<{ text: string }[]>`
      select c.text from content_chunks c join content_documents d on d.id = c.document_id where d.url = '/tmp/doc'`;
    expect(texts.map((x) => x.text)).toEqual(['second version about zebras']);
    const before = await count('content_chunks');
    const del = await t.request('/v1/content/documents?url=%2Ftmp%2Fdoc', { key, method: 'DELETE' });
    expect(await del.json()).toEqual({ url: '/tmp/doc', chunks: 1 });
    expect(await count('content_chunks')).toBe(before - 1);
    const traces = await t.services.database.sql`
      select 1 from content_documents d where d.url = '/tmp/doc'
      union all select 1 from content_chunks c where c.text like '%zebras%'`;
    expect(traces).toHaveLength(0);
    expect(
      (await t.request('/v1/content/documents?url=%2Ftmp%2Fdoc', { key, method: 'DELETE' })).status,
    ).toBe(404);
  });

  it('stores the good documents of a batch and names the field of each bad one', async () => {
    const key = await t.keyFor('editor');
    const res = await t.request('/v1/content/documents', {
      key,
      json: {
        documents: [
          { url: '/batch/ok', text: '# Fine\nA good document.' },
          { url: '/batch/bad', text: '' },
          { text: '# No url\nand no front matter' },
          { url: '/batch/lang', text: 'x', language: 'fr' },
        ],
      },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      results: { index: number }[];
      errors: { index: number; detail: string }[];
    };
    expect(body.results.map((r) => r.index)).toEqual([0]);
    expect(body.errors.map((e) => [e.index, e.detail.split(':')[0]])).toEqual([
      [1, 'text'],
      [2, 'url'],
      [3, 'language'],
    ]);
    const bad = await t.request('/v1/content/search', { key, json: { query: '', limit: 500 } });
    expect(bad.status).toBe(400);
    const problem = (await bad.json()) as { errors: { path: string }[] };
    expect(problem.errors.map((e) => e.path).sort()).toEqual(['limit', 'query']);
    expect(
      (
        await t.request('/v1/content/documents', {
          key: await t.keyFor('marketer'),
          json: { documents: [{}] },
        })
      ).status,
    ).toBe(403);
  });

  it('erasure deletes chunks that mention any of the person’s ids', async () => {
    await addDocuments(
      t.services.database,
      embedder,
      [
        {
          url: '/notes/case',
          text: '# Case\nCustomer cust-erase-42a asked about grinders.\n# Other\nGrinders.',
        },
      ],
      NOW,
    );
    const res = await t.request('/v1/users/cust-erase-42a', {
      key: await t.keyFor('admin'),
      method: 'DELETE',
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { deleted: Record<string, number> }).deleted.content_chunks).toBe(1);
    const left = await t.services.database
      .sql`select 1 from content_chunks where text like '%cust-erase-42a%'`;
    expect(left).toHaveLength(0);
  });
});

describe('attune content (CLI)', () => {
  it('adds a folder and prints search results as the documented JSON', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attune-content-'));
    const db = await createTestDatabase('server');
    const env = { DATABASE_URL: db.config.database.mode === 'server' ? db.config.database.url : '' };
    try {
      const add = await runCli(['content', 'add', fromRoot('fixtures/brand/pages/de')], env, 120_000);
      expect(add.stderr).toBe('');
      expect(add.code).toBe(0);
      expect(add.stdout).toContain('5 of 5 documents stored');
      const s = await runCli(
        ['content', 'search', 'grüner', 'Tee', 'Wasser', '--limit', '2', '--json'],
        env,
        120_000,
      );
      expect(s.code).toBe(0);
      const out = JSON.parse(s.stdout) as { results: Record<string, unknown>[] };
      expect(out.results).toHaveLength(2);
      expect(Object.keys(out.results[0]!)).toEqual([
        'documentUrl',
        'headingPath',
        'text',
        'score',
        'vectorRank',
        'textRank',
      ]);
      expect(out.results[0]!.documentUrl).toBe('/de/guides/green-tea');
      const bad = await runCli(['content', 'search', 'x', '--limit', '0'], env);
      expect(bad.code).toBe(2);
    } finally {
      await db.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});

describe('a bulk load on the embedded database (pgvector)', () => {
  const contexts: TestContext[] = [];
  afterAll(async () => Promise.all(contexts.map((c) => c.close())));

  it('drops the HNSW index, stores every chunk, builds the index once, and finds what a row-by-row load finds', async () => {
    const load = async (bulkFrom: number) => {
      const t = await openTestServices('embedded');
      contexts.push(t);
      const seen: number[][] = [];
      const res = await addDocuments(
        t.services.database,
        embedder,
        PAGES.map((f) => readDocumentFile(f)),
        NOW,
        { bulkFrom, onProgress: (done, total) => seen.push([done, total]) },
      );
      expect(res.filter((r) => r.error)).toEqual([]);
      expect(res.map((r) => r.index)).toEqual(PAGES.map((_, i) => i));
      expect(seen.at(-1)![0]).toBe(seen.at(-1)![1]);
      const indexes = await t.services.database.sql<{ n: number }[]>`
        select count(*)::int as n from pg_indexes where tablename = 'content_chunks' and indexdef ilike '%hnsw%'`;
      expect(indexes[0]!.n).toBe(1);
      const ask = (query: string) =>
        searchContent(t.services.database, embedder, {
          query,
          brand: 'kettle-crane',
          access: ['public'],
          limit: 5,
          branches: 'vector',
        });
      // The plan walks the index (not an exact scan left over from the load).
      const plan = await t.services.database.sql.unsafe<{ 'QUERY PLAN': string }[]>(
        `explain select id from content_chunks where embedder = 'local-hash@1'
         order by (embedding::vector(512)) <=> (select embedding::vector(512) from content_chunks limit 1) limit 5`,
      );
      expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/hnsw/i);
      return Promise.all(
        [
          'how hot should the water be for green tea',
          'Wie lange muss Cold Brew ziehen?',
          'returns policy',
        ].map(async (q) => (await ask(q)).results.map((r) => [r.documentUrl, r.headingPath.join(' > ')])),
      );
    };
    const bulk = await load(1);
    const rowByRow = await load(Number.MAX_SAFE_INTEGER);
    expect(bulk[0]![0]![0]).toBe('/guides/green-tea');
    expect(bulk).toEqual(rowByRow);
  }, 120_000);
});
