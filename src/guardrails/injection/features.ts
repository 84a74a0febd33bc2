// Hashed word and character n-gram features, shared by the training script and the runtime scorer so
// both see exactly the same numbers. Sparse: indices and values, L2-normalised.

/** Hash space: 2^18 buckets (256 KiB as int8) leave fewer n-grams sharing a weight than 2^16 did. */
export const FEATURE_DIM = 1 << 18;
/** Texts are read up to this length; long jailbreaks are recognisable from their opening. */
export const MAX_FEATURE_CHARS = 2000;

export type SparseVector = { indices: Int32Array; values: Float32Array };

const FNV_OFFSET = 2166136261;
const FNV_PRIME = 16777619;
/** Salts keep a 3-gram, a 4-gram and a word with the same letters in different buckets. */
const SALT = [0, 0, 0, 0x9e3779b1, 0x85ebca77, 0xc2b2ae3d] as const;
const WORD_SALT = 0x27d4eb2f;
const PAIR_SALT = 0x165667b1;
const TRIPLE_SALT = 0x61c88647;

function hashWord(s: string, salt: number): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return (h ^ salt) >>> 0;
}

// Scratch space reused across calls (featurize is synchronous): counts per bucket and the buckets touched.
const counts = new Float32Array(FEATURE_DIM);
const touched = new Int32Array(FEATURE_DIM);

/** Lower case, NFKC, digits folded to 0, whitespace collapsed: obfuscation by width or case gains nothing. */
export function normalizeForFeatures(text: string): string {
  return text
    .slice(0, MAX_FEATURE_CHARS)
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\d/g, '0')
    .replace(/\s+/g, ' ')
    .trim();
}

export function featurize(text: string): SparseVector {
  const s = ` ${normalizeForFeatures(text)} `;
  let n = 0;
  const add = (h: number) => {
    const k = h & (FEATURE_DIM - 1);
    if (counts[k] === 0) touched[n++] = k;
    counts[k]! += 1;
  };
  // Character 3- to 5-grams catch spelling variants ("igmre", "ignoriere", "vergiss"): one running hash
  // per start position, emitted at lengths 3, 4 and 5.
  for (let i = 0; i + 3 <= s.length; i++) {
    let h = FNV_OFFSET;
    for (let len = 1; len <= 5 && i + len <= s.length; len++) {
      h = Math.imul(h ^ s.charCodeAt(i + len - 1), FNV_PRIME);
      if (len >= 3) add((h ^ SALT[len]!) >>> 0);
    }
  }
  // Word 1- to 3-grams carry the instruction shape ("ignore previous", "you are now", "from now on").
  const words = s.match(/[\p{L}\p{N}]+/gu) ?? [];
  for (let i = 0; i < words.length; i++) {
    add(hashWord(words[i]!, WORD_SALT));
    if (i + 1 < words.length) add(hashWord(`${words[i]} ${words[i + 1]}`, PAIR_SALT));
    if (i + 2 < words.length) add(hashWord(`${words[i]} ${words[i + 1]} ${words[i + 2]}`, TRIPLE_SALT));
  }
  const indices = touched.slice(0, n).sort();
  const values = new Float32Array(n);
  let norm = 0;
  for (let i = 0; i < n; i++) {
    const k = indices[i]!;
    const v = Math.log1p(counts[k]!);
    counts[k] = 0;
    values[i] = v;
    norm += v * v;
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < n; i++) values[i]! /= norm;
  return { indices, values };
}
