// The passages a generation may use: retrieved by hybrid search, each passed through the guardrails'
// chunk stage (access, injection, PII; with an LLM, the judge's second opinion on injection, asked about
// the retrieval's chunks together). Blocked chunks never reach a prompt; fixed ones (masked PII) are
// used as fixed. Sources get short ids (s1, s2, …) that prompts and citations use.
import type { Database } from '../../platform/db/client.js';
import type { Guardrails, AuditRecord, Decision, JudgeNote } from '../../guardrails/index.js';
import type { Embedder } from '../embedder.js';
import { searchContent } from '../search.js';

export type Source = {
  id: string;
  chunkId: string;
  documentUrl: string;
  title: string;
  headingPath: string[];
  language: string;
  text: string;
};

/** A guardrail finding as stored with an asset: where it was (section), what, and what was done. */
export type StoredFinding = {
  section: string;
  stage: 'input' | 'chunk' | 'output';
  check: string;
  rule: string;
  action: string;
  message: string;
  start: number;
  end: number;
  /** The LLM judge's opinion on an injection finding: agreed, disputed (still acted on), rescued, error. */
  judge?: JudgeNote & { reason?: string };
};

/** A decision's findings as stored with the asset, under the section they were found in. */
export const storedFindings = (d: Decision, section: string): StoredFinding[] =>
  d.findings.map((f) => ({
    section,
    stage: d.stage,
    check: f.check,
    rule: f.rule,
    action: d.action,
    message: f.message,
    start: f.start,
    end: f.end,
    ...(f.judge ? { judge: f.judge } : {}),
  }));

/** A refused input's findings as problem details; a judge's dispute is said beside its finding. */
export const refusalErrors = (d: Decision, path: string) =>
  d.findings.map((f) => ({
    path,
    message:
      f.judge?.verdict === 'disputed'
        ? `${f.message} (the LLM judge disagrees: ${f.judge.reason ?? 'no reason given'})`
        : f.message,
    code: f.rule,
  }));

export type SourceSet = { sources: Source[]; findings: StoredFinding[]; audit: AuditRecord[] };

export async function gatherSources(
  deps: { database: Database; embedder: Embedder; guardrails: Guardrails },
  query: string,
  options: { brand: string; access: string[]; limit: number; idPrefix?: string; exclude?: Set<string> },
): Promise<SourceSet> {
  const found = await searchContent(deps.database, deps.embedder, {
    query,
    brand: options.brand,
    access: options.access,
    limit: options.limit,
  });
  const sources: Source[] = [];
  const findings: StoredFinding[] = [];
  const audit: AuditRecord[] = [];
  const kept = found.results.filter((r) => !options.exclude?.has(r.chunkId));
  const decisions = await deps.guardrails.checkChunksJudged(
    kept.map((r) => ({ text: r.text, ctx: { allowedAccess: options.access } })),
  );
  for (const [i, r] of kept.entries()) {
    const d = decisions[i]!;
    audit.push(...d.audit);
    findings.push(...storedFindings(d, `source ${r.documentUrl}#${r.headingPath.join(' > ')}`));
    if (d.action === 'block') continue;
    sources.push({
      id: `${options.idPrefix ?? 's'}${sources.length + 1}`,
      chunkId: r.chunkId,
      documentUrl: r.documentUrl,
      title: r.title,
      headingPath: r.headingPath,
      language: r.language,
      text: d.text,
    });
  }
  return { sources, findings, audit };
}

export const passagesForPrompt = (sources: readonly Source[]): string =>
  sources
    .map((s) => `[${s.id}] (${s.documentUrl} – ${s.headingPath.join(' > ') || s.title}) ${s.text}`)
    .join('\n');

/** Sentences of a passage: split after . ! ? before a capital (so "$16.00" and "2:00" stay whole). */
export const sentencesOf = (text: string): string[] =>
  text
    .split(/(?<=[.!?])\s+(?=[\p{Lu}"“(])/u)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

/** Sentences fit to quote: prose, not attribute lists ("type: green origin: …") or tables. */
export const quotableSentences = (text: string, maxChars: number): string[] =>
  sentencesOf(text).filter(
    (s) => s.length <= maxChars && !s.includes('|') && (s.match(/\b\p{L}+: /gu) ?? []).length < 2,
  );

/** The topic of a passage: its top heading (a product, a guide), else the document title. */
export const topicOf = (s: Source): string => s.headingPath[0] ?? s.title;
