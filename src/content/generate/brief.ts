// An SEO brief for a keyword: passages retrieved and checked, competitor pages read (hidden parts
// stripped, checked like chunks), the deterministic analysis (intent, terms, entities, questions, length,
// links, JSON-LD), and the texts (titles, H1s, meta descriptions, outline) from the language model or the
// offline composer, every text through the output guardrails with one re-ask.
import { z } from 'zod';
import type { AuditRecord } from '../../guardrails/index.js';
import { AppError } from '../../platform/errors.js';
import { DEFAULT_BRAND, detectLanguage } from '../document.js';
import { parseSource } from '../source.js';
import { cleanText } from '../chunk.js';
import {
  buildJsonLd,
  classifyIntent,
  extractEntities,
  extractQuestions,
  extractTerms,
  wordCountRange,
  wordsOf,
  type TextSource,
} from '../seo/analysis.js';
import { OutlineSectionSchema, type BriefSection, type SeoBrief } from '../seo/brief-schema.js';
import { contentScore, type ContentScore } from '../seo/score.js';
import { voiceVariables } from './brand-kit.js';
import { checkBriefTexts } from './brief-checks.js';
import { answerOf, offlineOptions, offlineOutline } from './brief-offline.js';
import { addUsage, NO_USAGE, type Usage } from './cost.js';
import type { GenerationDeps } from './deps.js';
import { generatorInfo } from './generator.js';
import {
  gatherSources,
  passagesForPrompt,
  refusalErrors,
  storedFindings,
  type Source,
  type StoredFinding,
} from './sources.js';
import { renderTemplate, SEO_BRIEF, SEO_BRIEF_SECTION, templateKey } from './templates.js';

const label = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, - and _');

export const BriefRequestSchema = z.strictObject({
  keyword: z.string().trim().min(2).max(100),
  language: z.enum(['en', 'de']).optional(),
  brand: label.default(DEFAULT_BRAND),
  access: z.array(label).min(1).max(20).default(['public']),
  targetUrl: z
    .string()
    .min(1)
    .max(2000)
    .optional()
    .describe('The page the brief is for; never linked to itself'),
  competitorPages: z
    .array(z.strictObject({ url: z.string().url().max(2000), text: z.string().min(1).max(200_000) }))
    .max(5)
    .default([])
    .describe('Competitor pages (HTML or text) the editor supplies; read for terms, questions and length'),
});
export type BriefRequest = z.output<typeof BriefRequestSchema>;

export type BriefDraft = {
  brief: SeoBrief;
  sources: Source[];
  findings: StoredFinding[];
  generator: ReturnType<typeof generatorInfo>;
  template: string;
  usage: Usage;
  score: ContentScore;
  access: string[];
  brand: string;
};

const PASSAGES = 12;
const RICH_RESULTS_NOTE =
  'Structured data makes the page eligible for rich results; search engines decide whether to show them.';
const LENGTH_NOTE = 'The word-count range is guidance from comparable pages, not a ranking factor.';

const LlmDraftSchema = z.object({
  titles: z.array(z.string().trim().min(1).max(120)).min(1).max(5),
  h1s: z.array(z.string().trim().min(1).max(150)).min(1).max(5),
  metaDescriptions: z.array(z.string().trim().min(1).max(320)).min(1).max(5),
  outline: z.array(OutlineSectionSchema).min(1).max(8),
});
type LlmDraft = z.infer<typeof LlmDraftSchema>;

const languageOf = (keyword: string) => (/[äöüß]/i.test(keyword) ? 'de' : detectLanguage(keyword));

const unknownCitations = (outline: SeoBrief['outline'], known: Set<string>) =>
  outline
    .flatMap((s) => [...s.points, ...s.subsections.flatMap((x) => x.points)])
    .flatMap((p) => p.sources.filter((id) => !known.has(id)).map((id) => `unknown passage id ${id}`));

async function readCompetitors(deps: GenerationDeps, pages: BriefRequest['competitorPages']) {
  const texts: TextSource[] = [];
  const findings: StoredFinding[] = [];
  const audit: AuditRecord[] = [];
  const wordCounts: number[] = [];
  const visible = pages.map((p) => {
    const format = /^\s*</.test(p.text) ? 'html' : 'text';
    // A line break after each block element, so a heading and the paragraph after it stay apart.
    const blocks = p.text.replace(/<\/(h[1-6]|p|li|div|tr|section|article|header)>|<br\s*\/?>/gi, '$&\n');
    return parseSource(blocks, format)
      .visible.split('\n')
      .map((l) => cleanText(l))
      .filter(Boolean)
      .join('\n');
  });
  const decisions = await deps.guardrails.checkChunksJudged(visible.map((text) => ({ text })));
  pages.forEach((p, i) => {
    const d = decisions[i]!;
    audit.push(...d.audit);
    findings.push(...storedFindings(d, `competitor ${p.url}`));
    if (d.action === 'block') return;
    texts.push({ id: `c${i + 1}`, text: d.text, origin: 'competitor' });
    wordCounts.push(wordsOf(d.text).length);
  });
  return { texts, findings, audit, wordCounts };
}

