// Guards for merging untrusted JSON; the text checks themselves live in platform/text.ts.

export { inspectValue, type Inspection, type ValueProblem } from '../platform/text.js';

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
