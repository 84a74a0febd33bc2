// Every operation in /openapi.json, with what the fuzzer needs to build requests for it. Walking the
// document (never a list of our own) means a route added later is fuzzed without anyone touching this.
import fc, { type Arbitrary } from 'fast-check';
import { ROLES, type Role } from '../../../src/platform/http/env.js';
import { resolve, valueFor, vocabulary, type Doc, type Schema } from './schema-values.js';
import {
  encodeForUrl,
  hostileString,
  hostileUrlPart,
  hostileValue,
  protoObject,
  replaceSomewhere,
  toJsonText,
} from './hostile.js';

type Parameter = { name: string; in: string; required?: boolean; schema?: Schema };
type Operation = {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  'x-attune-roles'?: Role[];
};
export type OpenApiDoc = Doc & { paths: Record<string, Record<string, Operation>> };

export type FuzzOperation = { method: string; path: string; roles: Role[]; request: Arbitrary<FuzzRequest> };
export type FuzzRequest = {
  /** Who sends it: a key of this role, or no key. */
  role: Role | null;
  url: string;
  body?: string;
  contentType?: string;
  /** Whether any part was made hostile (a valid request may still be refused by cross-field rules). */
  hostile: boolean;
};

/**
 * Operations the fuzzer must not send, each with its reason. Empty today: every route in the
 * document is fuzzed. A route listed here is skipped by name, and the test prints it.
 */
export const EXCLUDED: Record<string, string> = {};

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export function operationsOf(doc: OpenApiDoc, seen: Seen): FuzzOperation[] {
  const words = vocabulary(doc);
  const out: FuzzOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.includes(method) || EXCLUDED[`${method.toUpperCase()} ${path}`]) continue;
      const roles = op['x-attune-roles'] ?? [];
      out.push({
        method: method.toUpperCase(),
        path,
        roles,
        request: requestFor(path, op, roles, doc, words, seen),
      });
    }
  }
  return out;
}

/**
 * Values seen in earlier 2xx answers, by field name (`id`, `key`, `userId`...), so path and query
 * parameters also name things that exist (an experiment the fuzz created) and handlers run deep.
 */
export type Seen = Map<string, string[]>;

/** A path or query value: valid for its schema, or seen in an answer, often hostile, sometimes a raw bad escape. */
function paramValue(
  p: Parameter,
  doc: Doc,
  words: string[],
  seen: Seen,
): Arbitrary<{ text: string; hostile: boolean }> {
  const valid = valueFor(p.schema ?? { type: 'string' }, doc, words).map((v) => ({
    text: encodeForUrl(typeof v === 'string' ? v : JSON.stringify(v)),
    hostile: false,
  }));
  const known = fc.tuple(valid, fc.nat()).map(([fallback, i]) => {
    const pool = seen.get(p.name);
    return pool?.length ? { text: encodeForUrl(pool[i % pool.length]!), hostile: false } : fallback;
  });
  return fc.oneof(
    { weight: 2, arbitrary: valid },
    { weight: 2, arbitrary: known },
    { weight: 3, arbitrary: hostileString.map((s) => ({ text: encodeForUrl(s), hostile: true })) },
    { weight: 1, arbitrary: hostileUrlPart.map((text) => ({ text, hostile: true })) },
  );
}

function requestFor(
  path: string,
  op: Operation,
  roles: Role[],
  doc: Doc,
  words: string[],
  seen: Seen,
): Arbitrary<FuzzRequest> {
  const params = op.parameters ?? [];
  const pathParams = params.filter((p) => p.in === 'path');
  const queryParams = params.filter((p) => p.in === 'query');
  const bodySchema = op.requestBody?.content?.['application/json']?.schema;
  // Mostly a role the route admits, so the handler runs; every role and no key also appear.
  const role: Arbitrary<Role | null> = roles.length
    ? fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...roles) },
        { weight: 1, arbitrary: fc.constantFrom<Role | null>(null, ...ROLES) },
      )
    : fc.constantFrom<Role | null>(null, ...ROLES);
  const pathArb = fc.tuple(...pathParams.map((p) => paramValue(p, doc, words, seen))).map((values) => {
    let url = path;
    pathParams.forEach((p, i) => (url = url.replace(`{${p.name}}`, values[i]!.text)));
    return { url, hostile: values.some((v) => v.hostile) };
  });
  const queryArb = fc
    .tuple(
      ...queryParams.map((p) =>
        fc.option(paramValue(p, doc, words, seen), { nil: undefined, freq: p.required ? 10 : 3 }),
      ),
      fc.option(hostileString.map(encodeForUrl), { nil: undefined, freq: 4 }), // an unknown parameter
    )
    .map((all) => {
      const values = all.slice(0, queryParams.length) as ({ text: string; hostile: boolean } | undefined)[];
      const parts = queryParams.flatMap((p, i) => (values[i] ? [`${p.name}=${values[i].text}`] : []));
      const unknown = all[queryParams.length] as string | undefined;
      if (unknown !== undefined) parts.push(`zz${unknown}=1`);
      return {
        query: parts.length ? `?${parts.join('&')}` : '',
        hostile: unknown !== undefined || values.some((v) => v?.hostile),
      };
    });
  const bodyArb = bodySchema ? bodyFor(bodySchema, doc, words) : fc.constant(undefined);
  return fc.tuple(role, pathArb, queryArb, bodyArb).map(([r, p, q, b]) => ({
    role: r,
    url: p.url + q.query,
    ...(b ? { body: b.text, contentType: b.contentType } : {}),
    hostile: p.hostile || q.hostile || (b?.hostile ?? false),
  }));
}

type Body = { text: string; contentType: string; hostile: boolean };

function bodyFor(schema: Schema, doc: Doc, words: string[]): Arbitrary<Body> {
  const valid = valueFor(resolve(schema, doc), doc, words);
  const json = (v: unknown, hostile: boolean): Body => ({
    text: toJsonText(v),
    contentType: 'application/json',
    hostile,
  });
  return fc.oneof(
    { weight: 2, arbitrary: valid.map((v) => json(v, false)) },
    {
      weight: 6,
      arbitrary: fc
        .tuple(valid, fc.nat(), hostileValue)
        .map(([v, at, bad]) => json(replaceSomewhere(v, at, bad), true)),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(valid, protoObject).map(([v, p]) => json(ownKeys(p, v), true)),
    },
    { weight: 1, arbitrary: hostileValue.map((v) => json(v, true)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<Body>(
        { text: '{"a": ', contentType: 'application/json', hostile: true },
        { text: '{"a":"\\ud800"}', contentType: 'application/json', hostile: true },
        { text: '{"a":"\\u0000"}', contentType: 'application/json', hostile: true },
        { text: '{}', contentType: 'text/plain', hostile: true },
        { text: '', contentType: 'application/json', hostile: true },
        { text: '['.repeat(5000) + ']'.repeat(5000), contentType: 'application/json', hostile: true },
      ),
    },
  );
}

/** `a`'s keys then `b`'s as own properties, `__proto__` included (Object.assign would set the prototype). */
function ownKeys(a: unknown, b: unknown): unknown {
  if (!b || typeof b !== 'object' || Array.isArray(b)) return b;
  const out: Record<string, unknown> = {};
  for (const src of [a, b] as Record<string, unknown>[])
    for (const k of Object.keys(src))
      Object.defineProperty(out, k, { value: src[k], enumerable: true, writable: true, configurable: true });
  return out;
}
