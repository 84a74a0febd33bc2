// `guard scan`: JSON Lines of {id, text, role?} in, per line the injection verdict and the PII spans out,
// in input order. Malformed lines are reported by number; the rest is scanned.
import { z } from 'zod';
import type { Guardrails } from './guardrails.js';
import type { InjectionJudge } from './injection/llm-judge.js';
import {
  askJudge,
  combineVerdicts,
  JUDGE_CONCURRENCY,
  mapBounded,
  needsJudge,
  type InjectionResult,
} from './second-opinion.js';
import type { AuditRecord, Decision } from './types.js';

export {
  combineVerdicts,
  needsJudge,
  JUDGE_BAND,
  JUDGE_CONCURRENCY,
  type InjectionResult,
  type JudgeOpinion,
} from './second-opinion.js';

export const ScanItemSchema = z.object({
  id: z.union([z.string().min(1).max(200), z.number()]).transform(String),
  text: z.string().max(200_000),
  role: z.enum(['user', 'document', 'output']).default('user'),
});
export type ScanItem = z.infer<typeof ScanItemSchema>;

export type ScanResult = {
  id: string;
  injection: InjectionResult;
  pii: { type: string; start: number; end: number; score: number }[];
};
export type ScanProblem = { line: number; detail: string };

export function parseScanLines(input: string): {
  items: { line: number; item: ScanItem }[];
  problems: ScanProblem[];
} {
  const items: { line: number; item: ScanItem }[] = [];
  const problems: ScanProblem[] = [];
  input.split(/\r?\n/).forEach((raw, i) => {
    if (!raw.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      problems.push({ line: i + 1, detail: `not JSON: ${(err as Error).message}` });
      return;
    }
    const parsed = ScanItemSchema.safeParse(value);
    if (parsed.success) items.push({ line: i + 1, item: parsed.data });
    else
      problems.push({
        line: i + 1,
        detail: parsed.error.issues.map((e) => `${e.path.join('.') || '(line)'}: ${e.message}`).join('; '),
      });
  });
  return { items, problems };
}

/** Scans one item through the stage its role names; returns the wire result, the decision and its audit. */
export function scanItem(
  guard: Guardrails,
  item: ScanItem,
): { result: ScanResult; audit: AuditRecord[]; decision: Decision } {
  const decision = item.role === 'document' ? guard.checkChunk(item.text) : guard.checkInput(item.text);
  const injection = decision.findings.find((f) => f.check === 'injection');
  const score = injection?.score ?? guard.injectionScore(item.text);
  return {
    result: {
      id: item.id,
      injection: { flagged: injection !== undefined, score: Math.round(score * 1e4) / 1e4 },
      pii: decision.findings
        .filter((f) => f.check === 'pii')
        .map((f) => ({ type: f.rule.slice('pii.'.length), start: f.start, end: f.end, score: f.score })),
    },
    audit: decision.audit,
    decision,
  };
}

/**
 * Asks the judge about the results that need it (flagged or in the band), a few at a time, and returns
 * the results in the same order with the combined verdicts. Without a judge the results come back as
 * they are. A judge failure (timeout, malformed answer, server error) is recorded on its item only.
 * Where the item's decision is given, the judge reads its text as the pipeline left it (PII masked).
 */
export async function judgeResults(
  guard: Pick<Guardrails, 'injectionThreshold'>,
  scanned: { item: ScanItem; result: ScanResult; decision?: Decision }[],
  judge: InjectionJudge | undefined,
  options: { band?: number; concurrency?: number } = {},
): Promise<ScanResult[]> {
  const results = scanned.map((s) => s.result);
  if (!judge) return results;
  const pending = scanned
    .map((s, i) => ({ ...s, i }))
    .filter((s) => needsJudge(s.result.injection, guard.injectionThreshold, options.band));
  await mapBounded(
    pending,
    options.concurrency ?? JUDGE_CONCURRENCY,
    async ({ item, result, decision, i }) => {
      const opinion = await askJudge(judge, decision?.text ?? item.text, item.role);
      results[i] = { ...result, injection: combineVerdicts(result.injection, opinion) };
    },
  );
  return results;
}
