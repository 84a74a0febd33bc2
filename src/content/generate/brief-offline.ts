// The offline composer for SEO briefs: title, H1 and meta description options from templates filled
// with the keyword and the top passages' titles, and an outline with one H2 per source document (its
// sentences as points, each citing its passage). Deterministic; `skip` drops options already refused.
import type { OutlineSection, SeoBrief } from '../seo/brief-schema.js';
import { quotableSentences, topicOf, type Source } from './sources.js';

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function fit(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max + 1).replace(/\s+\S*$/, '');
  return cut.replace(/[\s,;:–-]+$/, '');
}

const TEMPLATES = {
  en: {
    titles: ['{K}: {T}', '{K} | {B}', '{T} | {B}', '{K}: a guide from {B}', '{K}, step by step'],
    h1s: ['{K}', '{K}: what to know', '{T}', 'How to get {k} right'],
  },
  de: {
    titles: ['{K}: {T}', '{K} | {B}', '{T} | {B}', '{K}: ein Ratgeber von {B}', '{K} Schritt für Schritt'],
    h1s: ['{K}', '{K}: das Wichtigste', '{T}', '{K} richtig gemacht'],
  },
} as const;

export function offlineOptions(
  field: 'titles' | 'h1s' | 'metaDescriptions',
  keyword: string,
  language: 'en' | 'de',
  brand: string,
  sources: readonly Source[],
  skip: ReadonlySet<string>,
): string[] {
  const topTitle = sources[0] ? topicOf(sources[0]) : keyword;
  const fill = (t: string) =>
    t.replace('{K}', cap(keyword)).replace('{k}', keyword).replace('{T}', topTitle).replace('{B}', brand);
  let out: string[];
  if (field === 'metaDescriptions') {
    out = [];
    for (const s of sources) {
      let text = '';
      for (const sentence of quotableSentences(s.text, 155)) {
        if ((text + ' ' + sentence).trim().length > 155) break;
        text = (text + ' ' + sentence).trim();
      }
      // 70–155 characters is the aim (the score warns outside it); a shorter complete sentence beats none.
      if (text.length >= 50) out.push(text);
    }
  } else {
    out = TEMPLATES[language][field].map((t) => fit(fill(t), field === 'titles' ? 60 : 70));
  }
  return [...new Set(out)].filter((o) => !skip.has(o)).slice(0, 3);
}

/** One H2 per source document, in retrieval order, with up to three sentences each as cited points. */
export function offlineOutline(
  sources: readonly Source[],
  questions: SeoBrief['questions'],
  language: 'en' | 'de',
  maxSections = 5,
): OutlineSection[] {
  const byDoc = new Map<string, Source[]>();
  for (const s of sources) byDoc.set(s.documentUrl, [...(byDoc.get(s.documentUrl) ?? []), s]);
  const sections: OutlineSection[] = [];
  const used = new Set<string>();
  for (const group of [...byDoc.values()].slice(0, maxSections)) {
    const first = group[0]!;
    const points = group
      .flatMap((s) => quotableSentences(s.text, 250).map((text) => ({ text, sources: [s.id] })))
      .filter((p) => p.text.length >= 20 && !p.text.endsWith('?') && !used.has(p.text))
      .slice(0, 3);
    for (const p of points) used.add(p.text);
    if (points.length) sections.push({ heading: topicOf(first), points, subsections: [] });
  }
  if (questions.length)
    sections.push({
      heading: language === 'de' ? 'Häufige Fragen' : 'Questions readers ask',
      points: [],
      subsections: questions.map((q) => ({
        heading: q.text,
        points: answerPoint(q, sources),
      })),
    });
  return sections;
}

/** The sentence after a question in its source passage (FAQ pages put the answer there). */
export function answerOf(
  question: string,
  sources: readonly Source[],
): { text: string; source: string } | null {
  for (const s of sources) {
    const at = s.text.indexOf(question);
    if (at < 0) continue;
    const rest = s.text.slice(at + question.length).trim();
    const answer = rest.match(/^[^?]*?[.!](?=\s|$)/)?.[0].trim();
    if (answer && answer.length >= 2) return { text: answer, source: s.id };
  }
  return null;
}

const answerPoint = (q: { text: string }, sources: readonly Source[]) => {
  const a = answerOf(q.text, sources);
  return a ? [{ text: a.text, sources: [a.source] }] : [];
};
