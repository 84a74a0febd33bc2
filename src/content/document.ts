// A submitted document turned into what the index stores: metadata, and chunks whose text has PII
// masked (src/guardrails rules) before anything is embedded or written. Pure: no database.
import crypto from 'node:crypto';
import { z } from '@hono/zod-openapi';
import { detectPii, maskPii } from '../guardrails/index.js';
import { parseSource, type SourceFormat } from './source.js';
import { chunkSource, type Chunk } from './chunk.js';
import { tokenize } from './embed-local.js';

/** The simulated brand (fixtures/brand); documents without a brand belong to it. */
export const DEFAULT_BRAND = 'kettle-crane';
export const LANGUAGES = ['en', 'de'] as const;
export type Language = (typeof LANGUAGES)[number];
/** One submitted document's text; the brand pages are a few kilobytes. */
export const MAX_DOCUMENT_CHARS = 500_000;

const label = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, - and _');

export const DocumentInputSchema = z
  .object({
    text: z.string().min(1).max(MAX_DOCUMENT_CHARS),
    url: z.string().min(1).max(2000).optional().describe('URL or site path; else front matter `path`'),
    title: z.string().max(500).optional(),
    brand: label.default(DEFAULT_BRAND),
    language: z.enum(LANGUAGES).optional().describe('en or de; else front matter `lang`, else detected'),
    access: z.array(label).min(1).max(20).default(['public']),
    format: z.enum(['markdown', 'html', 'text']).default('markdown'),
  })
  .openapi('ContentDocumentInput');
export type DocumentInput = z.input<typeof DocumentInputSchema>;

export type PreparedDocument = {
  brand: string;
  url: string;
  title: string;
  language: Language;
  format: SourceFormat;
  access: string[];
  contentHash: string;
  chunks: Chunk[];
  piiMasked: number;
};

const GERMAN_HINTS = new Set(
  'der die das und ist nicht mit für von zu auf ein eine den dem wir sie ihr oder bei wasser'.split(' '),
);
const ENGLISH_HINTS = new Set('the and is not with for of to on a an we you your or at water'.split(' '));

/** Stop-word vote between the two languages the index has configurations for. */
export function detectLanguage(text: string): Language {
  let de = 0;
  let en = 0;
  for (const t of tokenize(text.slice(0, 5000))) {
    if (GERMAN_HINTS.has(t)) de++;
    if (ENGLISH_HINTS.has(t)) en++;
  }
  return de > en ? 'de' : 'en';
}

export class DocumentProblem extends Error {}

export function prepareDocument(input: z.output<typeof DocumentInputSchema>): PreparedDocument {
  const parsed = parseSource(input.text, input.format);
  const url = input.url ?? parsed.meta.path;
  if (!url) throw new DocumentProblem('url: give the document a url, or a `path:` in its front matter');
  const metaLang = parsed.meta.language?.slice(0, 2).toLowerCase();
  const language: Language =
    input.language ?? (metaLang === 'de' || metaLang === 'en' ? metaLang : detectLanguage(parsed.visible));
  let piiMasked = 0;
  const chunks = chunkSource(parsed).map((c) => {
    const findings = detectPii(c.text);
    piiMasked += findings.length;
    return findings.length ? { ...c, text: maskPii(c.text, findings) } : c;
  });
  if (!chunks.length) throw new DocumentProblem('text: the document has no visible text to index');
  return {
    brand: input.brand,
    url,
    title: input.title ?? parsed.meta.title ?? parsed.headings[0]?.text ?? url,
    language,
    format: input.format,
    access: [...new Set(input.access)].sort(),
    contentHash: crypto
      .createHash('sha256')
      .update(JSON.stringify([input.text, language, [...new Set(input.access)].sort(), input.title ?? '']))
      .digest('hex'),
    chunks,
    piiMasked,
  };
}
