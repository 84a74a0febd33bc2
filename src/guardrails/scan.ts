// `guard scan`: JSON Lines of {id, text, role?} in, per line the injection verdict and the PII spans out,
// in input order. Malformed lines are reported by number; the rest is scanned.
import { z } from 'zod';
import type { Guardrails } from './guardrails.js';
import type { InjectionJudge } from './injection/llm-judge.js';
import type { AuditRecord } from './types.js';

export const ScanItemSchema = z.object({
  id: z.union([z.string().min(1).max(200), z.number()]).transform(String),
  text: z.string().max(200_000),
  role: z.enum(['user', 'document', 'output']).default('user'),
});
export type ScanItem = z.infer<typeof ScanItemSchema>;

/** The judge's answer on one text, or why there is none (the classifier's verdict then stands). */
export type JudgeOpinion = { flagged: boolean; confidence: number; reason: string } | { error: string };

export type InjectionResult = {
  flagged: boolean;
  /** The classifier's score; `flagged` is the combined verdict (see `combineVerdicts`). */
  score: number;
  /** Present only when the judge ran on this text. */
  judge?: JudgeOpinion;
  /** The classifier flagged the text and the judge disagreed: it stays flagged, for an editor to decide. */
  disputed?: true;
  /** Flagged by the judge alone (the classifier scored it in the band just below its threshold). */
  source?: 'judge';
};

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

/** Scans one item through the stage its role names; returns the wire result and the audit records. */
export function scanItem(guard: Guardrails, item: ScanItem): { result: ScanResult; audit: AuditRecord[] } {
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
  };
}

/** How far below the classifier's threshold a score still goes to the judge (bounds the judge's cost). */
export const JUDGE_BAND = 0.15;
/** Judge requests in flight at once during one scan. */
export const JUDGE_CONCURRENCY = 4;

/** Whether the judge is asked about a text: the classifier flagged it, or scored it within the band below. */
export const needsJudge = (result: InjectionResult, threshold: number, band = JUDGE_BAND): boolean =>
  result.flagged || result.score >= threshold - band;

/**
 * The combination rule. Classifier flagged and judge agrees: flagged. Classifier flagged and judge
 * disagrees: still flagged, marked `disputed` (never cleared silently). Classifier below its threshold
 * and the judge says injection: flagged with `source: 'judge'`. A judge error changes nothing.
 */
export function combineVerdicts(classifier: InjectionResult, judge: JudgeOpinion): InjectionResult {
  const base = { flagged: classifier.flagged, score: classifier.score, judge };
  if ('error' in judge) return base;
  if (classifier.flagged) return judge.flagged ? base : { ...base, disputed: true };
  return judge.flagged ? { ...base, flagged: true, source: 'judge' } : base;
}

/**
 * Asks the judge about the results that need it (flagged or in the band), a few at a time, and returns
 * the results in the same order with the combined verdicts. Without a judge the results come back as
 * they are. A judge failure (timeout, malformed answer, server error) is recorded on its item only.
 */
export async function judgeResults(
  guard: Pick<Guardrails, 'injectionThreshold'>,
  scanned: { item: ScanItem; result: ScanResult }[],
  judge: InjectionJudge | undefined,
  options: { band?: number; concurrency?: number } = {},
): Promise<ScanResult[]> {
  const results = scanned.map((s) => s.result);
  if (!judge) return results;
  const pending = scanned
    .map((s, i) => ({ ...s, i }))
    .filter((s) => needsJudge(s.result.injection, guard.injectionThreshold, options.band));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < pending.length) {
      const { item, result, i } = pending[next++]!;
      let opinion: JudgeOpinion;
      try {
        const v = await judge.judge(item.text, item.role);
        opinion = { flagged: v.injection, confidence: v.confidence, reason: v.reason };
      } catch (err) {
        opinion = { error: err instanceof Error ? err.message : String(err) };
      }
      results[i] = { ...result, injection: combineVerdicts(result.injection, opinion) };
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(options.concurrency ?? JUDGE_CONCURRENCY, pending.length) }, worker),
  );
  return results;
}
