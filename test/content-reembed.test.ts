// Re-embedding (job `content.reembed`): after the embedder changes, every chunk stored with the old
// one gets the new one's vector in place, the vector branch finds them again, and a second run has
// nothing to do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_MODES } from './helpers/databases.js';
import { openTestServices, type TestContext } from './helpers/services.js';
import { fromRoot } from '../src/platform/paths.js';
import { createLogger } from '../src/platform/log.js';
import { listDocumentFiles, readDocumentFile } from '../src/content/files.js';
import { addDocuments } from '../src/content/corpus.js';
import { createLocalEmbedder } from '../src/content/embed-local.js';
import { searchContent } from '../src/content/search.js';
import { embeddingText } from '../src/content/store.js';
import type { Embedder } from '../src/content/types.js';
import { createJobRegistry } from '../src/job-types.js';

const PAGES = listDocumentFiles([fromRoot('fixtures/brand/pages')]).slice(0, 6);
const NOW = new Date('2026-11-01T00:00:00Z');
const before = createLocalEmbedder();
/** Another embedder: the local vectors with their components reversed (so every vector differs). */
const after: Embedder = {
  ...before,
  name: 'reversed-local',
  version: 'test-1',
  embed: async (texts) => (await before.embed(texts)).map((v) => [...v].reverse()),
};

describe.each(DATABASE_MODES)('re-embedding the corpus on the %s database', (mode) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await openTestServices(mode);
    const res = await addDocuments(
      t.services.database,
      before,
      PAGES.map((f) => readDocumentFile(f)),
      NOW,
    );
    expect(res.filter((r) => r.error)).toEqual([]);
  }, 120_000);
  afterAll(async () => t?.close());

  it('gives every chunk the new embedder’s vector, in place, and a second run has nothing to do', async () => {
    const { sql } = t.services.database;
    const ids = (await sql<{ id: string }[]>`select id from content_chunks order by id`).map((r) => r.id);
    const vectorHits = async () =>
      (
        await searchContent(t.services.database, after, {
          query: 'water temperature for green tea',
          brand: 'kettle-crane',
          access: ['public'],
          limit: 5,
        })
      ).results.filter((r) => r.vectorRank !== null).length;
    expect(await vectorHits()).toBe(0); // no chunk has a vector of the new embedder yet

    const jobs = createJobRegistry(
      t.services.database,
      () => NOW,
      '/tmp',
      () => after,
    );
    const r = (await jobs.runInline('content.reembed', {}, createLogger('silent'))) as {
      documents: number;
      chunks: number;
    };
    expect(r.documents).toBe(PAGES.length);
    expect(r.chunks).toBe(ids.length);

    const rows = await sql<
      {
        id: string;
        embedder: string;
        embedding: number[];
        heading_path: string[];
        text: string;
        title: string;
      }[]
    >`select c.id, c.embedder, c.embedding, c.heading_path, c.text, d.title
      from content_chunks c join content_documents d on d.id = c.document_id order by c.id`;
    expect(rows.map((x) => x.id)).toEqual(ids); // the same chunks, updated in place
    const expected = await after.embed(
      rows.map((x) => embeddingText({ headingPath: x.heading_path, text: x.text }, x.title)),
    );
    rows.forEach((x, i) => {
      expect(x.embedder).toBe('reversed-local@test-1');
      expect(x.embedding.length).toBe(after.dimension);
      x.embedding.forEach((v, j) => expect(v).toBeCloseTo(expected[i]![j]!, 5));
    });
    expect(await vectorHits()).toBeGreaterThan(0);

    const again = (await jobs.runInline('content.reembed', {}, createLogger('silent'))) as {
      documents: number;
    };
    expect(again.documents).toBe(0);
  });
});
