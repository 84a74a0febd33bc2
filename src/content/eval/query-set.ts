// The labelled query set for the simulated brand (fixtures/content/queries.jsonl; its README says how
// the labels were made): questions in English and German, each with its relevant chunks named by
// document URL and heading path.
import fs from 'node:fs';
import { z } from 'zod';
import { fromRoot } from '../../platform/paths.js';
import { chunkKey } from './metrics.js';

export const LabelledQuerySchema = z.strictObject({
  id: z.string().regex(/^(en|de)-\d+$/),
  language: z.enum(['en', 'de']),
  question: z.string().min(3),
  relevant: z.array(z.strictObject({ url: z.string().min(1), heading: z.string() })).min(1),
});
export type LabelledQuery = z.infer<typeof LabelledQuerySchema> & { relevantKeys: Set<string> };

export const QUERY_SET_FILE = 'fixtures/content/queries.jsonl';

export function readQuerySet(file = fromRoot(QUERY_SET_FILE)): LabelledQuery[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((line, i) => {
      const parsed = LabelledQuerySchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.issues[0]!.message}`);
      return {
        ...parsed.data,
        relevantKeys: new Set(parsed.data.relevant.map((r) => chunkKey(r.url, r.heading))),
      };
    });
}
