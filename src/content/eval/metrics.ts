// Retrieval quality over a labelled query set: recall@k and MRR@k. Pure: ranked ids and labels in,
// numbers out. A chunk is identified stably by its document URL and heading path, not by its row id,
// so labels survive re-indexing.

/** "url#Heading > Subheading": the stable name of a labelled chunk. */
export const chunkKey = (url: string, headingPath: readonly string[] | string): string =>
  `${url}#${typeof headingPath === 'string' ? headingPath : headingPath.join(' > ')}`;

/** Share of the relevant chunks found in the first k (|relevant ∩ top k| / |relevant|). */
export function recallAt(k: number, ranked: readonly string[], relevant: ReadonlySet<string>): number {
  if (!relevant.size) throw new Error('a labelled query needs at least one relevant chunk');
  const top = new Set(ranked.slice(0, k));
  let hit = 0;
  for (const r of relevant) if (top.has(r)) hit++;
  return hit / relevant.size;
}

/** 1 / rank of the first relevant chunk within the first k, else 0. */
export function reciprocalRankAt(
  k: number,
  ranked: readonly string[],
  relevant: ReadonlySet<string>,
): number {
  const i = ranked.slice(0, k).findIndex((r) => relevant.has(r));
  return i < 0 ? 0 : 1 / (i + 1);
}

export type QualityFigures = { queries: number; recallAt5: number; mrrAt10: number; missed: string[] };

/** Mean recall@5 and MRR@10 over queries; `missed` lists the ids with recall@5 below 1. */
export function qualityFigures(
  runs: readonly { id: string; ranked: readonly string[]; relevant: ReadonlySet<string> }[],
): QualityFigures {
  let recall = 0;
  let mrr = 0;
  const missed: string[] = [];
  for (const r of runs) {
    const rec = recallAt(5, r.ranked, r.relevant);
    recall += rec;
    mrr += reciprocalRankAt(10, r.ranked, r.relevant);
    if (rec < 1) missed.push(r.id);
  }
  const n = runs.length || 1;
  return { queries: runs.length, recallAt5: recall / n, mrrAt10: mrr / n, missed };
}
