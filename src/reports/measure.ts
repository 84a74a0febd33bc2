// Plot does not measure text in Node, so margins are sized here from the longest tick label, with
// glyph widths of the widest common system sans-serif (DejaVu Sans, Linux's default) at Plot's 10px,
// rounded up: a margin a little too wide costs nothing, one too narrow cuts labels. CJK and emoji
// count as a full em.

const NARROW = new Set([..."ijl!|.,:;'`()[]{} "]);
const SEMI = new Set([...'frt1-/']);
const WIDE = new Set([...'mwMW@%']);

export function textWidth(text: string, fontSize = 10): number {
  let em = 0;
  for (const ch of text) {
    if (NARROW.has(ch)) em += 0.4;
    else if (SEMI.has(ch)) em += 0.48;
    else if (WIDE.has(ch)) em += 1;
    else if (ch.codePointAt(0)! > 0x2e80) em += 1.05;
    else if (ch >= 'A' && ch <= 'Z') em += 0.76;
    else em += 0.66;
  }
  return em * fontSize;
}

/** Left margin that fits the longest label plus the tick and a little air; capped so a chart keeps room. */
export function marginFor(
  labels: readonly string[],
  options: { fontSize?: number; max?: number } = {},
): number {
  const longest = Math.max(0, ...labels.map((l) => textWidth(l, options.fontSize)));
  return Math.min(options.max ?? 260, Math.ceil(longest + 14));
}

/** Shortens a label that would not fit in `max` pixels, keeping its start (the full text stays in the data table). */
export function clip(label: string, maxPx = 240, fontSize = 10): string {
  if (textWidth(label, fontSize) <= maxPx) return label;
  let out = '';
  for (const ch of label) {
    if (textWidth(out + ch + '…', fontSize) > maxPx) break;
    out += ch;
  }
  return out + '…';
}
