// Where an injection hides in a document: the whole text, hidden parts (HTML comments, hidden elements,
// code comments), windows of a few lines and single sentences. The classifier scores each; the document gets the maximum.

/** Texts up to this length are scored whole only; longer ones also in windows of about this length. */
export const WINDOW_CHARS = 400;

/** Shorter sentences carry too little to judge alone. */
export const MIN_SENTENCE_CHARS = 30;

export type Segment = { start: number; end: number; hidden: boolean };

const HIDDEN = [
  /<!--([\s\S]*?)-->/g,
  /<(\w+)[^>]*(?:display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0|\bhidden\b)[^>]*>([\s\S]*?)<\/\1>/gi,
  /\/\*([\s\S]*?)\*\//g,
  /(?:^|\n)\s*(?:\/\/|#)([^\n]+)/g,
];

export function segmentsOf(text: string): Segment[] {
  const out: Segment[] = [{ start: 0, end: text.length, hidden: false }];
  if (text.length <= WINDOW_CHARS) return out;
  for (const re of HIDDEN) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const inner = m[m.length - 1] ?? '';
      const start = m.index + m[0].lastIndexOf(inner);
      if (inner.trim().length >= 12) out.push({ start, end: start + inner.length, hidden: true });
    }
  }
  // Windows of whole lines up to WINDOW_CHARS: instructions that span a few sentences.
  let start = 0;
  let end = 0;
  for (const line of text.split(/(?<=\n)/)) {
    if (end - start + line.length > WINDOW_CHARS && end > start) {
      out.push({ start, end, hidden: false });
      start = end;
    }
    end += line.length;
  }
  if (end > start && start > 0) out.push({ start, end, hidden: false });
  // Sentences on their own: one planted instruction in a long e-mail is diluted in any window.
  const sentence = new RegExp(`[^.!?\\n]{${MIN_SENTENCE_CHARS},}[.!?]*`, 'g');
  for (let m = sentence.exec(text); m; m = sentence.exec(text))
    out.push({ start: m.index, end: m.index + m[0].length, hidden: false });
  return out;
}