/**
 * Drafts a brief. Every guardrail decision is appended to `audit` as it is made, so the caller records
 * them all, also when the keyword is refused, no passage is left or the model fails.
 */
export async function draftBrief(
  deps: GenerationDeps,
  request: BriefRequest,
  audit: AuditRecord[],
): Promise<BriefDraft> {
  const { guardrails, generator, kit } = deps;
  const input = await guardrails.checkInputJudged(request.keyword);
  audit.push(...input.audit);
  const findings = storedFindings(input, 'keyword');
  if (input.action === 'block')
    throw new AppError('unprocessable', 'The keyword was refused by the input guardrails.', {
      errors: refusalErrors(input, 'keyword'),
    });
  const keyword = input.text;
  const language = request.language ?? languageOf(keyword);
  const gathered = await gatherSources(deps, keyword, {
    brand: request.brand,
    access: request.access,
    limit: PASSAGES,
  });
  audit.push(...gathered.audit);
  findings.push(...gathered.findings);
  const sameLanguage = gathered.sources.filter((s) => s.language === language);
  const sources = (sameLanguage.length ? sameLanguage : gathered.sources).map((s, i) => ({
    ...s,
    id: `s${i + 1}`,
  }));
  if (!sources.length)
    throw new AppError('unprocessable', `No brand passage matches "${keyword}"; add documents first.`);
  const competitors = await readCompetitors(deps, request.competitorPages);
  audit.push(...competitors.audit);
  findings.push(...competitors.findings);

  const brandName = kit.styleGuide.brand;
  const intent = classifyIntent(keyword, [brandName]);
  const wordCount = wordCountRange(intent, competitors.wordCounts);
  const textSources: TextSource[] = [
    ...sources.map((s) => ({ id: s.id, text: s.text, origin: 'brand' as const })),
    ...competitors.texts,
  ];
  const questions = extractQuestions(keyword, textSources);
  const known = new Set(sources.map((s) => s.id));

  let usage: Usage = NO_USAGE;
  let texts: LlmDraft;
  const skip = new Set<string>();
  const compose = async (feedback: string[]): Promise<LlmDraft> => {
    if (generator.kind === 'offline')
      return {
        titles: offlineOptions('titles', keyword, language, brandName, sources, skip),
        h1s: offlineOptions('h1s', keyword, language, brandName, sources, skip),
        metaDescriptions: offlineOptions('metaDescriptions', keyword, language, brandName, sources, skip),
        outline: offlineOutline(sources, questions, language).map((s) => ({
          ...s,
          points: s.points.filter((p) => !skip.has(p.text)),
        })),
      };
    const vars = {
      ...voiceVariables(kit),
      keyword,
      intent,
      language: language === 'de' ? 'German' : 'English',
      questions: questions.map((q) => q.text).join(' | ') || 'none found',
      passages: passagesForPrompt(sources),
    };
    const answer = await generator.llm.complete({
      system: renderTemplate(SEO_BRIEF.system, vars),
      user:
        renderTemplate(SEO_BRIEF.user, vars) +
        (feedback.length ? `\n\nThe last draft was refused; fix these:\n- ${feedback.join('\n- ')}` : ''),
      schema: LlmDraftSchema,
      validate: (v) => unknownCitations(v.outline, known),
    });
    usage = addUsage(usage, answer.usage);
    return answer.value;
  };

  texts = await compose([]);
  const assemble = (t: LlmDraft): SeoBrief => {
    const brief: SeoBrief = {
      keyword,
      intent,
      language,
      titles: t.titles.length ? t.titles : [keyword],
      h1s: t.h1s.length ? t.h1s : [keyword],
      metaDescriptions: t.metaDescriptions.length ? t.metaDescriptions : [keyword],
      outline: t.outline.length ? t.outline : [{ heading: keyword, points: [], subsections: [] }],
      terms: extractTerms(keyword, textSources, Math.round((wordCount.min + wordCount.max) / 2)),
      entities: extractEntities(
        textSources,
        brandName,
        kit.catalogue.products.map((p) => p.name),
      ),
      questions,
      wordCount,
      internalLinks: [...new Map(sources.map((s) => [s.documentUrl, s.title])).entries()]
        .filter(([url]) => url !== request.targetUrl)
        .slice(0, 6)
        .map(([url, anchor]) => ({ url, anchor })),
      jsonLd: [],
      notes: [LENGTH_NOTE, RICH_RESULTS_NOTE],
    };
    const product = kit.catalogue.products.find((p) => keyword.toLowerCase().includes(p.name.toLowerCase()));
    brief.jsonLd = buildJsonLd({
      brief,
      intent,
      brand: brandName,
      answered: questions.flatMap((q) => {
        const a = answerOf(q.text, sources);
        return a ? [{ question: q.text, answer: a.text }] : [];
      }),
      ...(product
        ? { product: { name: product.name, price: product.price, currency: product.currency } }
        : {}),
    });
    const brandWords = sources.reduce((n, s) => n + wordsOf(s.text).length, 0);
    if (brandWords < wordCount.min)
      brief.notes.push(
        `The brand's passages on this keyword hold ${brandWords} words, fewer than the range asks for: the writer will need material beyond them.`,
      );
    return brief;
  };

  let checked = checkBriefTexts(guardrails, assemble(texts), sources, 1);
  audit.push(...checked.audit);
  findings.push(...checked.findings);
  if (checked.feedback.length) {
    for (const r of checked.refused) skip.add(r);
    texts = await compose(checked.feedback);
    checked = checkBriefTexts(guardrails, assemble(texts), sources, 2);
    audit.push(...checked.audit);
    findings.push(...checked.findings);
  }
  const brief = assemble({ ...checked.brief, outline: checked.brief.outline });
  return {
    brief,
    sources,
    findings,
    generator: generatorInfo(generator),
    template: generator.kind === 'offline' ? 'offline-brief@1' : templateKey(SEO_BRIEF),
    usage,
    score: contentScore(brief),
    access: request.access,
    brand: request.brand,
  };
}

