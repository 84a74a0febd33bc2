// The optional re-ranking step after fusion. Pure: the search module gathers the inputs.
//
// `fields` re-scores the fused candidates by BM25F (Robertson & Zaragoza 2009) over two fields, the
// title with the heading path and the chunk's text, with the textbook constants (k1 1.2, b 0.75) and a
// heading field worth twice the text: neither branch sees where a term stands, and a chunk whose
// heading names the question's subject is usually the one that answers it. Term weights are the full-text
// branch's own inverse document frequencies over the whole filtered corpus; field lengths are normalised
// over the candidates. The new order is a reciprocal rank fusion of the three rankings (vector, full
// text, BM25F), so no weight between them is tuned.

/** Candidates re-scored: the head of the fused list, where a reorder changes what a reader sees. */
export const RERANK_DEPTH = 30;
export const BM25F = { k1: 1.2, b: 0.75, headingWeight: 2, textWeight: 1 } as const;
export const RERANKERS = ['none', 'fields'] as const;
export type RerankerName = (typeof RERANKERS)[number];

/** Per candidate: term frequencies per field, keyed `en:lexeme` / `de:lexeme` as the full-text branch keys its weights. */
export type FieldStats = {
  id: string;
  headingTf: Record<string, number>;
  headingLength: number;
  textTf: Record<string, number>;
  textLength: number;
};

export type Ranked = { id: string; vectorRank: number | null; textRank: number | null };

/** BM25F score per candidate id; `idf` maps a lexeme to its weight (absent: weight 0, a stop word). */
export function bm25f(stats: FieldStats[], idf: Record<string, number>): Map<string, number> {
  const mean = (xs: number[]) => Math.max(1, xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length));
  const avgHeading = mean(stats.map((s) => s.headingLength));
  const avgText = mean(stats.map((s) => s.textLength));
  const norm = (len: number, avg: number) => 1 - BM25F.b + (BM25F.b * len) / avg;
  const out = new Map<string, number>();
  for (const s of stats) {
    let score = 0;
    for (const [lexeme, w] of Object.entries(idf)) {
      const tf =
        (BM25F.headingWeight * (s.headingTf[lexeme] ?? 0)) / norm(s.headingLength, avgHeading) +
        (BM25F.textWeight * (s.textTf[lexeme] ?? 0)) / norm(s.textLength, avgText);
      if (tf > 0) score += (w * tf) / (BM25F.k1 + tf);
    }
    out.set(s.id, score);
  }
  return out;
}

/** Ranks 1..n by descending score (ties by id, as the SQL breaks them); zero scores get no rank. */
export function ranksOf(scores: Map<string, number>): Map<string, number> {
  const order = [...scores].filter(([, s]) => s > 0).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return new Map(order.map(([id], i) => [id, i + 1]));
}

/** Reciprocal rank fusion of the branches' ranks and one more ranking; best first, with the new score. */
export function fuseWith(
  candidates: Ranked[],
  extra: Map<string, number>,
  k: number,
): { id: string; score: number; rerankRank: number | null }[] {
  const term = (r: number | null | undefined) => (r == null ? 0 : 1 / (k + r));
  return candidates
    .map((c) => ({
      id: c.id,
      score: term(c.vectorRank) + term(c.textRank) + term(extra.get(c.id)),
      rerankRank: extra.get(c.id) ?? null,
    }))
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
}
