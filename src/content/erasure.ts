// Erasure reaches the index: PII is masked before indexing, but an id the recognisers cannot know
// (a user id, an anonymous id) may still sit in a document's text. Chunks that mention any of the
// person's ids are deleted.
import { like, or } from 'drizzle-orm';
import type { ErasureStep } from '../cdp/index.js';
import { contentChunks } from './tables.js';

/** Shorter ids would match ordinary words. */
const MIN_ID_LENGTH = 4;

export const CONTENT_ERASURE_STEPS: readonly ErasureStep[] = [
  {
    table: 'content_chunks',
    erase: async (tx, s) => {
      const ids = [...new Set([...s.ids, ...s.personIds])].filter((i) => i.length >= MIN_ID_LENGTH);
      if (!ids.length) return 0;
      const patterns = ids.map((i) => `%${i.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
      const rows = await tx
        .delete(contentChunks)
        .where(or(...patterns.flatMap((p) => [like(contentChunks.text, p), like(contentChunks.headings, p)])))
        .returning({ id: contentChunks.id });
      return rows.length;
    },
  },
];
