// Which embedder runs: an OpenAI-compatible server when a key is configured, else the local one.
// Every stored vector records the embedder's name, version and dimension; retrieval only compares
// vectors of the embedder that embeds the query.
import OpenAI from 'openai';
import { createLocalEmbedder } from './embed-local.js';
import type { Embedder } from './types.js';

export type { Embedder };

/** A small, cheap embedding model every OpenAI-compatible server is likely to map. */
export const OPENAI_EMBEDDING_MODEL = 'text-embedding-3-small';
/** OpenAI's input limit per request is 2048 texts; fewer keeps each request small. */
const OPENAI_BATCH = 256;
/** pgvector's HNSW index takes at most 2000 dimensions. */
export const MAX_INDEXED_DIMENSION = 2000;

export function createOpenAiEmbedder(options: {
  apiKey: string;
  baseUrl?: string;
  model?: string;
  dimension?: number;
  timeoutMs?: number;
}): Embedder {
  const client = new OpenAI({
    apiKey: options.apiKey,
    ...(options.baseUrl ? { baseURL: options.baseUrl } : {}),
    timeout: options.timeoutMs ?? 30_000,
    maxRetries: 2,
  });
  const model = options.model ?? OPENAI_EMBEDDING_MODEL;
  const dimension = options.dimension ?? 1536;
  return {
    name: `openai:${model}`,
    version: '1',
    dimension,
    label: 'openai',
    async embed(texts) {
      const out: number[][] = [];
      for (let i = 0; i < texts.length; i += OPENAI_BATCH) {
        const res = await client.embeddings.create({ model, input: texts.slice(i, i + OPENAI_BATCH) });
        for (const d of [...res.data].sort((a, b) => a.index - b.index)) {
          if (d.embedding.length !== dimension)
            throw new Error(
              `the embedding model ${model} returned ${d.embedding.length} dimensions, expected ${dimension}`,
            );
          const norm = Math.hypot(...d.embedding);
          out.push(d.embedding.map((x) => (norm > 0 ? x / norm : 0)));
        }
      }
      return out;
    },
  };
}

export function createEmbedder(openai: {
  apiKey: string | undefined;
  baseUrl: string | undefined;
}): Embedder {
  return openai.apiKey
    ? createOpenAiEmbedder({ apiKey: openai.apiKey, ...(openai.baseUrl ? { baseUrl: openai.baseUrl } : {}) })
    : createLocalEmbedder();
}
