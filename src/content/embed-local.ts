// The local embedder: no download, no model file. Word unigrams and bigrams (stop words dropped)
// and character 3–5-grams of each word, hashed with a sign bit into DIMENSION buckets (the hashing
// trick), weighted 1 + ln(tf) (sublinear), each family L2-normalised, mixed, and L2-normalised again
// so that a dot product is the cosine. Character n-grams carry morphology (German compounds, plurals)
// that whole words miss.
import type { Embedder } from './types.js';

export const LOCAL_EMBEDDER = { name: 'local-hash', version: '1', dimension: 512 } as const;

/** Share of the final vector from words vs character n-grams (each family normalised first). */
const WORD_WEIGHT = 0.65;
const CHAR_WEIGHT = 0.35;
const BIGRAM_WEIGHT = 0.5;

const STOP = new Set(
  (
    'a an and are as at be by can do does for from how i if in is it its my of on or our should so than that the ' +
    'their then there these this to too was we what when where which who why will with you your ' +
    'der die das den dem des ein eine einen einem einer und oder ist sind wie was wo wann warum für mit ' +
    'von zu zum zur im in am an auf aus bei nach über unter ich du sie es wir ihr mein meine sollte soll ' +
    'kann können man nicht auch noch nur'
  ).split(' '),
);

/** Lower case, diacritics folded (ü → u, ß → ss), split on anything that is not a letter or digit. */
export function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** FNV-1a, 32-bit. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function addFeature(counts: Map<string, number>, f: string, w = 1): void {
  counts.set(f, (counts.get(f) ?? 0) + w);
}

function hashed(counts: Map<string, number>, dimension: number): Float64Array {
  const v = new Float64Array(dimension);
  for (const [f, tf] of counts) {
    const h = hash(f);
    const sign = h & 0x80000000 ? -1 : 1;
    v[h % dimension]! += sign * (1 + Math.log(tf));
  }
  const norm = Math.hypot(...v);
  if (norm > 0) for (let i = 0; i < dimension; i++) v[i]! /= norm;
  return v;
}

export function embedLocal(text: string, dimension: number = LOCAL_EMBEDDER.dimension): number[] {
  const words = tokenize(text).filter((w) => !STOP.has(w));
  const wordFeatures = new Map<string, number>();
  const charFeatures = new Map<string, number>();
  words.forEach((w, i) => {
    addFeature(wordFeatures, `w:${w}`);
    if (i > 0) addFeature(wordFeatures, `b:${words[i - 1]} ${w}`, BIGRAM_WEIGHT);
    const padded = `#${w}#`;
    for (let n = 3; n <= 5; n++)
      for (let s = 0; s + n <= padded.length; s++) addFeature(charFeatures, `c:${padded.slice(s, s + n)}`);
  });
  const a = hashed(wordFeatures, dimension);
  const b = hashed(charFeatures, dimension);
  const out = new Array<number>(dimension);
  for (let i = 0; i < dimension; i++) out[i] = WORD_WEIGHT * a[i]! + CHAR_WEIGHT * b[i]!;
  const norm = Math.hypot(...out);
  return norm > 0 ? out.map((x) => x / norm) : out;
}

export function createLocalEmbedder(): Embedder {
  return {
    ...LOCAL_EMBEDDER,
    label: 'local',
    embed: (texts) => Promise.resolve(texts.map((t) => embedLocal(t))),
  };
}
