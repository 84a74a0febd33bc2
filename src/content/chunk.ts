// Heading-first chunking. Each section (the text between a heading and the next heading) is split
// into windows of at most MAX_WORDS words, consecutive windows sharing OVERLAP_WORDS words; a chunk
// never crosses a heading. Units are whitespace-separated words of the visible text.
import type { Heading, ParsedSource } from './source.js';
import { decodeEntities } from './source.js';

/** About 200 tokens of English: small enough to cite precisely, large enough to carry a step list. */
export const MAX_WORDS = 150;
/** Carries a sentence or two across a window boundary so a fact split by it is found in either. */
export const OVERLAP_WORDS = 30;

export type Chunk = {
  ordinal: number;
  headingPath: string[];
  text: string;
  /** UTF-16 offsets into the source as submitted. */
  start: number;
  end: number;
};

/** Markdown emphasis, link targets and list markers out; whitespace collapsed. */
export function cleanText(s: string): string {
  return decodeEntities(
    s
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/(\*\*|__|`)/g, '')
      .replace(/^\s*(?:[-*+]|\d+\.)\s+/gm, ''),
  )
    .replace(/\s+/g, ' ')
    .trim();
}

function headingPaths(headings: Heading[]): string[][] {
  const stack: Heading[] = [];
  return headings.map((h) => {
    while (stack.length && stack[stack.length - 1]!.level >= h.level) stack.pop();
    stack.push(h);
    return stack.map((s) => cleanText(s.text));
  });
}

export function chunkSource(
  parsed: ParsedSource,
  maxWords = MAX_WORDS,
  overlapWords = OVERLAP_WORDS,
): Chunk[] {
  if (overlapWords >= maxWords) throw new Error('overlap must be smaller than the chunk size');
  const { visible, headings } = parsed;
  const paths = headingPaths(headings);
  const sections: { path: string[]; start: number; end: number }[] = [];
  const firstStart = headings[0]?.start ?? visible.length;
  sections.push({ path: [], start: 0, end: firstStart });
  headings.forEach((h, i) =>
    sections.push({ path: paths[i]!, start: h.end, end: headings[i + 1]?.start ?? visible.length }),
  );
  const chunks: Chunk[] = [];
  for (const s of sections) {
    const words: { start: number; end: number }[] = [];
    const re = /\S+/g;
    const body = visible.slice(s.start, s.end);
    for (let m = re.exec(body); m; m = re.exec(body))
      words.push({ start: s.start + m.index, end: s.start + m.index + m[0].length });
    if (!words.length) continue;
    for (let from = 0; ; from += maxWords - overlapWords) {
      const to = Math.min(words.length, from + maxWords);
      const start = words[from]!.start;
      const end = words[to - 1]!.end;
      const text = cleanText(visible.slice(start, end));
      if (text) chunks.push({ ordinal: chunks.length, headingPath: s.path, text, start, end });
      if (to === words.length) break;
    }
  }
  return chunks;
}
