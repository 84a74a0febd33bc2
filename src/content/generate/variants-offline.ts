// The offline composer for creative variants: candidates cut from the retrieved passages themselves
// (titles, headings, sentences within the length limit) and from catalogue names with the price a passage
// states, each citing the passage it came from. Deterministic: the same passages give the same variants.
import type { Catalogue } from './brand-kit.js';
import { quotableSentences, topicOf, type Source } from './sources.js';

export type Candidate = { text: string; citations: string[] };

const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();

function round(lists: Candidate[][], limit: number, exclude: ReadonlySet<string>, n: number): Candidate[] {
  const out: Candidate[] = [];
  const seen = new Set<string>();
  for (let i = 0; out.length < n && lists.some((l) => i < l.length); i++)
    for (const l of lists) {
      const c = l[i];
      if (!c || out.length >= n) continue;
      const k = norm(c.text);
      if (c.text.length > limit || seen.has(k) || exclude.has(k)) continue;
      seen.add(k);
      out.push(c);
    }
  return out;
}

/** Short lines: document titles, headings, catalogue names with the stated price, short sentences. */
export function shortLines(sources: readonly Source[], catalogue: Catalogue, limit: number): Candidate[][] {
  return sources.map((s) => {
    const cite = [s.id];
    const out: Candidate[] = [];
    for (const h of new Set([topicOf(s), s.title])) out.push({ text: h, citations: cite });
    for (const p of catalogue.products)
      if (s.text.includes(p.name)) {
        const price = `$${p.price.toFixed(2)}`;
        if (s.text.includes(price)) out.push({ text: `${p.name}, ${price}`, citations: cite });
        out.push({ text: p.name, citations: cite });
      }
    for (const sentence of quotableSentences(s.text, limit)) out.push({ text: sentence, citations: cite });
    return out.filter((c) => c.text.length <= limit);
  });
}

/** Longer lines: whole sentences of the passages that fit the limit and say something (≥ 20 chars). */
export function sentenceLines(sources: readonly Source[], limit: number): Candidate[][] {
  return sources.map((s) =>
    quotableSentences(s.text, limit)
      .filter((t) => t.length >= 20 && !t.endsWith('?'))
      .map((text) => ({ text, citations: [s.id] })),
  );
}

export function composeOffline(
  field: { kind: 'short' | 'sentence'; limit: number },
  sources: readonly Source[],
  catalogue: Catalogue,
  n: number,
  exclude: ReadonlySet<string>,
): Candidate[] {
  const lists =
    field.kind === 'short'
      ? shortLines(sources, catalogue, field.limit)
      : sentenceLines(sources, field.limit);
  return round(lists, field.limit, exclude, n);
}

export const normaliseText = norm;
