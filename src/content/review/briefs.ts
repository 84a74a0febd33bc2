// The review workflow for SEO briefs: generate, edit, request changes (a section regenerated with the
// editor's reason), approve, reject. Every step checks the version the editor read, runs the guardrails
// over new text, records its decisions and its generation cost, and leaves an event in the history.
import type { z } from 'zod';
import { recordDecisions, type AuditRecord } from '../../guardrails/index.js';
import { AppError, ValidationError, problemsFromIssues } from '../../platform/errors.js';
import { draftBrief, regenerateSection, type BriefRequest } from '../generate/brief.js';
import { checkBriefTexts } from '../generate/brief-checks.js';
import type { GenerationDeps } from '../generate/deps.js';
import { GenerationError } from '../generate/llm.js';
import { jsonLdProblems } from '../seo/analysis.js';
import { SeoBriefSchema, type BriefSection, type SeoBrief } from '../seo/brief-schema.js';
import { contentScore } from '../seo/score.js';
import { changeBrief, getBrief, insertBrief, type StoredBrief } from './brief-store.js';
import { recordRequest, usageOf } from './usage-store.js';

export const BriefEditSchema = SeoBriefSchema.pick({
  titles: true,
  h1s: true,
  metaDescriptions: true,
  outline: true,
  terms: true,
  questions: true,
  wordCount: true,
  internalLinks: true,
  jsonLd: true,
  notes: true,
})
  .partial()
  .strict();
export type BriefEdit = z.infer<typeof BriefEditSchema>;

/** A failed model call as the API reports it: 502 with the reason (rate-limited, timeout, …). */
export async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof GenerationError)
      throw new AppError('generation-failed', err.message, { cause: err, extra: { reason: err.reason } });
    throw err;
  }
}

/**
 * Runs a generation and records every guardrail decision it made under `source`: when it succeeds, and
 * when it is refused (a blocked keyword, topic or reason) or fails, before its error goes to the client
 * unchanged. The records hold rules, spans, actions and scores, never the text.
 */
export async function audited<T>(
  deps: GenerationDeps,
  source: string,
  run: (audit: AuditRecord[]) => Promise<T>,
): Promise<T> {
  const audit: AuditRecord[] = [];
  try {
    return await guarded(() => run(audit));
  } finally {
    await recordDecisions(deps.database, source, audit);
  }
}

export async function createBrief(
  deps: GenerationDeps,
  request: BriefRequest,
  actor: string,
): Promise<StoredBrief> {
  const draft = await audited(deps, 'generation:brief', (audit) => draftBrief(deps, request, audit));
  const now = deps.now();
  const stored = await insertBrief(
    deps.database,
    {
      brand: draft.brand,
      keyword: draft.brief.keyword,
      language: draft.brief.language,
      access: draft.access,
      brief: draft.brief,
      sources: draft.sources,
      findings: draft.findings,
      score: draft.score,
      generator: draft.generator,
      template: draft.template,
      createdBy: actor,
    },
    now,
  );
  await recordRequest(
    deps.database.sql,
    {
      assetType: 'brief',
      assetId: stored.id,
      purpose: 'generate',
      generator: draft.generator.label,
      template: draft.template,
      usage: draft.usage,
    },
    now,
  );
  return stored;
}

async function unknownLinks(deps: GenerationDeps, brand: string, urls: string[]): Promise<string[]> {
  if (!urls.length) return [];
  const rows = await deps.database.sql<{ url: string }[]>`
    select url from content_documents where brand = ${brand} and url = any(${urls}::text[])`;
  const known = new Set(rows.map((r) => r.url));
  return urls.filter((u) => !known.has(u));
}

const CHECKED = ['titles', 'h1s', 'metaDescriptions', 'outline'] as const;

