// Values that follow an OpenAPI 3.1 schema (the subset zod writes: type, enum, properties,
// required, additionalProperties, items, anyOf/oneOf/allOf, $ref, min/max, pattern, format).
// "Valid" is best effort: cross-field rules (weights adding up, refinements) are not known to the
// document, so some valid-shaped values are still refused, which is fine for a fuzzer.
import fc, { type Arbitrary } from 'fast-check';

export type Schema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: Schema | boolean;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  $ref?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
  nullable?: boolean;
  example?: unknown;
  default?: unknown;
};
export type Doc = { components?: { schemas?: Record<string, Schema> } };

/** Free-form objects (`{}` or additionalProperties) get keys from this vocabulary and the document's. */
const SEGMENT_FIELDS = ['type', 'event', 'userId', 'anonymousId', 'previousId', 'groupId', 'messageId'];
const EVENT_TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'];

export function resolve(schema: Schema, doc: Doc): Schema {
  let s = schema;
  for (let i = 0; s.$ref && i < 10; i++) s = doc.components?.schemas?.[s.$ref.split('/').pop()!] ?? {};
  return s;
}

/** Every property name in the document, so free-form values use the words the API knows. */
export function vocabulary(doc: unknown): string[] {
  const names = new Set(SEGMENT_FIELDS);
  const walk = (v: unknown) => {
    if (!v || typeof v !== 'object') return;
    const props = (v as { properties?: unknown }).properties;
    if (props && typeof props === 'object') for (const k of Object.keys(props)) names.add(k);
    for (const x of Object.values(v)) walk(x);
  };
  walk(doc);
  return [...names].sort();
}

const shortText = fc.string({ minLength: 1, maxLength: 12 });

/** Any JSON value, shaped like the API's objects (keys from the vocabulary), `depth` levels deep at most. */
export function jsonValue(words: string[], depth = 3): Arbitrary<unknown> {
  const leaf = fc.oneof(
    shortText,
    fc.constantFrom(...EVENT_TYPES),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  );
  if (depth <= 0) return leaf;
  const inner = jsonValue(words, depth - 1);
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    { weight: 1, arbitrary: fc.array(inner, { maxLength: 4 }) },
    { weight: 2, arbitrary: fc.dictionary(fc.constantFrom(...words), inner, { maxKeys: 6 }) },
  );
}

export function valueFor(schema: Schema, doc: Doc, words: string[], depth = 0): Arbitrary<unknown> {
  const s = resolve(schema, doc);
  if (depth > 8) return fc.constant(null);
  // The document's own example and default are the surest valid values; generated ones explore around them.
  if (s.example !== undefined || s.default !== undefined) {
    const { example, default: fallback, ...rest } = s;
    const known = [example, fallback].filter((v) => v !== undefined);
    return fc.oneof(fc.constantFrom(...known), valueFor(rest, doc, words, depth));
  }
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum?.length) return fc.constantFrom(...s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((a) => valueFor(a, doc, words, depth + 1)));
  if (s.allOf?.length)
    return valueFor(
      Object.assign({}, ...s.allOf.map((a) => resolve(a, doc))) as Schema,
      doc,
      words,
      depth + 1,
    );
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  if (types.length > 1 || s.nullable)
    return fc.oneof(
      ...(s.nullable ? ['null', ...types] : types).map((t) =>
        valueFor({ ...s, type: t, nullable: false }, doc, words, depth),
      ),
    );
  switch (types[0]) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
    case 'number': {
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1e-9 : -1e6);
      const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1e-9 : 1e6);
      return types[0] === 'integer'
        ? fc.integer({ min: Math.ceil(Math.max(min, -1e9)), max: Math.floor(Math.min(max, 1e9)) })
        : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    }
    case 'string':
      return stringFor(s);
    case 'array': {
      const minLength = s.minItems ?? 0;
      return fc.array(valueFor(s.items ?? {}, doc, words, depth + 1), {
        minLength,
        maxLength: Math.min(s.maxItems ?? 4, minLength + 4),
      });
    }
    case 'object':
      return objectFor(s, doc, words, depth);
    default:
      return jsonValue(words, 2); // `{}`: anything
  }
}

function stringFor(s: Schema): Arbitrary<string> {
  if (s.format === 'uuid') return fc.uuid();
  if (s.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
  const minLength = s.minLength ?? 0;
  const maxLength = Math.min(s.maxLength ?? 40, Math.max(minLength, 40));
  if (s.pattern)
    return fc
      .stringMatching(new RegExp(s.pattern))
      .filter((x) => x.length >= minLength && x.length <= (s.maxLength ?? Infinity));
  return fc.string({ minLength, maxLength });
}

function objectFor(s: Schema, doc: Doc, words: string[], depth: number): Arbitrary<unknown> {
  const props = s.properties ?? {};
  const required = new Set(s.required ?? []);
  const known = Object.fromEntries(
    Object.entries(props).map(([k, v]) => [k, valueFor(v, doc, words, depth + 1)] as const),
  );
  const fixed = fc.record(known, { requiredKeys: Object.keys(props).filter((k) => required.has(k)) });
  const extra = s.additionalProperties;
  if (!extra) return fixed;
  const extraValues = extra === true ? jsonValue(words, 2) : valueFor(extra, doc, words, depth + 1);
  return fc
    .tuple(fixed, fc.dictionary(fc.constantFrom(...words), extraValues, { maxKeys: 4 }))
    .map(([a, b]) => ({ ...b, ...(a as object) }));
}
