import { describe, expect, it } from 'vitest';
import { listDocumentFiles, readDocumentFile } from '../files.js';
import { DocumentInputSchema, prepareDocument } from '../document.js';
import { fromRoot } from '../../platform/paths.js';
import { chunkKey, qualityFigures, recallAt, reciprocalRankAt } from './metrics.js';
import { readQuerySet } from './query-set.js';

describe('retrieval metrics', () => {
  const rel = new Set(['a', 'b']);
  it('recall@k is the share of relevant chunks in the first k', () => {
    expect(recallAt(5, ['x', 'a', 'y', 'z', 'w', 'b'], rel)).toBe(0.5);
    expect(recallAt(6, ['x', 'a', 'y', 'z', 'w', 'b'], rel)).toBe(1);
    expect(() => recallAt(5, ['a'], new Set())).toThrow(/relevant/);
  });
  it('MRR@k uses the first relevant rank and is 0 beyond k', () => {
    expect(reciprocalRankAt(10, ['x', 'y', 'b', 'a'], rel)).toBeCloseTo(1 / 3, 12);
    expect(reciprocalRankAt(2, ['x', 'y', 'b'], rel)).toBe(0);
    const f = qualityFigures([
      { id: 'q1', ranked: ['a', 'b'], relevant: rel },
      { id: 'q2', ranked: ['x', 'a'], relevant: rel },
    ]);
    // q1: recall 1, RR 1; q2: recall 1/2, RR 1/2.
    expect(f).toEqual({ queries: 2, recallAt5: 0.75, mrrAt10: 0.75, missed: ['q2'] });
  });
});

describe('the labelled query set', () => {
  const queries = readQuerySet();
  it('has at least 60 questions in English and German with unique ids', () => {
    expect(queries.length).toBeGreaterThanOrEqual(60);
    expect(new Set(queries.map((q) => q.id)).size).toBe(queries.length);
    expect(queries.filter((q) => q.language === 'de').length).toBeGreaterThanOrEqual(20);
  });
  it('names only chunks that the brand pages really have (document URL + heading path)', () => {
    const known = new Set<string>();
    for (const f of listDocumentFiles([fromRoot('fixtures/brand/pages')])) {
      const d = prepareDocument(DocumentInputSchema.parse(readDocumentFile(f)));
      for (const c of d.chunks) known.add(chunkKey(d.url, c.headingPath));
    }
    const unknown = queries.flatMap((q) => [...q.relevantKeys].filter((k) => !known.has(k)));
    expect(unknown).toEqual([]);
  });
});
