// Structured generation through the `openai` SDK against any OpenAI-compatible server: JSON mode, the
// answer validated with zod (plus the caller's own checks, e.g. that every citation names a passage),
// and one re-ask carrying the problems when it does not validate. Rate limits and timeouts are retried
// by the SDK (its backoff honours retry-after); what still fails becomes a GenerationError with a reason.
import OpenAI from 'openai';
import type { z } from 'zod';
import { costOf, NO_USAGE, addUsage, type Prices, type Usage } from './cost.js';

export type GenerationFailure = 'rate-limited' | 'timeout' | 'upstream-error' | 'malformed-output';

export class GenerationError extends Error {
  constructor(
    readonly reason: GenerationFailure,
    message: string,
    readonly usage: Usage,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = 'GenerationError';
  }
}

export type LlmRequest<T> = {
  system: string;
  user: string;
  schema: z.ZodType<T>;
  /** Problems beyond the schema (unknown citations, lengths); empty when valid. */
  validate?: (value: T) => string[];
};

export type LlmAnswer<T> = { value: T; usage: Usage; attempts: number };

export type LlmClient = {
  model: string;
  complete: <T>(request: LlmRequest<T>) => Promise<LlmAnswer<T>>;
};

export type LlmOptions = {
  apiKey: string;
  baseUrl?: string;
  model: string;
  prices: Prices;
  timeoutMs: number;
  /** SDK retries of 429, 408, 409, 5xx and connection errors, with backoff. */
  maxRetries: number;
};

/** Parses and validates one answer; returns the value or the problems to re-ask with. */
export function validateAnswer<T>(
  content: string,
  schema: z.ZodType<T>,
  validate?: (value: T) => string[],
): { value: T } | { problems: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(content.replace(/^\s*```(?:json)?\s*|\s*```\s*$/g, ''));
  } catch {
    return { problems: ['the answer is not JSON'] };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    return {
      problems: parsed.error.issues.slice(0, 10).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    };
  const extra = validate?.(parsed.data) ?? [];
  return extra.length ? { problems: extra.slice(0, 10) } : { value: parsed.data };
}

function failureOf(err: unknown): GenerationFailure {
  if (err instanceof OpenAI.APIConnectionTimeoutError) return 'timeout';
  if (err instanceof OpenAI.RateLimitError) return 'rate-limited';
  return 'upstream-error';
}

export function createLlmClient(options: LlmOptions): LlmClient {
  const client = new OpenAI({
    apiKey: options.apiKey,
    ...(options.baseUrl ? { baseURL: options.baseUrl } : {}),
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries,
  });
  return {
    model: options.model,
    async complete<T>(request: LlmRequest<T>): Promise<LlmAnswer<T>> {
      const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
        { role: 'system', content: request.system },
        { role: 'user', content: request.user },
      ];
      let usage = NO_USAGE;
      let problems: string[] = [];
      for (let attempt = 1; attempt <= 2; attempt++) {
        let content: string;
        try {
          const res = await client.chat.completions.create({
            model: options.model,
            messages,
            response_format: { type: 'json_object' },
          });
          const p = res.usage?.prompt_tokens ?? 0;
          const c = res.usage?.completion_tokens ?? 0;
          usage = addUsage(usage, {
            requests: 1,
            promptTokens: p,
            completionTokens: c,
            costUsd: costOf(p, c, options.prices),
          });
          content = res.choices[0]?.message.content ?? '';
        } catch (err) {
          const reason = failureOf(err);
          const status = err instanceof OpenAI.APIError && err.status ? ` (HTTP ${err.status})` : '';
          throw new GenerationError(
            reason,
            `The model server failed: ${reason}${status}. ${reason === 'rate-limited' ? 'Retry later.' : 'Check OPENAI_BASE_URL and the server.'}`,
            usage,
            { cause: err },
          );
        }
        const checked = validateAnswer(content, request.schema, request.validate);
        if ('value' in checked) return { value: checked.value, usage, attempts: attempt };
        problems = checked.problems;
        messages.push(
          { role: 'assistant', content },
          {
            role: 'user',
            content: `Your answer did not validate: ${problems.join('; ')}. Answer again with JSON only, in the shape asked for.`,
          },
        );
      }
      throw new GenerationError(
        'malformed-output',
        `The model's answer did not validate twice: ${problems.join('; ')}`,
        usage,
      );
    },
  };
}
