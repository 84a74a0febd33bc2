// An OpenAI-compatible server on loopback for tests: each POST /v1/chat/completions is answered by the
// next scripted reply, so tests drive the real `openai` SDK through success, malformed output, rate
// limits, server errors and timeouts. Requests are kept for assertions. Where requests run concurrently,
// `respondWith` answers each one by its content instead of by arrival. POST /v1/embeddings answers on its
// own (see `fakeEmbedding`), so a product configured with OPENAI_API_KEY can index and retrieve.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLlmClient, type LlmClient } from '../../src/content/generate/llm.js';

export type Reply =
  | { content: string; promptTokens?: number; completionTokens?: number }
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { delayMs: number; then: Reply };

/** Dimensions of OpenAI's embedding models when a request names none (`dimensions`). */
const EMBEDDING_DIMENSIONS: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

/**
 * A deterministic embedding: each lower-cased word of the text hashed (SHA-256) to a dimension and a
 * sign, summed and L2-normalised; a text without words hashes whole. Texts sharing words point the same
 * way, so retrieval over these vectors finds the chunks that hold the query's words.
 */
export function fakeEmbedding(text: string, dimension: number): number[] {
  const v = new Array<number>(dimension).fill(0);
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [text];
  for (const w of words) {
    const h = crypto.createHash('sha256').update(w).digest();
    v[h.readUInt32BE(0) % dimension]! += h[4]! & 1 ? 1 : -1;
  }
  const norm = Math.hypot(...v);
  return norm > 0 ? v.map((x) => x / norm) : v;
}

type EmbeddingsBody = {
  model?: string;
  input?: string | string[];
  dimensions?: number;
  encoding_format?: string;
};

/** The body of an embeddings answer, as OpenAI sends it (base64 little-endian float32 when asked, as the SDK does). */
function embeddingsAnswer(body: EmbeddingsBody) {
  const model = body.model ?? 'text-embedding-3-small';
  const dimension = body.dimensions ?? EMBEDDING_DIMENSIONS[model] ?? 1536;
  const inputs = typeof body.input === 'string' ? [body.input] : (body.input ?? []);
  return {
    object: 'list',
    model,
    data: inputs.map((text, index) => {
      const v = fakeEmbedding(text, dimension);
      return {
        object: 'embedding',
        index,
        embedding:
          body.encoding_format === 'base64' ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v,
      };
    }),
    usage: { prompt_tokens: inputs.length, total_tokens: inputs.length },
  };
}

export type FakeOpenAi = {
  baseUrl: string;
  requests: { path: string; body: { messages?: { role: string; content: string }[] } }[];
  /** The texts each embeddings request asked for (kept apart from `requests`, which are chat completions). */
  embedded: string[][];
  script: (replies: Reply[]) => void;
  /** Answers each request by its body once the scripted replies are spent; `script` clears it. */
  respondWith: (answer: (body: FakeOpenAi['requests'][number]['body']) => Reply) => void;
  close: () => Promise<void>;
};

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  let queue: Reply[] = [];
  let responder: ((body: FakeOpenAi['requests'][number]['body']) => Reply) | null = null;
  const requests: FakeOpenAi['requests'] = [];
  const embedded: string[][] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      if (req.url?.endsWith('/embeddings')) {
        const body = JSON.parse(raw || '{}') as EmbeddingsBody;
        embedded.push(typeof body.input === 'string' ? [body.input] : (body.input ?? []));
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(embeddingsAnswer(body)));
        return;
      }
      const body = JSON.parse(raw || '{}') as FakeOpenAi['requests'][number]['body'];
      requests.push({ path: req.url ?? '', body });
      const answer = (reply: Reply | undefined): void => {
        if (!reply) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: 'no scripted reply left' } }));
        } else if ('delayMs' in reply) {
          const t = setTimeout(() => answer(reply.then), reply.delayMs);
          res.on('close', () => clearTimeout(t));
        } else if ('status' in reply) {
          res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
          res.end(JSON.stringify(reply.body ?? { error: { message: `status ${reply.status}` } }));
        } else {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              id: `chatcmpl-${requests.length}`,
              object: 'chat.completion',
              created: 0,
              model: 'fake-model',
              choices: [
                { index: 0, finish_reason: 'stop', message: { role: 'assistant', content: reply.content } },
              ],
              usage: {
                prompt_tokens: reply.promptTokens ?? 100,
                completion_tokens: reply.completionTokens ?? 50,
                total_tokens: (reply.promptTokens ?? 100) + (reply.completionTokens ?? 50),
              },
            }),
          );
        }
      };
      answer(queue.shift() ?? responder?.(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    embedded,
    script: (replies) => {
      queue = [...replies];
      responder = null;
      requests.length = 0;
    },
    respondWith: (answer) => {
      queue = [];
      responder = answer;
      requests.length = 0;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The product's structured-output client pointed at a fake server: no retries, a 5 s timeout, no prices. */
export function fakeLlmClient(server: FakeOpenAi): LlmClient {
  return createLlmClient({
    apiKey: 'test-key',
    baseUrl: server.baseUrl,
    model: 'fake-model',
    prices: { inputPerMTok: 0, outputPerMTok: 0 },
    timeoutMs: 5_000,
    maxRetries: 0,
  });
}
