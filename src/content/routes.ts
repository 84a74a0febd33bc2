// POST /v1/content/documents (add or replace, one result per item), DELETE /v1/content/documents,
// POST /v1/content/search (hybrid retrieval with each branch's rank).
import { z } from '@hono/zod-openapi';
import type { Api } from '../platform/http/app.js';
import { ROLE_GROUPS } from '../platform/http/env.js';
import { defineRoute, jsonResponse } from '../platform/http/route.js';
import type { Database } from '../platform/db/client.js';
import { NotFoundError } from '../platform/errors.js';
import type { Embedder } from './embedder.js';
import { addDocuments } from './corpus.js';
import { DEFAULT_BRAND } from './document.js';
import { deleteDocument } from './store.js';
import { MAX_LIMIT, searchContent } from './search.js';
import { RERANKERS } from './rerank.js';

/** Documents per request: each is chunked and embedded in the request. */
export const MAX_DOCUMENTS = 100;

const label = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, - and _');

const AddResultSchema = z.object({
  index: z.number().int(),
  url: z.string(),
  brand: z.string(),
  status: z.enum(['added', 'replaced', 'unchanged']),
  version: z.number().int(),
  chunks: z.number().int(),
  language: z.string(),
  piiMasked: z.number().int(),
});

export const SearchRequestSchema = z
  .strictObject({
    query: z.string().trim().min(1).max(1000),
    limit: z.number().int().min(1).max(MAX_LIMIT).default(10),
    brand: label.default(DEFAULT_BRAND),
    access: z.array(label).min(1).max(20).default(['public']),
    rerank: z
      .enum(RERANKERS)
      .default('none')
      .describe('fields: re-score the fused head by BM25F over heading and text (src/content/rerank.ts)'),
  })
  .openapi('ContentSearchRequest');

const SearchResultSchema = z.object({
  chunkId: z.string(),
  documentUrl: z.string(),
  title: z.string(),
  language: z.string(),
  headingPath: z.array(z.string()),
  text: z.string(),
  startOffset: z.number().int(),
  endOffset: z.number().int(),
  score: z.number(),
  vectorRank: z.number().int().nullable(),
  textRank: z.number().int().nullable(),
  rerankRank: z.number().int().nullable().optional(),
});

export function registerContentRoutes(
  app: Api,
  database: Database,
  embedder: Embedder,
  bodyBytes: number,
  clock: () => Date,
): void {
  app.openapi(
    defineRoute({
      method: 'post',
      path: '/v1/content/documents',
      roles: ROLE_GROUPS.editors,
      bodyLimitBytes: bodyBytes,
      tags: ['content'],
      summary: 'Add or replace brand documents (Markdown, HTML, text); PII is masked before indexing',
      request: {
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.object({ documents: z.array(z.unknown()).min(1).max(MAX_DOCUMENTS) }),
            },
          },
        },
      },
      responses: {
        200: jsonResponse(
          z.object({
            embedder: z.string(),
            results: z.array(AddResultSchema),
            errors: z.array(z.object({ index: z.number().int(), detail: z.string() })),
          }),
          'One result per stored document; one error per invalid one (the others are stored)',
        ),
      },
    }),
    async (c) => {
      const out = await addDocuments(database, embedder, c.req.valid('json').documents, clock());
      return c.json(
        {
          embedder: `${embedder.name}@${embedder.version} (${embedder.label})`,
          results: out.flatMap((o) => (o.result ? [{ index: o.index, ...o.result }] : [])),
          errors: out.flatMap((o) => (o.error ? [{ index: o.index, detail: o.error }] : [])),
        },
        200,
      );
    },
  );

  app.openapi(
    defineRoute({
      method: 'delete',
      path: '/v1/content/documents',
      roles: ROLE_GROUPS.editors,
      tags: ['content'],
      summary: 'Delete a document with all its chunks and vectors',
      request: {
        query: z.object({ url: z.string().min(1).max(2000), brand: label.default(DEFAULT_BRAND) }),
      },
      responses: {
        200: jsonResponse(z.object({ url: z.string(), chunks: z.number().int() }), 'Deleted'),
      },
    }),
    async (c) => {
      const { url, brand } = c.req.valid('query');
      const r = await deleteDocument(database, brand, url);
      if (!r.deleted) throw new NotFoundError(`Document ${url} of brand ${brand}`);
      return c.json({ url, chunks: r.chunks }, 200);
    },
  );

  app.openapi(
    defineRoute({
      method: 'post',
      path: '/v1/content/search',
      roles: ROLE_GROUPS.readers,
      bodyLimitBytes: bodyBytes,
      tags: ['content'],
      summary: 'Hybrid retrieval: vector and full-text branches fused by reciprocal rank fusion',
      request: { body: { required: true, content: { 'application/json': { schema: SearchRequestSchema } } } },
      responses: {
        200: jsonResponse(
          z.object({
            path: z.enum(['pgvector-hnsw', 'exact-fallback']),
            embedder: z.string(),
            results: z.array(SearchResultSchema),
          }),
          'Chunks best first, with the rank each branch gave them (null: not in that branch)',
        ),
      },
    }),
    async (c) => c.json(await searchContent(database, embedder, c.req.valid('json')), 200),
  );
}
