// Which generator runs: a language model through an OpenAI-compatible server when OPENAI_API_KEY is
// configured, else the offline composer. Every stored output carries the generator's label, and offline
// output says so in its own words (OFFLINE_NOTE), in the API and on the review page alike.
import { createLlmClient, type LlmClient } from './llm.js';
import type { Prices } from './cost.js';

export type Generator =
  { kind: 'openai'; label: string; llm: LlmClient } | { kind: 'offline'; label: string };

export const OFFLINE_LABEL = 'offline-composer@1';
export const OFFLINE_NOTE =
  'Offline draft: composed from the brand’s own passages, catalogue and templates; no language model was configured.';

export type GeneratorConfig = {
  apiKey: string | undefined;
  baseUrl: string | undefined;
  model: string;
  prices: Prices;
  timeoutMs: number;
  maxRetries?: number;
};

export function createGenerator(config: GeneratorConfig): Generator {
  if (!config.apiKey) return { kind: 'offline', label: OFFLINE_LABEL };
  return {
    kind: 'openai',
    label: `openai:${config.model}`,
    llm: createLlmClient({
      apiKey: config.apiKey,
      ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}),
      model: config.model,
      prices: config.prices,
      timeoutMs: config.timeoutMs,
      maxRetries: config.maxRetries ?? 2,
    }),
  };
}

export const generatorInfo = (g: Generator) => ({
  kind: g.kind,
  label: g.label,
  ...(g.kind === 'offline' ? { note: OFFLINE_NOTE } : {}),
});
