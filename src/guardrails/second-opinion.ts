// The LLM judge's second opinion on the injection classifier, as one rule for every caller: the scan
// (API and CLI) and content generation's input and retrieved chunks. The judge is asked only about texts
// the classifier flags or scores within a band below its threshold; its answer never clears a flag.
import type { InjectionJudge, JudgeRole } from './injection/llm-judge.js';
import {
  ACTIONS,
  type AuditRecord,
  type Decision,
  type Finding,
  type JudgeNote,
  type OnFail,
} from './types.js';

/** How far below the classifier's threshold a score still goes to the judge (bounds the judge's cost). */
export const JUDGE_BAND = 0.15;
/** Judge requests in flight at once during one scan or one generation's retrieval. */
export const JUDGE_CONCURRENCY = 4;
/** Characters of a judge's failure kept in the audit (its message names the reason, never the text). */
const ERROR_CHARS = 300;

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

/** Asks the judge; a failure (timeout, malformed answer, server error) becomes an opinion with its error. */
export async function askJudge(judge: InjectionJudge, text: string, role: JudgeRole): Promise<JudgeOpinion> {
  try {
    const v = await judge.judge(text, role);
    return { flagged: v.injection, confidence: v.confidence, reason: v.reason };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

/** Runs `fn` over the items with at most `concurrency` in flight; results in input order. */
export async function mapBounded<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, concurrency), items.length) }, worker));
  return out;
}

/** The judge's part of a combined verdict, as the audit records it. */
export function judgeNoteOf(combined: InjectionResult, model: string | undefined): JudgeNote | undefined {
  const opinion = combined.judge;
  if (!opinion) return undefined;
  const base = { model: model ?? null };
  if ('error' in opinion) return { verdict: 'error', ...base, error: opinion.error.slice(0, ERROR_CHARS) };
  const verdict = combined.disputed ? 'disputed' : combined.source === 'judge' ? 'rescued' : 'agreed';
  return { verdict, ...base, confidence: opinion.confidence };
}

/** The injection check's audit record with the judge's part; a rescue turns its pass into the check's action. */
export function auditWithJudge(
  record: AuditRecord,
  note: JudgeNote,
  classifier: { score: number; start: number; end: number },
  onFail: OnFail,
): AuditRecord {
  const judged = { ...record, score: record.score ?? classifier.score, judge: note };
  if (note.verdict !== 'rescued') return judged;
  return {
    ...judged,
    action: onFail,
    rules: ['injection.judge'],
    spans: [[classifier.start, classifier.end]],
    score: classifier.score,
  };
}

const severity = (a: Decision['action']) => ACTIONS.indexOf(a);

/**
 * A stage's decision revised by the judge's opinion on its injection check. Agreed or failed: the
 * decision stands, its injection finding and audit record carry the judge's part. Disputed: the same,
 * still acted on by the check's policy. Rescued: a finding `injection.judge` over the classifier's most
 * suspicious span, acted on by the injection check's policy.
 */
export function judgedDecision(
  decision: Decision,
  combined: InjectionResult,
  classifier: { score: number; start: number; end: number },
  options: { model: string | undefined; onFail: OnFail },
): Decision {
  const note = judgeNoteOf(combined, options.model);
  if (!note) return decision;
  const opinion = combined.judge!;
  const withReason = 'reason' in opinion ? { ...note, reason: opinion.reason } : note;
  const audit = decision.audit.map((r) =>
    r.check === 'injection' ? auditWithJudge(r, note, classifier, options.onFail) : r,
  );
  if (note.verdict !== 'rescued')
    return {
      ...decision,
      audit,
      findings: decision.findings.map((f) => (f.check === 'injection' ? { ...f, judge: withReason } : f)),
    };
  const finding: Finding = {
    check: 'injection',
    rule: 'injection.judge',
    start: classifier.start,
    end: classifier.end,
    score: classifier.score,
    message:
      'the LLM judge reads this text as an instruction to the model (prompt injection); the classifier scored it just below its threshold',
    judge: withReason,
  };
  return {
    ...decision,
    action: severity(options.onFail) > severity(decision.action) ? options.onFail : decision.action,
    audit,
    findings: [finding, ...decision.findings],
    feedback: options.onFail === 're-ask' ? [...decision.feedback, finding.message] : decision.feedback,
  };
}
