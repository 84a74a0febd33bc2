// Text that PostgreSQL cannot store (NUL, unpaired UTF-16 surrogates) and keys our own code must
// not meet (`__proto__`), found in one walk over parsed JSON. Every edge uses these checks: the
// HTTP body and parameter guards, the id rule (ids.ts) and CDP ingest, which answers per event.

export type ValueProblem = {
  code: 'nul-character' | 'lone-surrogate' | 'forbidden-key' | 'too-deep';
  path: string;
};

export type Inspection = { problem: ValueProblem | null; sizeBound: number };

/**
 * One walk over a parsed JSON value: finds text Postgres cannot store (NUL, lone UTF-16
 * surrogates), `__proto__` keys and nesting past `maxDepth`, and bounds from above the bytes of
 * its `JSON.stringify` (6 per UTF-16 unit, 24 per number), so a caller serializes only values
 * that might be near a size limit. The bound is partial when a problem stops the walk.
 * Paths are built only for the problem found: the hot path allocates nothing per key.
 */
export function inspectValue(value: unknown, maxDepth: number): Inspection {
  const trail: (string | number)[] = [];
  let bound = 0;
  const walk = (v: unknown, depth: number): ValueProblem['code'] | null => {
    if (typeof v === 'string') {
      bound += 6 * v.length + 2;
      return textProblem(v);
    }
    if (v === null || typeof v !== 'object') {
      bound += 24;
      return null;
    }
    if (depth >= maxDepth) return 'too-deep';
    bound += 2;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        trail.push(i);
        const p = walk(v[i], depth + 1);
        if (p) return p;
        trail.pop();
        bound += 1;
      }
      return null;
    }
    for (const key of Object.keys(v)) {
      trail.push(key);
      if (key === '__proto__') return 'forbidden-key';
      const p = textProblem(key) ?? walk((v as Record<string, unknown>)[key], depth + 1);
      if (p) return p;
      trail.pop();
      bound += 6 * key.length + 4;
    }
    return null;
  };
  const code = walk(value, 0);
  if (!code) return { problem: null, sizeBound: bound };
  const path = trail.reduce<string>(
    (p, k) => (typeof k === 'number' ? `${p}[${k}]` : p ? `${p}.${k}` : k),
    '',
  );
  return { problem: { code, path: code === 'too-deep' ? path || '(root)' : path }, sizeBound: bound };
}

export function textProblem(s: string): 'nul-character' | 'lone-surrogate' | null {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) return 'nul-character';
    if (c >= 0xd800 && c <= 0xdbff) {
      const n = s.charCodeAt(i + 1);
      if (!(n >= 0xdc00 && n <= 0xdfff)) return 'lone-surrogate';
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return 'lone-surrogate';
  }
  return null;
}
