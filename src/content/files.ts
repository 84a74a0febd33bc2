// Documents from disk for `attune content add PATH...` and the demo: files, or folders walked for
// .md, .markdown, .html, .htm and .txt files, in a stable order.
import fs from 'node:fs';
import path from 'node:path';
import { detectFormat } from './source.js';
import type { DocumentInput } from './document.js';

const EXTENSIONS = /\.(md|markdown|html?|txt)$/i;

export function listDocumentFiles(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string): void => {
    const stat = fs.statSync(p);
    if (stat.isDirectory())
      for (const name of fs.readdirSync(p).sort()) {
        const child = path.join(p, name);
        if (fs.statSync(child).isDirectory() || EXTENSIONS.test(name)) walk(child);
      }
    else out.push(p);
  };
  for (const p of paths) walk(p);
  return out;
}

/** A file as a document input; its url comes from front matter or, failing that, its file path. */
export function readDocumentFile(file: string, defaults: Partial<DocumentInput> = {}): DocumentInput {
  const text = fs.readFileSync(file, 'utf8');
  const format = detectFormat(file, text);
  const hasPath = /^---\r?\n[\s\S]*?^(path|url)\s*:/m.test(text) || /rel=["']?canonical/i.test(text);
  return { ...defaults, text, format, ...(hasPath ? {} : { url: file }) };
}
