// The brief's content score, 0–100, deterministic: the same brief always scores the same. It measures
// how completely the outline plans the page, not how it will rank:
//   terms 40     share of the brief's terms that the titles, H1s or outline mention
//   questions 20 share of the questions whose content words are mostly in an outline heading or point
//   sources 20   share of outline points that cite a source passage
//   metadata 20  5 each: a title of 30–60 characters, an H1 of at most 70, a meta description of
//                70–155, at least two internal links
import type { SeoBrief } from './brief-schema.js';
import { wordsOf } from './analysis.js';

export type ContentScore = {
  total: number;
  parts: { terms: number; questions: number; sources: number; metadata: number };
  warnings: string[];
};

const share = (hit: number, of: number) => (of === 0 ? 1 : hit / of);

export function contentScore(brief: SeoBrief): ContentScore {
  const outlineText = brief.outline
    .flatMap((s) => [
      s.heading,
      ...s.points.map((p) => p.text),
      ...s.subsections.flatMap((x) => [x.heading, ...x.points.map((p) => p.text)]),
    ])
    .join(' \n ');
  const planned = ` ${wordsOf([...brief.titles, ...brief.h1s, outlineText].join(' ')).join(' ')} `;
  const termHits = brief.terms.filter((t) => planned.includes(` ${wordsOf(t.term).join(' ')} `)).length;
  const outlineWords = new Set(wordsOf(outlineText));
  const questionHits = brief.questions.filter((q) => {
    const w = wordsOf(q.text).filter((x) => x.length > 3);
    return w.length > 0 && w.filter((x) => outlineWords.has(x)).length / w.length >= 0.5;
  }).length;
  const points = brief.outline.flatMap((s) => [...s.points, ...s.subsections.flatMap((x) => x.points)]);
  const cited = points.filter((p) => p.sources.length > 0).length;
  const warnings: string[] = [];
  const titleOk = brief.titles.some((t) => t.length >= 30 && t.length <= 60);
  const h1Ok = brief.h1s.some((h) => h.length <= 70);
  const metaOk = brief.metaDescriptions.some((m) => m.length >= 70 && m.length <= 155);
  const linksOk = brief.internalLinks.length >= 2;
  if (!titleOk)
    warnings.push('No title option is 30–60 characters; longer titles are usually cut in results.');
  if (!h1Ok) warnings.push('Every H1 option is over 70 characters.');
  if (!metaOk) warnings.push('No meta description option is 70–155 characters; longer ones are usually cut.');
  if (!linksOk) warnings.push('Fewer than two internal links.');
  const parts = {
    terms: 40 * share(termHits, brief.terms.length),
    questions: 20 * share(questionHits, brief.questions.length),
    sources: 20 * share(cited, points.length),
    metadata: 5 * [titleOk, h1Ok, metaOk, linksOk].filter(Boolean).length,
  };
  const round1 = (x: number) => Math.round(x * 10) / 10;
  return {
    total: Math.round(parts.terms + parts.questions + parts.sources + parts.metadata),
    parts: {
      terms: round1(parts.terms),
      questions: round1(parts.questions),
      sources: round1(parts.sources),
      metadata: parts.metadata,
    },
    warnings,
  };
}
