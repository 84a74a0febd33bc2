// The deterministic parts of an SEO brief, computed from the brand's passages and the competitor pages
// the editor supplies: search intent, terms with target mention ranges, entities, questions, the
// word-count range, and schema.org JSON-LD from a whitelist of types. Pure: text in, values out.
import type { Intent, SeoBrief } from './brief-schema.js';

const STOP = new Set(
  (
    'a an and are as at be by can do does for from how i if in is it its my of on or our so than that the their then ' +
    'there these this to too was we what when where which who why will with you your yours us they them more most ' +
    'all any each every not no one two into out up about also just only very much many should would could may ' +
    'der die das den dem des ein eine einen einem einer und oder ist sind wie was wo wann warum für mit von zu zum ' +
    'zur im in am an auf aus bei nach über unter ich du sie es wir ihr mein meine sollte soll kann können man nicht ' +
    'auch noch nur sich ihren ihre ihrem sein seine wird werden haben hat'
  ).split(' '),
);

export const wordsOf = (text: string): string[] =>
  (text.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? []).map((w) => w.replace(/['’-]+$/, ''));

const contentWords = (text: string) => wordsOf(text).filter((w) => w.length > 2 && !STOP.has(w));

export function classifyIntent(keyword: string, brandNames: readonly string[]): Intent {
  const k = keyword.toLowerCase();
  if (
    brandNames.some((b) => k.includes(b.toLowerCase())) &&
    /\b(login|account|contact|support|kontakt)\b/.test(k)
  )
    return 'navigational';
  if (/\b(buy|order|price|prices|shop|coupon|deal|cheap|kaufen|bestellen|preis)\b/.test(k))
    return 'transactional';
  if (
    /\b(best|vs|versus|review|reviews|compare|comparison|top|alternative|alternatives|test|vergleich)\b/.test(
      k,
    )
  )
    return 'commercial';
  return 'informational';
}

export type TextSource = { id: string; text: string; origin: 'brand' | 'competitor' };

/**
 * Terms worth covering: content words and two-word phrases found in at least two sources (or in the
 * keyword), ranked by how many sources use them. A sentence repeated word for word across sources
 * (product-page boilerplate) counts once. The target range is half to one and a half times the term's
 * rate per 1,000 words over all the sources, scaled to the brief's target length (at least one mention).
 */
export function extractTerms(
  keyword: string,
  sources: readonly TextSource[],
  targetWords: number,
  limit = 15,
): SeoBrief['terms'] {
  const keywordWords = new Set(contentWords(keyword));
  const stats = new Map<string, { df: number; tf: number; from: Set<'brand' | 'competitor'> }>();
  const seenSentences = new Set<string>();
  let totalWords = 0;
  for (const s of sources) {
    const fresh = (s.text.match(/[^.!?\n]+[.!?]?/g) ?? []).filter((x) => {
      const k = x.trim().toLowerCase();
      if (!k || seenSentences.has(k)) return false;
      seenSentences.add(k);
      return true;
    });
    const text = fresh.join(' ');
    totalWords += wordsOf(text).length;
    const words = contentWords(text);
    const counts = new Map<string, number>();
    words.forEach((w, i) => {
      counts.set(w, (counts.get(w) ?? 0) + 1);
      if (i > 0) counts.set(`${words[i - 1]} ${w}`, (counts.get(`${words[i - 1]} ${w}`) ?? 0) + 1);
    });
    for (const [term, tf] of counts) {
      const st = stats.get(term) ?? { df: 0, tf: 0, from: new Set() };
      st.df++;
      st.tf += tf;
      st.from.add(s.origin);
      stats.set(term, st);
    }
  }
  const isKeyword = (t: string) => t.split(' ').every((w) => keywordWords.has(w));
  return [...stats.entries()]
    .filter(([t, s]) => s.df >= 2 || isKeyword(t))
    .sort(
      (a, b) =>
        Number(isKeyword(b[0])) - Number(isKeyword(a[0])) ||
        b[1].df - a[1].df ||
        b[1].tf - a[1].tf ||
        (a[0] < b[0] ? -1 : 1),
    )
    .slice(0, limit)
    .map(([term, s]) => {
      const expected = (s.tf / Math.max(1, totalWords)) * targetWords;
      const min = Math.max(1, Math.round(expected * 0.5));
      return {
        term,
        min,
        max: Math.max(min, Math.round(expected * 1.5)),
        from: [...(isKeyword(term) ? (['keyword'] as const) : []), ...[...s.from].sort()],
      };
    });
}

export function extractEntities(
  sources: readonly TextSource[],
  brand: string,
  productNames: readonly string[],
): SeoBrief['entities'] {
  const all = sources.map((s) => s.text).join('\n');
  const lower = all.toLowerCase();
  const out: SeoBrief['entities'] = [];
  if (lower.includes(brand.toLowerCase())) out.push({ name: brand, kind: 'brand' });
  for (const p of productNames) if (lower.includes(p.toLowerCase())) out.push({ name: p, kind: 'product' });
  const names = new Map<string, number>();
  // Capitalised runs of two or more words not at a sentence start: places, varieties, other names.
  for (const m of all.matchAll(/(?<=[a-z,;:] )([A-Z][\p{L}]+(?: [A-Z][\p{L}]+)+)/gu))
    names.set(m[1]!, (names.get(m[1]!) ?? 0) + 1);
  for (const [name] of [...names.entries()].sort((a, b) => b[1] - a[1]))
    if (!out.some((e) => e.name.toLowerCase() === name.toLowerCase()) && out.length < 20)
      out.push({ name, kind: 'name' });
  return out;
}

/** Questions the sources ask (FAQ pages, competitor pages) that share a content word with the keyword. */
export function extractQuestions(
  keyword: string,
  sources: readonly TextSource[],
  limit = 8,
): SeoBrief['questions'] {
  const kw = new Set(contentWords(keyword));
  const out: SeoBrief['questions'] = [];
  for (const s of sources)
    for (const m of s.text.matchAll(/[^.!?\n]*\?/g)) {
      const q = m[0].trim();
      if (q.length < 8 || out.some((o) => o.text === q)) continue;
      if (contentWords(q).some((w) => kw.has(w)))
        out.push({ text: q, source: s.origin === 'brand' ? s.id : null });
    }
  return out.slice(0, limit);
}

const round50 = (x: number) => Math.max(50, Math.round(x / 50) * 50);
/** Typical lengths by intent when no competitor page is supplied. */
const DEFAULT_WORDS: Record<Intent, [number, number]> = {
  informational: [800, 1200],
  commercial: [1000, 1600],
  transactional: [300, 700],
  navigational: [150, 400],
};

export function wordCountRange(
  intent: Intent,
  competitorWordCounts: readonly number[],
): SeoBrief['wordCount'] {
  if (!competitorWordCounts.length) {
    const [min, max] = DEFAULT_WORDS[intent];
    return { min, max, basis: `typical for ${intent} pages (no competitor page supplied)` };
  }
  const sorted = [...competitorWordCounts].sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  return {
    min: round50(median * 0.8),
    max: round50(Math.max(median * 1.2, sorted.at(-1)!)),
    basis: `competitor pages supplied (${sorted.join(', ')} words; median ${median})`,
  };
}

/** schema.org types a brief may carry; nested objects may use NESTED_TYPES. */
export const JSON_LD_TYPES = ['Article', 'FAQPage', 'HowTo', 'Product', 'BreadcrumbList'] as const;
const NESTED_TYPES = new Set([
  'Organization',
  'Question',
  'Answer',
  'Offer',
  'HowToStep',
  'ListItem',
  'Brand',
]);

export function jsonLdProblems(items: readonly Record<string, unknown>[]): string[] {
  const problems: string[] = [];
  const walk = (v: unknown, path: string, top: boolean) => {
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${path}[${i}]`, false));
    if (!v || typeof v !== 'object') return;
    const type = (v as Record<string, unknown>)['@type'];
    if (type !== undefined) {
      const ok = top
        ? (JSON_LD_TYPES as readonly unknown[]).includes(type)
        : typeof type === 'string' && NESTED_TYPES.has(type);
      if (!ok) problems.push(`${path}: @type ${JSON.stringify(type)} is not on the whitelist`);
    } else if (top) problems.push(`${path}: @type is required`);
    for (const [k, x] of Object.entries(v)) if (k !== '@type') walk(x, `${path}.${k}`, false);
  };
  items.forEach((item, i) => {
    if (item['@context'] !== 'https://schema.org')
      problems.push(`jsonLd[${i}]: @context must be https://schema.org`);
    walk(item, `jsonLd[${i}]`, true);
  });
  return problems;
}

export function buildJsonLd(input: {
  brief: Pick<SeoBrief, 'keyword' | 'titles' | 'language' | 'outline'>;
  intent: Intent;
  brand: string;
  answered: { question: string; answer: string }[];
  product?: { name: string; price: number; currency: string };
}): Record<string, unknown>[] {
  const ctx = 'https://schema.org';
  const out: Record<string, unknown>[] = [
    {
      '@context': ctx,
      '@type': 'Article',
      headline: input.brief.titles[0],
      inLanguage: input.brief.language,
      publisher: { '@type': 'Organization', name: input.brand },
    },
  ];
  if (input.answered.length)
    out.push({
      '@context': ctx,
      '@type': 'FAQPage',
      mainEntity: input.answered.map((q) => ({
        '@type': 'Question',
        name: q.question,
        acceptedAnswer: { '@type': 'Answer', text: q.answer },
      })),
    });
  if (/\b(how to|brew|make|anleitung|zubereiten)\b/i.test(input.brief.keyword))
    out.push({
      '@context': ctx,
      '@type': 'HowTo',
      name: input.brief.titles[0],
      step: input.brief.outline.map((s, i) => ({ '@type': 'HowToStep', position: i + 1, name: s.heading })),
    });
  if (input.product)
    out.push({
      '@context': ctx,
      '@type': 'Product',
      name: input.product.name,
      brand: { '@type': 'Brand', name: input.brand },
      offers: {
        '@type': 'Offer',
        price: input.product.price.toFixed(2),
        priceCurrency: input.product.currency,
      },
    });
  return out;
}
