// Runs a stage's checks, applies each check's on-fail policy, and audits every decision, passes included.
// Seams for content generation: checkInput, checkChunk, checkOutput, and guardGeneration (re-ask at most once).
import {
  ACTIONS,
  type Action,
  type AuditRecord,
  type Check,
  type CheckContext,
  type Decision,
  type Finding,
  type Stage,
} from './types.js';

const severity = (a: Action) => ACTIONS.indexOf(a);

/** Applies replacements right to left so offsets stay valid; overlapping fixes keep the first. */
export function applyFixes(text: string, findings: readonly Finding[]): string {
  let out = text;
  let floor = Infinity;
  for (const f of [...findings]
    .filter((f) => f.replacement !== undefined)
    .sort((a, b) => b.start - a.start)) {
    if (f.end > floor) continue;
    out = out.slice(0, f.start) + f.replacement + out.slice(f.end);
    floor = f.start;
  }
  return out;
}

export function runStage(
  stage: Stage,
  text: string,
  checks: readonly Check[],
  ctx: CheckContext,
  now: Date,
  attempt = 1,
): Decision {
  const audit: AuditRecord[] = [];
  const findings: Finding[] = [];
  const feedback: string[] = [];
  let action: Action = 'pass';
  let current = text;
  for (const check of checks) {
    // Each check sees the text as fixed so far, so masks and spellings compose.
    const found = check.run(current, ctx);
    const checkAction: Action = found.length ? check.onFail : 'pass';
    audit.push({
      at: now.toISOString(),
      stage,
      check: check.name,
      action: checkAction,
      rules: [...new Set(found.map((f) => f.rule))],
      spans: found.map((f) => [f.start, f.end]),
      score: found.length ? Math.max(...found.map((f) => f.score)) : null,
      attempt,
    });
    if (!found.length) continue;
    findings.push(...found);
    if (checkAction === 'fix') {
      current = applyFixes(current, found) + (check.append?.(found) ?? '');
    } else if (checkAction === 're-ask') feedback.push(...found.map((f) => f.message));
    if (severity(checkAction) > severity(action)) action = checkAction;
  }
  return { stage, action, text: current, findings, audit, feedback };
}

export type Generate = (feedback: string[] | null) => Promise<string>;

/**
 * Generates, checks the output, and on re-ask generates once more with the feedback. A second re-ask is
 * not retried: it becomes a flag for the editor. Both attempts stay in the audit.
 */
export async function guardGeneration(
  generate: Generate,
  check: (text: string, attempt: number) => Decision,
): Promise<Decision & { attempts: number }> {
  const first = check(await generate(null), 1);
  if (first.action !== 're-ask') return { ...first, attempts: 1 };
  const second = check(await generate(first.feedback), 2);
  const action: Action = second.action === 're-ask' ? 'flag' : second.action;
  return { ...second, action, audit: [...first.audit, ...second.audit], attempts: 2 };
}
