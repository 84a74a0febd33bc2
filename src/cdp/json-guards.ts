// Checks on raw JSON text and parsed values that Postgres or our own code could not survive.

export type ValueProblem = { code: 'nul-character' | 'lone-surrogate' | 'forbidden-key' | 'too-deep'; path: string };

/** Finds text Postgres cannot store (NUL, lone UTF-16 surrogates), `__proto__` keys, and nesting past `maxDepth`. */
export function findValueProblem(value: unknown, maxDepth: number, path = '', depth = 0): ValueProblem | null {
  if (typeof value === 'string') return textProblem(value, path);
  if (value === null || typeof value !== 'object') return null;
  if (depth >= maxDepth) return { code: 'too-deep', path: path || '(root)' };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = findValueProblem(value[i], maxDepth, `${path}[${i}]`, depth + 1);
      if (p) return p;
    }
    return null;
  }
  for (const key of Object.keys(value)) {
    const here = path ? `${path}.${key}` : key;
    if (key === '__proto__') return { code: 'forbidden-key', path: here };
    const kp = textProblem(key, here);
    if (kp) return kp;
    const p = findValueProblem((value as Record<string, unknown>)[key], maxDepth, here, depth + 1);
    if (p) return p;
  }
  return null;
}

function textProblem(s: string, path: string): ValueProblem | null {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) return { code: 'nul-character', path };
    if (c >= 0xd800 && c <= 0xdbff) {
      const n = s.charCodeAt(i + 1);
      if (!(n >= 0xdc00 && n <= 0xdfff)) return { code: 'lone-surrogate', path };
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return { code: 'lone-surrogate', path };
  }
  return null;
}

/** A deep copy into null-prototype objects, so merging never reaches Object.prototype. */
export function safeMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(base)) out[k] = v;
  for (const [k, v] of Object.entries(over)) out[k] = k in out ? safeMerge(out[k], v) : v;
  return out;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
