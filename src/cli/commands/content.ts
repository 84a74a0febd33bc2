// `attune content add PATH...`, `attune content search QUERY`, `attune content delete URL`.
import { JSON_FLAG, UsageError, printJson, printTable, type Command } from '../command.js';
import { withDatabase } from '../context.js';
import { createProgress } from '../progress.js';
import {
  DEFAULT_BRAND,
  MAX_LIMIT,
  BULK_CHUNKS,
  addDocuments,
  createEmbedder,
  deleteDocument,
  listDocumentFiles,
  readDocumentFile,
  searchContent,
} from '../../content/index.js';
import { RERANKERS, type RerankerName } from '../../content/rerank.js';

const list = (v: unknown): string[] | undefined =>
  typeof v === 'string'
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;

export const contentCommand: Command = {
  name: 'content',
  summary: 'Add brand documents to the content corpus, search it, delete from it.',
  usage:
    'content add PATH... [--brand B] [--access a,b] [--language en|de] | content search QUERY [--limit N] [--json] | content delete URL [--brand B]',
  help: 'PATH is a file or folder (.md, .html, .txt). A document\'s URL is its front-matter `path` (or canonical link), else the file path.\nsearch --json prints {results: [{documentUrl, headingPath, text, score, vectorRank, textRank}]}, best first; a rank is null\nwhen that branch did not return the chunk. Without OPENAI_API_KEY the local embedder runs. See README "Content".',
  flags: {
    brand: { type: 'string', description: `brand label (default ${DEFAULT_BRAND})` },
    access: { type: 'string', description: 'comma-separated access labels (default public)' },
    language: { type: 'string', description: 'en or de (default: front matter, else detected)' },
    limit: { type: 'string', description: `results (1–${MAX_LIMIT}, default 10)` },
    rerank: {
      type: 'string',
      description: 'none (default) or fields: BM25F over headings and text after fusion',
    },
    ...JSON_FLAG,
  },
  async run({ values, positionals }) {
    const [action, ...rest] = positionals;
    const brand = typeof values.brand === 'string' ? values.brand : DEFAULT_BRAND;
    if (action === 'add') {
      if (!rest.length) throw new UsageError('content add needs at least one file or folder.');
      const defaults = {
        brand,
        ...(list(values.access) ? { access: list(values.access) } : {}),
        ...(values.language ? { language: values.language as 'en' | 'de' } : {}),
      };
      const files = listDocumentFiles(rest);
      const progress = createProgress(process.stderr);
      const out = await withDatabase('attune content add', (d, config) =>
        addDocuments(
          d,
          createEmbedder(config.openai),
          files.map((f) => readDocumentFile(f, defaults)),
          new Date(),
          {
            // Small batches finish in seconds; a bulk load (a site import) shows where it is.
            onProgress: (done, total) =>
              total >= BULK_CHUNKS &&
              progress.update(
                done / total,
                `  indexing: ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} chunks`,
              ),
          },
        ),
      );
      progress.done();
      for (const o of out) if (o.error) process.stderr.write(`${files[o.index]}: ${o.error}\n`);
      const ok = out.flatMap((o) => (o.result ? [{ file: files[o.index]!, ...o.result }] : []));
      if (values.json) printJson({ results: ok, errors: out.filter((o) => o.error) });
      else {
        printTable(ok, ['file', 'url', 'status', 'version', 'chunks', 'language', 'piiMasked']);
        process.stdout.write(`\n${ok.length} of ${files.length} documents stored.\n`);
      }
      return ok.length === files.length ? 0 : 1;
    }
    if (action === 'search') {
      const query = rest.join(' ').trim();
      if (!query) throw new UsageError('content search needs a query.');
      const limit = values.limit === undefined ? 10 : Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
        throw new UsageError(
          `--limit must be a whole number from 1 to ${MAX_LIMIT}, not ${String(values.limit)}.`,
        );
      const rerank = values.rerank ?? 'none';
      if (!RERANKERS.includes(rerank as RerankerName))
        throw new UsageError(`--rerank must be one of ${RERANKERS.join(', ')}, not ${String(rerank)}.`);
      const answer = await withDatabase('attune content search', (d, config) =>
        searchContent(d, createEmbedder(config.openai), {
          query,
          brand,
          access: list(values.access) ?? ['public'],
          limit,
          rerank: rerank as RerankerName,
        }),
      );
      if (values.json) {
        printJson({
          results: answer.results.map((r) => ({
            documentUrl: r.documentUrl,
            headingPath: r.headingPath,
            text: r.text,
            score: r.score,
            vectorRank: r.vectorRank,
            textRank: r.textRank,
            ...(r.rerankRank !== undefined ? { rerankRank: r.rerankRank } : {}),
          })),
        });
      } else {
        printTable(
          answer.results.map((r) => ({
            score: r.score.toFixed(4),
            vector: r.vectorRank ?? '-',
            text: r.textRank ?? '-',
            document: r.documentUrl,
            heading: r.headingPath.join(' › '),
            excerpt: r.text.length > 70 ? `${r.text.slice(0, 69)}…` : r.text,
          })),
          ['score', 'vector', 'text', 'document', 'heading', 'excerpt'],
        );
        process.stdout.write(`\nretrieval: ${answer.path}; embedder: ${answer.embedder}\n`);
      }
      return 0;
    }
    if (action === 'delete') {
      const [url] = rest;
      if (!url) throw new UsageError('content delete needs the document URL.');
      const r = await withDatabase('attune content delete', (d) => deleteDocument(d, brand, url));
      if (!r.deleted) {
        process.stderr.write(`No document ${url} for brand ${brand}.\n`);
        return 1;
      }
      process.stdout.write(`Deleted ${url} and its ${r.chunks} chunks.\n`);
      return 0;
    }
    throw new UsageError('content needs an action: add, search or delete.');
  },
};
