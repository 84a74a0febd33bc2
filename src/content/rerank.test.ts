import { describe, expect, it } from 'vitest';
import { bm25f, fuseWith, ranksOf, type FieldStats } from './rerank.js';

describe('BM25F re-ranking', () => {
  // Worked by hand with k1 1.2, b 0.75, heading weight 2: average heading length 2, text length 20.
  // A: tea  tf~ = 2·1/1 + 2/(0.25 + 0.75·10/20) = 5.2 → 2 · 5.2/6.4 = 1.625
  //    green tf~ = 1/0.625 = 1.6 → 1 · 1.6/2.8 = 0.571428…            total 2.196428…
  // B: green tf~ = 1/(0.25 + 0.75·30/20) = 8/11 → (8/11)/(1.2 + 8/11) = 8/21.2 = 0.377358…
  const stats: FieldStats[] = [
    {
      id: 'a',
      headingTf: { 'en:tea': 1 },
      headingLength: 2,
      textTf: { 'en:tea': 2, 'en:green': 1 },
      textLength: 10,
    },
    { id: 'b', headingTf: {}, headingLength: 2, textTf: { 'en:green': 1, 'en:coffee': 4 }, textLength: 30 },
  ];
  const idf = { 'en:tea': 2, 'en:green': 1 };

  it('scores each candidate as the closed form gives', () => {
    const s = bm25f(stats, idf);
    expect(s.get('a')).toBeCloseTo(1.625 + 1.6 / 2.8, 12);
    expect(s.get('b')).toBeCloseTo(8 / 21.2, 12);
  });

  it('gives no weight to a term without an idf (a stop word, or a term of the other language)', () => {
    const s = bm25f(stats, { 'de:tee': 3 });
    expect([...s.values()]).toEqual([0, 0]);
    expect(ranksOf(s).size).toBe(0);
  });

  it('fuses the branch ranks with the re-ranker rank by reciprocal rank fusion', () => {
    const out = fuseWith(
      [
        { id: 'b', vectorRank: 1, textRank: null },
        { id: 'a', vectorRank: 2, textRank: 1 },
      ],
      ranksOf(bm25f(stats, idf)),
      60,
    );
    expect(out.map((o) => o.id)).toEqual(['a', 'b']);
    expect(out[0]).toEqual({ id: 'a', score: 1 / 62 + 1 / 61 + 1 / 61, rerankRank: 1 });
    expect(out[1]).toEqual({ id: 'b', score: 1 / 61 + 1 / 62, rerankRank: 2 });
  });
});