export async function editBrief(
  deps: GenerationDeps,
  id: string,
  readVersion: number,
  edit: BriefEdit,
  actor: string,
): Promise<StoredBrief> {
  const current = await getBrief(deps.database, id);
  const parsed = SeoBriefSchema.safeParse({ ...current.brief, ...edit });
  if (!parsed.success)
    throw new ValidationError(
      'The edited brief is not valid.',
      problemsFromIssues(parsed.error.issues, ['brief']),
    );
  const merged = parsed.data;
  const problems = [
    ...jsonLdProblems(merged.jsonLd).map((message) => ({ path: 'brief.jsonLd', message })),
    ...(
      await unknownLinks(
        deps,
        current.brand,
        merged.internalLinks.map((l) => l.url),
      )
    ).map((u) => ({
      path: 'brief.internalLinks',
      message: `${u} is not a document of the corpus; internal links must point to real pages`,
    })),
  ];
  if (problems.length) throw new ValidationError('The edited brief is not valid.', problems);
  const changed = CHECKED.filter((k) => k in edit);
  // Editors' text passes the output checks too; a second-attempt re-ask becomes a flag, a block refuses the edit.
  const checked = checkBriefTexts(deps.guardrails, merged, current.sources, 2, changed);
  await recordDecisions(deps.database, 'review:edit', checked.audit);
  const blocked = checked.findings.filter((f) => f.action === 'block');
  if (blocked.length)
    throw new AppError('unprocessable', 'The guardrails refused part of the edit.', {
      errors: blocked.map((f) => ({ path: `brief.${f.section}`, message: f.message, code: f.rule })),
    });
  const findings = [
    ...current.findings.filter((f) => f.stage !== 'output' || !changed.some((k) => f.section.startsWith(k))),
    ...checked.findings,
  ];
  return changeBrief(
    deps.database,
    id,
    readVersion,
    { brief: checked.brief, findings, score: contentScore(checked.brief) },
    {
      actor,
      action: 'edited',
      section: Object.keys(edit).join(', ') || null,
      reason: null,
      details: { fields: Object.keys(edit) },
    },
    deps.now(),
  );
}

export async function requestChanges(
  deps: GenerationDeps,
  id: string,
  readVersion: number,
  section: BriefSection,
  reason: string,
  actor: string,
): Promise<StoredBrief> {
  const current = await getBrief(deps.database, id);
  if (current.version !== readVersion)
    throw new AppError(
      'precondition-failed',
      `Brief ${id} is at version ${current.version}, not ${readVersion}: reload it first.`,
      {
        extra: { currentVersion: current.version },
      },
    );
  if (current.status !== 'in-review')
    throw new AppError('conflict', `Brief ${id} is ${current.status}; a decided brief does not change.`);
  const out = await audited(deps, 'generation:brief-section', (audit) =>
    regenerateSection(deps, current, section, reason, audit),
  );
  const findings = [
    ...current.findings.filter((f) => f.stage !== 'output' || !f.section.startsWith(section)),
    ...out.findings,
  ];
  const brief: SeoBrief = out.brief;
  const next = await changeBrief(
    deps.database,
    id,
    readVersion,
    { brief, sources: out.sources, findings, score: contentScore(brief) },
    {
      actor,
      action: 'changes-requested',
      section,
      reason,
      details: { generator: deps.generator.label, newSources: out.sources.length - current.sources.length },
    },
    deps.now(),
  );
  await recordRequest(
    deps.database.sql,
    {
      assetType: 'brief',
      assetId: id,
      purpose: `regenerate:${section}`,
      generator: deps.generator.label,
      template: current.template,
      usage: out.usage,
    },
    deps.now(),
  );
  return next;
}

export async function decideBrief(
  deps: GenerationDeps,
  id: string,
  readVersion: number,
  decision: 'approved' | 'rejected',
  reason: string | null,
  actor: string,
): Promise<StoredBrief> {
  const usage = await usageOf(deps.database.sql, id);
  return changeBrief(
    deps.database,
    id,
    readVersion,
    decision === 'approved' ? { status: 'approved', approvedUsage: usage } : { status: 'rejected' },
    { actor, action: decision, section: null, reason, details: decision === 'approved' ? { usage } : {} },
    deps.now(),
  );
}
