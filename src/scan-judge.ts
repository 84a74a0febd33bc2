// The guardrail scan's LLM judge, built from the OpenAI settings: the content domain's client
// (JSON mode, zod-validated, one re-ask) handed to guardrails, which may not import content themselves.
// Without OPENAI_API_KEY there is no judge and the scan is the classifier's alone.
import type { Config } from './platform/config.js';
import { createGenerator } from './content/index.js';
import { createInjectionJudge, type InjectionJudge } from './guardrails/index.js';

export function scanJudgeFor(openai: Config['openai']): InjectionJudge | undefined {
  const generator = createGenerator(openai);
  return generator.kind === 'openai' ? createInjectionJudge(generator.llm) : undefined;
}
