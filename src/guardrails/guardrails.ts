// The pipeline as content generation calls it: one seam per stage, each returning a Decision
// (pass / fix / re-ask / flag / block, with findings, the fixed text and the audit records).
import { createInjectionCheck, createPiiCheck, accessCheck } from './checks-input.js';
import { createBrandChecks, shapeCheck } from './checks-output.js';
import { claimCheck } from './claims.js';
import { defaultModel } from './injection/default-model.js';
import type { InjectionJudge } from './injection/llm-judge.js';
import type { LoadedModel } from './injection/model.js';
import { leakageCheck } from './leakage.js';
import { guardGeneration, runStage, type Generate } from './pipeline.js';
import {
  askJudge,
  combineVerdicts,
  JUDGE_BAND,
  JUDGE_CONCURRENCY,
  judgedDecision,
  mapBounded,
  needsJudge,
  type InjectionResult,
} from './second-opinion.js';
import type { StyleGuide } from './style-guide.js';
import type { Check, CheckContext, Decision, OnFail } from './types.js';

export type GuardrailsOptions = {
  styleGuide?: StyleGuide;
  /** Overrides of each check's on-fail policy, by check name (pii, injection, access, shape, claims, …). */
  policies?: Partial<Record<string, OnFail>>;
  model?: LoadedModel;
  now?: () => Date;
  /** The LLM judge's second opinion on injection in inputs and chunks (`checkInputJudged`, `checkChunksJudged`). */
  judge?: InjectionJudge;
  /** Judge requests in flight at once for one batch of chunks (default JUDGE_CONCURRENCY). */
  judgeConcurrency?: number;
};

/** A chunk of one retrieval and its context (access labels). */
export type ChunkToCheck = { text: string; ctx?: CheckContext };

export type Guardrails = {
  checkInput: (text: string, ctx?: CheckContext) => Decision;
  checkChunk: (text: string, ctx?: CheckContext) => Decision;
  checkOutput: (text: string, ctx?: CheckContext, attempt?: number) => Decision;
  /**
   * checkInput with the judge's second opinion on its injection verdict (see second-opinion.ts): asked
   * only about a flagged or near-threshold text; it never clears a flag. Without a judge: checkInput.
   */
  checkInputJudged: (text: string, ctx?: CheckContext) => Promise<Decision>;
  /** checkChunk over the chunks of one retrieval, in order, the judge asked about them a few at a time. */
  checkChunksJudged: (chunks: readonly ChunkToCheck[]) => Promise<Decision[]>;
  /** An input or chunk decision revised by a combined verdict on its text (the scan's audit uses it). */
  applyJudge: (text: string, decision: Decision, combined: InjectionResult, model?: string) => Decision;
  /** Whether a judge was configured (an LLM is). */
  judged: boolean;
  /** Generates, checks, and re-asks at most once (a second re-ask becomes a flag). */
  guardGeneration: (generate: Generate, ctx?: CheckContext) => Promise<Decision & { attempts: number }>;
  /** The classifier's score (0..1) for a text, flagged or not; its threshold is `injectionThreshold`. */
  injectionScore: (text: string) => number;
  injectionThreshold: number;
  checks: { input: Check[]; chunk: Check[]; output: Check[] };
};

export function createGuardrails(options: GuardrailsOptions = {}): Guardrails {
  const now = options.now ?? (() => new Date());
  const model = options.model ?? defaultModel();
  const policy = (c: Check): Check => ({ ...c, onFail: options.policies?.[c.name] ?? c.onFail });
  const injection = createInjectionCheck(model);
  const input = [injection, createPiiCheck()].map(policy);
  const chunk = [accessCheck, injection, createPiiCheck()].map(policy);
  const output = [
    shapeCheck,
    leakageCheck,
    ...(options.styleGuide ? createBrandChecks(options.styleGuide) : []),
    claimCheck,
    // Links in copy are the brand's own; personal data (e-mail, phone, card, …) is what must not leak.
    createPiiCheck('fix', ['URL', 'DOMAIN_NAME']),
  ].map(policy);
  const checkOutput = (text: string, ctx: CheckContext = {}, attempt = 1) =>
    runStage('output', text, output, ctx, now(), attempt);
  const checkInput = (text: string, ctx: CheckContext = {}) => runStage('input', text, input, ctx, now());
  const checkChunk = (text: string, ctx: CheckContext = {}) => runStage('chunk', text, chunk, ctx, now());
  const onFailOf = (stage: Check[]) => stage.find((c) => c.name === 'injection')?.onFail ?? injection.onFail;
  const applyJudge = (text: string, decision: Decision, combined: InjectionResult, judgeModel?: string) =>
    judgedDecision(decision, combined, injection.scoreOf(text), {
      model: judgeModel,
      onFail: onFailOf(decision.stage === 'chunk' ? chunk : input),
    });
  const { judge } = options;
  /** Decisions in order; the judge reads each text as the stage left it (PII masked), as a user or a document. */
  const withJudge = async (texts: readonly string[], decisions: Decision[]): Promise<Decision[]> => {
    if (!judge) return decisions;
    const pending = decisions.flatMap((d, i) => {
      // A chunk another check refused (access) never reaches a prompt: nothing for the judge to weigh.
      if (d.audit.some((r) => r.check !== 'injection' && r.action === 'block')) return [];
      const classifier = {
        flagged: d.findings.some((f) => f.check === 'injection'),
        score: injection.scoreOf(texts[i]!).score,
      };
      return needsJudge(classifier, model.threshold, JUDGE_BAND) ? [{ i, classifier }] : [];
    });
    const out = [...decisions];
    await mapBounded(pending, options.judgeConcurrency ?? JUDGE_CONCURRENCY, async ({ i, classifier }) => {
      const d = decisions[i]!;
      const opinion = await askJudge(judge, d.text, d.stage === 'chunk' ? 'document' : 'user');
      out[i] = applyJudge(texts[i]!, d, combineVerdicts(classifier, opinion), judge.model);
    });
    return out;
  };
  return {
    checkInput,
    checkChunk,
    checkOutput,
    checkInputJudged: async (text, ctx = {}) => (await withJudge([text], [checkInput(text, ctx)]))[0]!,
    checkChunksJudged: (chunks) =>
      withJudge(
        chunks.map((c) => c.text),
        chunks.map((c) => checkChunk(c.text, c.ctx)),
      ),
    applyJudge,
    judged: judge !== undefined,
    guardGeneration: (generate, ctx = {}) =>
      guardGeneration(generate, (text, attempt) => checkOutput(text, ctx, attempt)),
    injectionScore: (text) => injection.scoreOf(text).score,
    injectionThreshold: model.threshold,
    checks: { input, chunk, output },
  };
}
