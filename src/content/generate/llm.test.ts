// The structured-output client through the real `openai` SDK against a loopback server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startFakeOpenAi, type FakeOpenAi } from '../../../test/helpers/fake-openai.js';
import { createLlmClient, GenerationError } from './llm.js';

const Schema = z.object({ headline: z.string().max(30), citations: z.array(z.string()).min(1) });
const prices = { inputPerMTok: 0.15, outputPerMTok: 0.6 };
let server: FakeOpenAi;
beforeAll(async () => {
  server = await startFakeOpenAi();
});
afterAll(async () => server?.close());

const client = (overrides: { timeoutMs?: number; maxRetries?: number } = {}) =>
  createLlmClient({
    apiKey: 'test-key',
    baseUrl: server.baseUrl,
    model: 'fake-model',
    prices,
    timeoutMs: overrides.timeoutMs ?? 5_000,
    maxRetries: overrides.maxRetries ?? 0,
  });
const ask = (c = client()) =>
  c.complete({
    system: 'You write ads.',
    user: 'One headline.',
    schema: Schema,
    validate: (v) => (v.citations.every((x) => x === 's1') ? [] : ['unknown passage id']),
  });
const reasonOf = async (p: Promise<unknown>) => {
  const err: unknown = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GenerationError);
  return (err as GenerationError).reason;
};

describe('structured generation through the openai SDK', () => {
  it('returns the validated value with its token usage and cost', async () => {
    server.script([
      {
        content: '{"headline": "Green tea, no bitterness", "citations": ["s1"]}',
        promptTokens: 1000,
        completionTokens: 200,
      },
    ]);
    const a = await ask();
    expect(a.value.headline).toBe('Green tea, no bitterness');
    expect(a.attempts).toBe(1);
    // 1000 × 0.15 / 1e6 + 200 × 0.60 / 1e6
    expect(a.usage).toEqual({ requests: 1, promptTokens: 1000, completionTokens: 200, costUsd: 0.00027 });
    expect(server.requests[0]!.path).toBe('/v1/chat/completions');
    expect(server.requests[0]!.body.messages!.map((m) => m.role)).toEqual(['system', 'user']);
  });

  it('re-asks once with the problems when the answer does not validate, and counts both requests', async () => {
    server.script([
      { content: '{"headline": "A headline that is far too long for an ad", "citations": ["s9"]}' },
      { content: '{"headline": "Short and true", "citations": ["s1"]}' },
    ]);
    const a = await ask();
    expect(a).toMatchObject({ value: { headline: 'Short and true' }, attempts: 2 });
    expect(a.usage.requests).toBe(2);
    const reask = server.requests[1]!.body.messages!.at(-1)!.content;
    expect(reask).toMatch(/did not validate: headline: .*30/);
  });

  it('fails clearly after a second malformed answer', async () => {
    server.script([{ content: 'Sure! Here is your headline: Green tea' }, { content: '{"headline": 3}' }]);
    const err = (await ask().then(
      () => null,
      (e: unknown) => e,
    )) as GenerationError;
    expect(err).toBeInstanceOf(GenerationError);
    expect(err.reason).toBe('malformed-output');
    expect(err.message).toMatch(/did not validate twice/);
    expect(err.usage.requests).toBe(2);
  });

  it('retries a rate limit as the SDK does, and reports one that persists', async () => {
    const limited = { status: 429, headers: { 'retry-after-ms': '5' } };
    server.script([limited, { content: '{"headline": "Fine", "citations": ["s1"]}' }]);
    expect((await ask(client({ maxRetries: 1 }))).value.headline).toBe('Fine');
    server.script([limited, limited]);
    expect(await reasonOf(ask(client({ maxRetries: 1 })))).toBe('rate-limited');
    expect(server.requests).toHaveLength(2);
  });

  it('reports server errors and timeouts by reason', async () => {
    server.script([{ status: 500 }]);
    expect(await reasonOf(ask())).toBe('upstream-error');
    server.script([{ delayMs: 2_000, then: { content: '{}' } }]);
    expect(await reasonOf(ask(client({ timeoutMs: 100 })))).toBe('timeout');
  });
});
