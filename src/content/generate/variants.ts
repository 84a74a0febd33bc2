// Creative variants: ad headlines and descriptions (Google Ads responsive search ads: 30 and 90
// characters), e-mail subject lines and preheaders, N of each, in the brand's voice, each citing the
// passages it rests on. The topic passes the input guardrails, every passage the chunk stage, every
// variant the output stage (with its cited passages for the claim check); a variant asked again is
// regenerated once, a second failure is flagged for the editor, a blocked one is dropped and reported.
import { z } from 'zod';
import type { Action, AuditRecord } from '../../guardrails/index.js';
import { AppError } from '../../platform/errors.js';
import { DEFAULT_BRAND, detectLanguage } from '../document.js';
import { voiceVariables } from './brand-kit.js';
import { addUsage, NO_USAGE, type Usage } from './cost.js';
import type { GenerationDeps } from './deps.js';
import { generatorInfo } from './generator.js';
import { composeOffline, normaliseText, type Candidate } from './variants-offline.js';
import {
  gatherSources,
  passagesForPrompt,
  refusalErrors,
  storedFindings,
  type Source,
  type StoredFinding,
} from './sources.js';
import { CREATIVE_VARIANTS, renderTemplate, templateKey } from './templates.js';

/** Per kind, its two fields with their character limits and the offline composer's line type. */
export const VARIANT_FIELDS = {
  ad: [
    { name: 'headlines', limit: 30, kind: 'short' },
    { name: 'descriptions', limit: 90, kind: 'sentence' },
  ],
  email: [
    // Most inboxes show about 60 characters of a subject and up to about 110 of a preheader.
    { name: 'subjects', limit: 60, kind: 'short' },
    { name: 'preheaders', limit: 110, kind: 'sentence' },
  ],
} as const;
export type VariantKind = keyof typeof VARIANT_FIELDS;

const label = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, - and _');

export const CreativeRequestSchema = z.strictObject({
  kind: z.enum(['ad', 'email']),
  topic: z.string().trim().min(3).max(500),
  n: z.number().int().min(1).max(10).default(5),
  language: z.enum(['en', 'de']).optional(),
  brand: label.default(DEFAULT_BRAND),
  access: z.array(label).min(1).max(20).default(['public']),
});
export type CreativeRequest = z.output<typeof CreativeRequestSchema>;

export type Variant = {
  id: string;
  field: string;
  text: string;
  citations: string[];
  action: Action;
  attempts: number;
};

export type CreativeSet = {
  kind: VariantKind;
  topic: string;
  language: 'en' | 'de';
  brand: string;
  variants: Variant[];
  sources: Source[];
  findings: StoredFinding[];
  generator: ReturnType<typeof generatorInfo>;
  template: string;
  usage: Usage;
};

const Line = z.strictObject({ text: z.string().min(1), citations: z.array(z.string()).min(1) });

function answerSchema(kind: VariantKind, n: number) {
  const [a, b] = VARIANT_FIELDS[kind];
  return z.object({
    [a.name]: z
      .array(Line.extend({ text: z.string().min(1).max(a.limit) }))
      .min(1)
      .max(n),
    [b.name]: z
      .array(Line.extend({ text: z.string().min(1).max(b.limit) }))
      .min(1)
      .max(n),
  });
}

/**
 * Generates a creative set. Every guardrail decision is appended to `audit` as it is made, so the caller
 * records them all, also when the topic is refused, no passage is left or the model fails.
 */
