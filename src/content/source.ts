// Reads a brand document (Markdown, HTML or plain text) into the text we index and the headings
// that organise it. Everything not shown to a reader (HTML comments, scripts, styles, hidden
// elements, tags, front matter) is blanked with spaces of the same length rather than removed,
// so every offset into the cleaned text is also an offset into the source as submitted.

export type SourceFormat = 'markdown' | 'html' | 'text';

export type Heading = { level: number; text: string; start: number; end: number };

export type ParsedSource = {
  /** The source with hidden parts blanked: same length, same offsets, newlines kept. */
  visible: string;
  headings: Heading[];
  /** From front matter (`title`, `path`, `lang`) or HTML (`<title>`, canonical link, `<html lang>`). */
  meta: { title?: string; path?: string; language?: string };
};

const blank = (s: string): string => s.replace(/[^\n]/g, ' ');

function blankMatches(text: string, pattern: RegExp): string {
  return text.replace(pattern, (m) => blank(m));
}

/** Hidden in the rendered page: the `hidden` attribute, aria-hidden, display:none, visibility:hidden. */
const HIDDEN_ELEMENT =
  /<([a-z][a-z0-9]*)\b[^>]*?(?:\shidden(?=[\s=>/])|aria-hidden\s*=\s*["']?true|display\s*:\s*none|visibility\s*:\s*hidden)[^>]*>[\s\S]*?<\/\1\s*>/gi;
const SCRIPT_OR_STYLE = /<(script|style|noscript|template)\b[\s\S]*?<\/\1\s*>/gi;
const COMMENT = /<!--[\s\S]*?(?:-->|$)/g;

function stripHtmlParts(text: string): string {
  let out = blankMatches(text, COMMENT);
  out = blankMatches(out, SCRIPT_OR_STYLE);
  // Hidden elements can nest; a few passes catch the inner ones the outer match did not cover.
  for (let i = 0; i < 3; i++) out = blankMatches(out, HIDDEN_ELEMENT);
  return out;
}

function frontMatter(text: string): { body: string; meta: Record<string, string> } {
  const m = /^\s*---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
  if (!m) return { body: text, meta: {} };
  const meta: Record<string, string> = {};
  for (const line of m[1]!.split(/\r?\n/)) {
    const kv = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (kv) meta[kv[1]!.toLowerCase()] = kv[2]!.trim().replace(/^["']|["']$/g, '');
  }
  return { body: blank(m[0]) + text.slice(m[0].length), meta };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
export const decodeEntities = (s: string): string =>
  s.replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });

function parseMarkdown(raw: string): ParsedSource {
  // Comments first: a generated page may open with one above its front matter.
  const { body, meta } = frontMatter(blankMatches(raw, COMMENT));
  const visible = stripHtmlParts(body).replace(/<\/?[a-z][^>]*>/gi, (m) => blank(m));
  const headings: Heading[] = [];
  const re = /^(#{1,6})[ \t]+(.+?)[ \t#]*$/gm;
  let inFence = false;
  let lastIndex = 0;
  for (let m = re.exec(visible); m; m = re.exec(visible)) {
    inFence = toggleFences(visible.slice(lastIndex, m.index), inFence);
    lastIndex = m.index;
    if (!inFence)
      headings.push({ level: m[1]!.length, text: m[2]!.trim(), start: m.index, end: m.index + m[0].length });
  }
  return {
    visible,
    headings,
    meta: { title: meta.title, path: meta.path ?? meta.url, language: meta.lang ?? meta.language },
  };
}

function toggleFences(between: string, inFence: boolean): boolean {
  const fences = between.match(/^(```|~~~)/gm)?.length ?? 0;
  return fences % 2 === 1 ? !inFence : inFence;
}

function parseHtml(raw: string): ParsedSource {
  let visible = stripHtmlParts(raw);
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(visible)?.[1];
  const canonical = /<link\b[^>]*rel=["']?canonical["']?[^>]*href=["']([^"']+)["']/i.exec(visible)?.[1];
  const lang = /<html\b[^>]*\blang=["']?([a-zA-Z-]+)/i.exec(visible)?.[1];
  visible = blankMatches(visible, /<(head|title)\b[\s\S]*?<\/\1\s*>/gi);
  const headings: Heading[] = [];
  const re = /<h([1-6])\b[^>]*>([\s\S]*?)<\/h\1\s*>/gi;
  for (let m = re.exec(visible); m; m = re.exec(visible)) {
    const text = decodeEntities(m[2]!.replace(/<[^>]*>/g, ' '))
      .replace(/\s+/g, ' ')
      .trim();
    if (text) headings.push({ level: Number(m[1]), text, start: m.index, end: m.index + m[0].length });
  }
  visible = visible.replace(/<\/?[a-z!][^>]*>/gi, (m) => blank(m));
  return {
    visible,
    headings,
    meta: {
      title: title ? decodeEntities(title).replace(/\s+/g, ' ').trim() : undefined,
      path: canonical,
      language: lang,
    },
  };
}

export function detectFormat(name: string, text: string): SourceFormat {
  if (/\.(md|markdown)$/i.test(name)) return 'markdown';
  if (/\.html?$/i.test(name)) return 'html';
  if (/\.txt$/i.test(name)) return 'text';
  return /^\s*<(!doctype|html)/i.test(text) ? 'html' : 'markdown';
}

export function parseSource(raw: string, format: SourceFormat): ParsedSource {
  if (format === 'html') return parseHtml(raw);
  if (format === 'markdown') return parseMarkdown(raw);
  return { visible: raw, headings: [], meta: {} };
}