/**
 * Regenerates one section of a stored brief with the editor's reason. The reason also widens retrieval
 * (keyword + reason), so the offline composer can answer "add storage advice" with storage passages.
 * Every guardrail decision is appended to `audit` as it is made (also when the reason is refused).
 */
export async function regenerateSection(
  deps: GenerationDeps,
  current: { brief: SeoBrief; sources: Source[]; brand: string; access: string[] },
  section: BriefSection,
  reason: string,
  audit: AuditRecord[],
): Promise<{
  brief: SeoBrief;
  sources: Source[];
  findings: StoredFinding[];
  usage: Usage;
}> {
  const { guardrails, generator, kit } = deps;
  const why = await guardrails.checkInputJudged(reason);
  audit.push(...why.audit);
  if (why.action === 'block')
    throw new AppError('unprocessable', 'The reason was refused by the input guardrails.', {
      errors: refusalErrors(why, 'reason'),
    });
  const { brief } = current;
  const more = await gatherSources(deps, `${brief.keyword} ${why.text}`, {
    brand: current.brand,
    access: current.access,
    limit: 6,
    exclude: new Set(current.sources.map((s) => s.chunkId)),
  });
  audit.push(...more.audit);
  const sources = [
    ...current.sources,
    ...more.sources.map((s, i) => ({ ...s, id: `s${current.sources.length + i + 1}` })),
  ];
  const fresh = sources.slice(current.sources.length);
  let usage: Usage = NO_USAGE;
  let next: SeoBrief;
  if (generator.kind === 'offline') {
    const pool = [...fresh, ...current.sources];
    if (section === 'outline') {
      const extra = offlineOutline(fresh.length ? fresh : pool, [], brief.language, 3);
      next = {
        ...brief,
        outline: [
          ...brief.outline.filter((s) => s.subsections.length === 0),
          ...extra,
          ...brief.outline.filter((s) => s.subsections.length > 0),
        ],
      };
    } else if (section === 'questions') {
      const texts = pool.map((s) => ({ id: s.id, text: s.text, origin: 'brand' as const }));
      next = { ...brief, questions: extractQuestions(`${brief.keyword} ${why.text}`, texts) };
    } else {
      const options = offlineOptions(
        section,
        brief.keyword,
        brief.language,
        kit.styleGuide.brand,
        pool,
        new Set(brief[section]),
      );
      next = { ...brief, [section]: options.length ? options : brief[section] };
    }
  } else {
    const vars = {
      ...voiceVariables(kit),
      section,
      keyword: brief.keyword,
      language: brief.language === 'de' ? 'German' : 'English',
      reason: why.text,
      current: JSON.stringify(brief[section]),
      passages: passagesForPrompt(sources),
    };
    const known = new Set(sources.map((s) => s.id));
    const shape =
      section === 'outline'
        ? LlmDraftSchema.shape.outline
        : section === 'questions'
          ? z
              .array(z.strictObject({ text: z.string().min(1).max(300), source: z.string().nullable() }))
              .max(20)
          : z.array(z.string().trim().min(1).max(320)).min(1).max(5);
    const answer = await generator.llm.complete({
      system: renderTemplate(SEO_BRIEF_SECTION.system, vars),
      user: renderTemplate(SEO_BRIEF_SECTION.user, vars),
      schema: z.object({ [section]: shape }),
      validate: (v) =>
        section === 'outline' ? unknownCitations(v[section] as SeoBrief['outline'], known) : [],
    });
    usage = answer.usage;
    next = { ...brief, [section]: answer.value[section] };
  }
  const parts = section === 'questions' ? [] : [section];
  const checked = checkBriefTexts(guardrails, next, sources, 2, parts);
  audit.push(...checked.audit);
  return { brief: checked.brief, sources, findings: checked.findings, usage };
}