export async function generateVariants(
  deps: GenerationDeps,
  request: CreativeRequest,
  audit: AuditRecord[],
): Promise<CreativeSet> {
  const { guardrails, generator, kit } = deps;
  const input = await guardrails.checkInputJudged(request.topic);
  const findings = storedFindings(input, 'topic');
  audit.push(...input.audit);
  if (input.action === 'block')
    throw new AppError('unprocessable', 'The topic was refused by the input guardrails.', {
      errors: refusalErrors(input, 'topic'),
    });
  const topic = input.text;
  const language = request.language ?? detectLanguage(topic);
  const gathered = await gatherSources(deps, topic, {
    brand: request.brand,
    access: request.access,
    limit: 8,
  });
  audit.push(...gathered.audit);
  findings.push(...gathered.findings);
  const sameLanguage = gathered.sources.filter((s) => s.language === language);
  const sources = sameLanguage.length >= 2 ? sameLanguage : gathered.sources;
  if (!sources.length)
    throw new AppError(
      'unprocessable',
      `No brand passage matches "${topic}"; add documents or widen the topic.`,
    );
  const byId = new Map(sources.map((s) => [s.id, s]));
  const fields = VARIANT_FIELDS[request.kind];
  let usage: Usage = NO_USAGE;

  const draft = async (feedback: string[], rejected: Set<string>): Promise<Record<string, Candidate[]>> => {
    if (generator.kind === 'offline')
      return Object.fromEntries(
        fields.map((f) => [f.name, composeOffline(f, sources, kit.catalogue, request.n, rejected)]),
      );
    const vars = {
      ...voiceVariables(kit),
      n: String(request.n),
      kindLabel:
        request.kind === 'ad' ? 'ad headlines and descriptions' : 'e-mail subject lines and preheaders',
      topic,
      language: language === 'de' ? 'German' : 'English',
      limits: fields.map((f) => `${f.name} ≤ ${f.limit}`).join(', '),
      fieldA: fields[0].name,
      fieldB: fields[1].name,
      passages: passagesForPrompt(sources),
    };
    const user =
      renderTemplate(CREATIVE_VARIANTS.user, vars) +
      (feedback.length ? `\n\nThe last draft was refused; fix these:\n- ${feedback.join('\n- ')}` : '');
    const answer = await generator.llm.complete({
      system: renderTemplate(CREATIVE_VARIANTS.system, vars),
      user,
      schema: answerSchema(request.kind, request.n),
      validate: (v) =>
        Object.values(v)
          .flat()
          .flatMap((c) => c.citations.filter((id) => !byId.has(id)).map((id) => `unknown passage id ${id}`)),
    });
    usage = addUsage(usage, answer.usage);
    return answer.value;
  };

  const check = (field: (typeof fields)[number], c: Candidate, attempt: number) =>
    guardrails.checkOutput(
      c.text,
      {
        maxChars: field.limit,
        citedChunks: c.citations.flatMap((id) => {
          const s = byId.get(id);
          return s ? [{ id, text: s.text }] : [];
        }),
      },
      attempt,
    );

  const kept: Variant[] = [];
  const rejected = new Set<string>();
  let feedback: string[] = [];
  for (let attempt = 1; attempt <= 2; attempt++) {
    const drafted = await draft(feedback, rejected);
    feedback = [];
    for (const field of fields) {
      const have = kept.filter((v) => v.field === field.name).length;
      for (const c of (drafted[field.name] ?? []).slice(0, request.n - have)) {
        if (kept.some((v) => v.field === field.name && normaliseText(v.text) === normaliseText(c.text)))
          continue;
        const d = check(field, c, attempt);
        audit.push(...d.audit);
        const section = `${field.name}: ${d.text.slice(0, 60)}`;
        findings.push(...storedFindings(d, section));
        if (d.action === 'block') continue;
        if (d.action === 're-ask' && attempt === 1) {
          rejected.add(normaliseText(c.text));
          feedback.push(...d.feedback);
          continue;
        }
        kept.push({
          id: `${field.name[0]}${kept.filter((v) => v.field === field.name).length + 1}`,
          field: field.name,
          text: d.text,
          citations: c.citations,
          action: d.action === 're-ask' ? 'flag' : d.action,
          attempts: attempt,
        });
      }
    }
    const short = fields.some((f) => kept.filter((v) => v.field === f.name).length < request.n);
    if (!feedback.length && !(short && rejected.size)) break;
  }
  return {
    kind: request.kind,
    topic,
    language,
    brand: request.brand,
    variants: fields.flatMap((f) => kept.filter((v) => v.field === f.name)),
    sources,
    findings,
    generator: generatorInfo(generator),
    template: generator.kind === 'offline' ? 'offline-variants@1' : templateKey(CREATIVE_VARIANTS),
    usage,
  };
}
