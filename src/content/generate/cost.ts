// Token usage and its cost. Prices are per million tokens and come from the configuration, because
// they differ by model and provider (a local vLLM server costs nothing per token).

export type Usage = { requests: number; promptTokens: number; completionTokens: number; costUsd: number };

export const NO_USAGE: Usage = Object.freeze({
  requests: 0,
  promptTokens: 0,
  completionTokens: 0,
  costUsd: 0,
});

export type Prices = { inputPerMTok: number; outputPerMTok: number };

export function costOf(promptTokens: number, completionTokens: number, prices: Prices): number {
  return (promptTokens * prices.inputPerMTok + completionTokens * prices.outputPerMTok) / 1_000_000;
}

export function addUsage(a: Usage, b: Usage): Usage {
  return {
    requests: a.requests + b.requests,
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    costUsd: a.costUsd + b.costUsd,
  };
}
