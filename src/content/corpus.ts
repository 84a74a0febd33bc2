// The corpus service: validate, prepare and store documents, one result per item.
import type { Database } from '../platform/db/client.js';
import type { Embedder } from './embedder.js';
import { DocumentInputSchema, DocumentProblem, prepareDocument } from './document.js';
import { addDocument, type AddResult } from './store.js';

export type AddItemResult = { index: number; result?: AddResult; error?: string };

export async function addDocuments(
  database: Database,
  embedder: Embedder,
  items: unknown[],
  now: Date,
): Promise<AddItemResult[]> {
  const out: AddItemResult[] = [];
  for (const [index, raw] of items.entries()) {
    const parsed = DocumentInputSchema.safeParse(raw);
    if (!parsed.success) {
      out.push({
        index,
        error: parsed.error.issues.map((e) => `${e.path.join('.') || 'document'}: ${e.message}`).join('; '),
      });
      continue;
    }
    try {
      out.push({ index, result: await addDocument(database, embedder, prepareDocument(parsed.data), now) });
    } catch (err) {
      if (err instanceof DocumentProblem) out.push({ index, error: err.message });
      else throw err;
    }
  }
  return out;
}
