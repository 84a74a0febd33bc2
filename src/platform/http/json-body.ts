// Body checks that run before validation: size (413), content type (415), JSON syntax (400).
import type { MiddlewareHandler } from 'hono';
import { AppError } from '../errors.js';
import type { AppEnv } from './env.js';
import { maxJsonDepth } from './json-depth.js';
import { unstorableProblem } from './storable-input.js';

/** One strict decoder for every body (decode() without `stream` keeps no state between calls). */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Deepest nesting any JSON body may have; deeper text is refused before it is parsed. */
export const MAX_BODY_DEPTH = 256;

/**
 * `checkText: false` is for routes that check each item themselves (ingest batches answer NUL,
 * unpaired surrogates and `__proto__` per event, so a bad event never costs its neighbours).
 */
export function jsonBody(
  limitBytes: number,
  options: { checkText?: boolean } = {},
): MiddlewareHandler<AppEnv> {
  return async function jsonBodyMiddleware(c, next) {
    const type = c.req.header('content-type') ?? '';
    if (!/^application\/(.+\+)?json\s*(;|$)/i.test(type)) {
      throw new AppError(
        'unsupported-media-type',
        `Send the body as JSON with "Content-Type: application/json" (got ${type ? JSON.stringify(type) : 'none'}).`,
      );
    }
    const declared = Number(c.req.header('content-length'));
    if (Number.isFinite(declared) && declared > limitBytes) throw tooLarge(limitBytes);
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    if (bytes.byteLength > limitBytes) throw tooLarge(limitBytes);
    let text: string;
    try {
      text = UTF8.decode(bytes);
    } catch {
      throw new AppError('malformed-json', 'The body is not valid UTF-8.');
    }
    const depth = maxJsonDepth(text);
    if (depth > MAX_BODY_DEPTH) {
      throw new AppError(
        'bad-request',
        `The body nests ${depth} levels deep; the limit is ${MAX_BODY_DEPTH} levels of objects and arrays.`,
        { extra: { limit: 'nesting-depth', maxDepth: MAX_BODY_DEPTH } },
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new AppError('malformed-json', `The body is not valid JSON: ${(err as Error).message}.`);
    }
    if (options.checkText !== false) {
      const problem = unstorableProblem(parsed, 'body');
      if (problem) throw problem;
    }
    // The validator reads c.req.json(), which would decode and parse the body again from the cached
    // bytes (hono's json() always goes through text): answer it with this parse.
    const once = Promise.resolve(parsed);
    Object.defineProperty(c.req, 'json', { value: () => once });
    await next();
  };
}

function tooLarge(limitBytes: number): AppError {
  return new AppError(
    'payload-too-large',
    `The body is larger than this route's limit of ${limitBytes} bytes.`,
    { extra: { limitBytes } },
  );
}
