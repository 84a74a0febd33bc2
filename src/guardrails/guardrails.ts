// The pipeline as content generation calls it: one seam per stage, each returning a Decision
// (pass / fix / re-ask / flag / block, with findings, the fixed text and the audit records).
import { createInjectionCheck, createPiiCheck, accessCheck } from './checks-input.js';
import { createBrandChecks, shapeCheck } from './checks-output.js';
import { claimCheck } from './claims.js';
import { defaultModel } from './injection/default-model.js';
import type { LoadedModel } from './injection/model.js';
import { leakageCheck } from './leakage.js';
import { guardGeneration, runStage, type Generate } from './pipeline.js';
import type { StyleGuide } from './style-guide.js';
import type { Check, CheckContext, Decision, OnFail } from './types.js';

export type GuardrailsOptions = {
  styleGuide?: StyleGuide;
  /** Overrides of each check's on-fail policy, by check name (pii, injection, access, shape, claims, …). */
  policies?: Partial<Record<string, OnFail>>;
  model?: LoadedModel;
  now?: () => Date;
};

export type Guardrails = {
  checkInput: (text: string, ctx?: CheckContext) => Decision;
  checkChunk: (text: string, ctx?: CheckContext) => Decision;
  checkOutput: (text: string, ctx?: CheckContext, attempt?: number) => Decision;
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
  return {
    checkInput: (text, ctx = {}) => runStage('input', text, input, ctx, now()),
    checkChunk: (text, ctx = {}) => runStage('chunk', text, chunk, ctx, now()),
    checkOutput,
    guardGeneration: (generate, ctx = {}) =>
      guardGeneration(generate, (text, attempt) => checkOutput(text, ctx, attempt)),
    injectionScore: (text) => injection.scoreOf(text).score,
    injectionThreshold: model.threshold,
    checks: { input, chunk, output },
  };
}
