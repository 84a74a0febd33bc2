// The LLM judge, built from the OpenAI settings: the content domain's client (JSON mode, zod-validated,
// one re-ask) handed to guardrails, which may not import content themselves. One judge serves the scan
// (CLI and POST /v1/guardrails/scan) and content generation's input and retrieved-chunk checks.
// Without OPENAI_API_KEY there is no judge and both are the classifier's alone.
import type { Config } from './platform/config.js';
import type { Logger } from './platform/log.js';
import { createGenerator } from './content/index.js';
import { createInjectionJudge, type InjectionJudge } from './guardrails/index.js';

export function scanJudgeFor(openai: Config['openai'], log?: Logger): InjectionJudge | undefined {
  const generator = createGenerator(openai);
  if (generator.kind !== 'openai') return undefined;
  const judge = createInjectionJudge(generator.llm);
  if (!log) return judge;
  // A failure leaves the classifier's verdict and is recorded with the decision; the log says why.
  return {
    ...judge,
    judge: (text, role) =>
      judge.judge(text, role).catch((err: unknown) => {
        log.warn(
          {
            domain: 'guardrails',
            role,
            model: judge.model,
            error: err instanceof Error ? err.message : String(err),
          },
          'LLM judge gave no opinion; the injection classifier decides alone',
        );
        throw err;
      }),
  };
}
