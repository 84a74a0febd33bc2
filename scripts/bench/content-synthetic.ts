// Synthetic brand-like chunks for the latency benchmark: sections whose words are drawn (seeded) from
// the brand pages' own vocabulary, so both branches see realistic term statistics, in documents of
// SECTIONS_PER_DOCUMENT sections each, added through the same path as real documents (one batch).
import type { Database } from '../../src/platform/db/client.js';
import type { Embedder } from '../../src/content/embedder.js';
import { addDocuments } from '../../src/content/corpus.js';
import { listDocumentFiles, readDocumentFile } from '../../src/content/files.js';
import { fromRoot } from '../../src/platform/paths.js';

const SECTIONS_PER_DOCUMENT = 200;
const WORDS_PER_SECTION = 80;

/** mulberry32: a small seeded generator, so every run builds the same corpus. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function synthesiseCorpus(
  database: Database,
  embedder: Embedder,
  chunks: number,
  now: Date,
): Promise<number> {
  const vocabulary = listDocumentFiles([fromRoot('fixtures/brand/pages')])
    .flatMap((f) => readDocumentFile(f).text.split(/\s+/))
    .filter((w) => /^[\p{L}][\p{L}'-]*[\p{L}]$/u.test(w));
  const random = rng(17);
  const word = () => vocabulary[Math.floor(random() * vocabulary.length)]!;
  // One batch, as a site import would arrive: the corpus service loads it in bulk (HNSW built once).
  const documents: { url: string; text: string; language: 'en' }[] = [];
  let made = 0;
  for (let d = 0; made < chunks; d++) {
    const sections: string[] = [];
    for (let s = 0; s < SECTIONS_PER_DOCUMENT && made < chunks; s++, made++)
      sections.push(
        `## ${word()} ${word()} ${s}\n${Array.from({ length: WORDS_PER_SECTION }, word).join(' ')}.`,
      );
    documents.push({
      url: `/synthetic/${d}`,
      text: `# Synthetic ${d}\n${sections.join('\n\n')}`,
      language: 'en',
    });
  }
  let shown = 0;
  const res = await addDocuments(database, embedder, documents, now, {
    onProgress: (done, total) => {
      if (done - shown < total / 10 && done < total) return;
      shown = done;
      process.stderr.write(`  loading synthetic chunks: ${done} of ${total}\n`);
    },
  });
  const bad = res.find((r) => r.error);
  if (bad) throw new Error(bad.error);
  return made;
}
