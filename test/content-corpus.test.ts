import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_MODES } from './helpers/databases.js';
import { openTestServices, type TestContext } from './helpers/services.js';
import { fromRoot } from '../src/platform/paths.js';
import { listDocumentFiles, readDocumentFile } from '../src/content/files.js';
import { addDocuments } from '../src/content/corpus.js';
import { createLocalEmbedder } from '../src/content/embed-local.js';
import { searchContent } from '../src/content/search.js';
import { deleteDocument } from '../src/content/store.js';

const embedder = createLocalEmbedder();
const NOW = new Date('2026-12-01T00:00:00Z');

describe.each(DATABASE_MODES)('content corpus on the %s database', (mode) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await openTestServices(mode);
    const files = listDocumentFiles([fromRoot('fixtures/brand/pages')]);
    const res = await addDocuments(
      t.services.database,
      embedder,
      files.map((f) => readDocumentFile(f)),
      NOW,
    );
    expect(res.filter((r) => r.error)).toEqual([]);
  }, 120_000);
  afterAll(async () => t?.close());

  it('finds the green tea guide for a question about water temperature, from both branches', async () => {
    const a = await searchContent(t.services.database, embedder, {
      query: 'how hot should the water be for green tea',
      brand: 'kettle-crane',
      access: ['public'],
      limit: 5,
    });
    expect(a.path).toBe(mode === 'embedded' ? 'pgvector-hnsw' : 'exact-fallback');
    expect(a.results[0]?.documentUrl).toBe('/guides/green-tea');
    expect(a.results[0]?.vectorRank).toBe(1);
    expect(a.results[0]?.textRank).not.toBeNull();
  });
});
