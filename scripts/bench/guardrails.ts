// Guardrails on the labelled sets in fixtures/guardrails/: injection recall and false-positive rate on the
// held-out split by kind and language, PII precision and recall per type and false findings on texts
// with none (at the reporting threshold, and recall at any score), the brand pages' content chunks the injection
// check blocks (all benign, English and German; never training data), and scan throughput (texts/s). Baseline in
// the same run: a keyword list (the approach the issue warns about), for both its detection figures and its speed.
//   npm run bench -- guardrails
import fs from 'node:fs';
import path from 'node:path';
import { DocumentInputSchema, prepareDocument } from '../../src/content/document.js';
import {
  createGuardrails,
  detectPii,
  injectionFigures,
  scanItem,
  type ScanItem,
} from '../../src/guardrails/index.js';
import {
  labelledFigures,
  readInjectionSet,
  readPiiSets,
  WIKIGOLD,
} from '../../src/guardrails/labelled-sets.js';
import { nameListOf } from '../../src/guardrails/pii/names-tokens.js';

const say = (s: string) => process.stdout.write(s + '\n');
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
/** A typical keyword filter: the override and role-play phrases of English and German attacks. */
const KEYWORDS =
  /\b(ignore|disregard|forget|vergiss|ignorier\w*)\b.{0,40}\b(instructions?|previous|above|prior|rules|anweisungen|aufgaben|alles)\b|\b(jailbreak|DAN|developer mode|do anything now|you are now|system prompt|act as|pretend)\b/i;

const BRAND_PAGES = 'fixtures/brand/pages';

function markdownFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) =>
      e.isDirectory()
        ? markdownFiles(path.join(dir, e.name))
        : e.name.endsWith('.md')
          ? [path.join(dir, e.name)]
          : [],
    );
}

/**
 * Every brand page chunked as the content indexer chunks it (PII masked), each chunk through the guardrails' chunk
 * seam as retrieval passes it: how many the injection check blocks, by language (pages and product pages apart).
 */
function brandChunkFlags(guard: ReturnType<typeof createGuardrails>) {
  const out: Record<
    string,
    { chunks: number; flagged: number; pages: Set<string>; flaggedPages: Set<string> }
  > = {};
  for (const file of markdownFiles(BRAND_PAGES)) {
    const doc = prepareDocument(
      DocumentInputSchema.parse({ text: fs.readFileSync(file, 'utf8'), url: file }),
    );
    const group = `${doc.language}${file.includes('/products/') ? ' products' : ''}`;
    const g = (out[group] ??= { chunks: 0, flagged: 0, pages: new Set(), flaggedPages: new Set() });
    g.pages.add(file);
    for (const c of doc.chunks) {
      g.chunks++;
      if (guard.injectionScore(c.text) >= guard.injectionThreshold) {
        g.flagged++;
        g.flaggedPages.add(file);
      }
    }
  }
  return out;
}

function timeIt(texts: readonly string[], fn: (t: string) => unknown, minMs = 3000): number {
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < minMs)
    for (const t of texts) {
      fn(t);
      n++;
    }
  return n / ((performance.now() - start) / 1000);
}

