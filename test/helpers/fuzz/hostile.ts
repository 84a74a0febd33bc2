// Hostile values: what a broken client, a fuzzer or an attacker sends in place of a valid one.
// Numbers that JSON can write but JavaScript cannot hold (1e999, 30-digit integers) travel as
// RAW markers, swapped into the JSON text after serialisation (see toJsonText).
import fc, { type Arbitrary } from 'fast-check';

const RAW = (token: string) => `\u0000RAW:${token}`;

/** Text PostgreSQL or our code must not meet raw: NUL, unpaired surrogates, controls, bidi, huge. */
export const hostileString: Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'a\u0000b',
    '\u0000',
    'u2\u0000x',
    '\ud800',
    'half \udc00 pair',
    'x\ud83d',
    '\u0007\u001b[31m',
    'line\nbreak',
    'tab\there',
    '\u0085\u009f',
    '\u202e\u2066rtl',
    '\ufeff',
    '',
    ' ',
    'null',
    'undefined',
    '-1',
    '../../etc/passwd',
    "'; drop table api_keys; --",
    '%00',
    '\\u0000',
    '1e999',
    'NaN',
    '__proto__',
    'constructor',
    '😀'.repeat(3),
  ),
  fc.integer({ min: 201, max: 300_000 }).map((n) => 'x'.repeat(n)),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }),
);

export const hostileNumber: Arbitrary<unknown> = fc.constantFrom(
  RAW('1e999'),
  RAW('-1e999'),
  RAW('123456789012345678901234567890'),
  RAW('-0'),
  RAW('1e-400'),
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.MAX_SAFE_INTEGER + 2,
  Number.MIN_VALUE,
  -1,
  0,
  2 ** 31,
  -(2 ** 63),
  0.5,
);

/** `{ "__proto__": ... }` as an own key, as JSON.parse makes it. */
export const protoObject: Arbitrary<unknown> = fc.constantFrom(
  JSON.parse('{"__proto__":{"admin":true,"role":"admin"}}') as unknown,
  JSON.parse('{"constructor":{"prototype":{"polluted":1}}}') as unknown,
  JSON.parse('{"__proto__":null}') as unknown,
);

export const deepValue: Arbitrary<unknown> = fc
  .tuple(fc.integer({ min: 20, max: 300 }), fc.boolean())
  .map(([depth, arrays]) => {
    let v: unknown = 'bottom';
    for (let i = 0; i < depth; i++) v = arrays ? [v] : { d: v };
    return v;
  });

const wrongType: Arbitrary<unknown> = fc.constantFrom(null, true, false, [], {}, [[]], 'string', 0, [
  1,
  'a',
  null,
]);

export const hostileValue: Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 2, arbitrary: hostileNumber },
  { weight: 2, arbitrary: wrongType },
  { weight: 1, arbitrary: protoObject },
  { weight: 1, arbitrary: deepValue },
  { weight: 1, arbitrary: fc.array(hostileString, { minLength: 1, maxLength: 3 }) },
);

/** JSON text of a value, with RAW markers swapped in as bare number tokens. */
export function toJsonText(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0000RAW:([^"]*)"/g, '$1');
}

/** A copy of `value` with the node at one walk position (chosen by `pick`) replaced by `replacement`. */
export function replaceSomewhere(value: unknown, pick: number, replacement: unknown): unknown {
  const slots: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const copy = (v: unknown): unknown => {
    if (Array.isArray(v)) {
      const out = v.map(copy);
      out.forEach((_, i) => slots.push({ parent: out, key: i }));
      return out;
    }
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v))
        Object.defineProperty(out, k, {
          value: copy(x),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      for (const k of Object.keys(out)) slots.push({ parent: out, key: k });
      return out;
    }
    return v;
  };
  const root = copy(value);
  if (!slots.length) return replacement;
  const slot = slots[pick % slots.length]!;
  Object.defineProperty(slot.parent, slot.key, {
    value: replacement,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return root;
}

/** A string for a URL path segment or query value: percent-encoded, with unpaired surrogates as raw bytes. */
export function encodeForUrl(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    out += ch.length === 1 && c >= 0xd800 && c <= 0xdfff ? '%ED%A0%80' : encodeURIComponent(ch);
  }
  return out;
}

/** Raw URL fragments no encoder would make: bad escapes, invalid UTF-8, dot segments. */
export const hostileUrlPart: Arbitrary<string> = fc.constantFrom(
  '%',
  '%zz',
  '%ED%A0%80',
  '%FF%FE',
  '%C0%80',
  '..',
  '.',
  '%2e%2e%2f',
  '%00',
);