export function main(): Promise<void> {
  const figures = labelledFigures();
  const heldout = readInjectionSet().filter((r) => r.split === 'heldout');
  const keyword = injectionFigures(heldout, (t) => (KEYWORDS.test(t) ? 1 : 0), 0.5, 'heldout');
  const inj = figures.injection;
  say(
    `Prompt injection, held-out split (${heldout.length} texts, never read by training), threshold ${inj.threshold.toFixed(3)}`,
  );
  say(
    `  overall   recall ${pct(inj.recall.rate)} (${inj.recall.flagged}/${inj.recall.n})   FPR ${pct(inj.falsePositiveRate.rate)} (${inj.falsePositiveRate.flagged}/${inj.falsePositiveRate.n})   | keyword list: recall ${pct(keyword.recall.rate)}, FPR ${pct(keyword.falsePositiveRate.rate)}`,
  );
  for (const [kind, r] of Object.entries(inj.byKind))
    say(
      `  ${kind.padEnd(12)}${kind.startsWith('benign') ? 'FPR   ' : 'recall'} ${pct(r.rate).padStart(6)} (${r.flagged}/${r.n})   | keyword list ${pct(keyword.byKind[kind]!.rate)}`,
    );
  for (const [lang, r] of Object.entries(inj.byLanguage))
    say(
      `  lang ${lang}     recall ${pct(r.recall.rate)} (${r.recall.flagged}/${r.recall.n})   FPR ${pct(r.falsePositiveRate.rate)} (${r.falsePositiveRate.flagged}/${r.falsePositiveRate.n})`,
    );
  for (const [name, f] of Object.entries(figures.pii)) {
    const any = figures.piiAnyScore[name]!;
    say(
      `\nPII, ${name}: false findings on texts with none ${pct(f.textsWithNone.rate)} (${f.textsWithNone.flagged}/${f.textsWithNone.n}); at any score ${pct(any.textsWithNone.rate)}`,
    );
    for (const [type, r] of Object.entries(f.byType))
      say(
        `  ${type.padEnd(16)}precision ${pct(r.precision).padStart(6)}  recall ${pct(r.recall).padStart(6)}  (TP ${r.truePositives}, FP ${r.falsePositives}, FN ${r.falseNegatives})   recall at any score ${pct(any.byType[type]?.recall ?? 1).padStart(6)}`,
      );
  }

  say(
    '\nPERSON gold names and the name lists (faker, which made presidio-research, draws its en_US names from US census and SSA lists too)',
  );
  const sets = readPiiSets();
  for (const name of ['presidio-research', WIKIGOLD] as const) {
    const names = sets[name].flatMap((r) =>
      r.spans.filter((s) => s.type === 'PERSON').map((s) => r.text.slice(s.start, s.end)),
    );
    const words = names.map((n) => (n.match(/[\p{L}'’-]{2,}/gu) ?? []).map(nameListOf));
    const all = words.filter((w) => w.length && w.every(Boolean)).length;
    const some = words.filter((w) => w.some(Boolean)).length;
    say(
      `  ${name.padEnd(26)}${names.length} names: every word listed ${pct(all / names.length)}, at least one ${pct(some / names.length)}`,
    );
  }

  const guard = createGuardrails();
  say(`\nBrand pages (${BRAND_PAGES}), content chunks the injection check blocks (all benign)`);
  for (const [group, g] of Object.entries(brandChunkFlags(guard)))
    say(
      `  ${group.padEnd(12)}${g.flagged}/${g.chunks} chunks, ${g.flaggedPages.size}/${g.pages.size} pages${g.flaggedPages.size ? `: ${[...g.flaggedPages].map((f) => path.relative(BRAND_PAGES, f)).join(', ')}` : ''}`,
    );
  const items: ScanItem[] = heldout.map((r, i) => ({
    id: String(i),
    text: r.text,
    role: r.kind === 'indirect' ? 'document' : 'user',
  }));
  const short = items.filter((i) => i.text.length <= 400);
  const texts = items.map((i) => i.text);
  say(
    `\nThroughput (single thread; mean text ${Math.round(texts.reduce((s, t) => s + t.length, 0) / texts.length)} characters)`,
  );
  const base = timeIt(texts, (t) => KEYWORDS.test(t));
  const piiOnly = timeIt(texts, (t) => detectPii(t));
  const all = timeItItems(guard, items);
  const shortRate = timeItItems(guard, short);
  say(`  keyword list (baseline)     ${Math.round(base).toLocaleString('en-US')} texts/s`);
  say(
    `  PII detection alone         ${Math.round(piiOnly).toLocaleString('en-US')} texts/s  (${(piiOnly / base).toFixed(4)} × baseline)`,
  );
  say(
    `  guard scan, held-out mix    ${Math.round(all).toLocaleString('en-US')} texts/s  (${(all / base).toFixed(4)} × baseline)`,
  );
  say(
    `  guard scan, texts ≤ 400 ch  ${Math.round(shortRate).toLocaleString('en-US')} texts/s  (${short.length} texts)`,
  );
  return Promise.resolve();
}

function timeItItems(guard: ReturnType<typeof createGuardrails>, items: ScanItem[]): number {
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < 3000)
    for (const it of items) {
      scanItem(guard, it);
      n++;
    }
  return n / ((performance.now() - start) / 1000);
}
