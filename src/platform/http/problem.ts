// The one error handler: every failure leaves as application/problem+json, never with a stack.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError, DatabaseUnavailableError, isConnectionError, toProblem, type Problem } from '../errors.js';
import type { AppEnv } from './env.js';

export function problemResponse(c: Context, problem: Problem): Response {
  return c.body(JSON.stringify(problem), problem.status as ContentfulStatusCode, {
    'content-type': 'application/problem+json',
  });
}

export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (isConnectionError(err)) return new DatabaseUnavailableError(err);
  if (err instanceof HTTPException) {
    if (err.status === 413)
      return new AppError('payload-too-large', 'The request body is larger than this route accepts.');
    if (err.status === 400 && /json/i.test(err.message))
      return new AppError('malformed-json', 'The body is not valid JSON.', { cause: err });
    if (err.status === 401)
      return new AppError('unauthenticated', 'Send an API key as "Authorization: Bearer <key>".', {
        cause: err,
      });
    if (err.status < 500) return new AppError('bad-request', err.message || 'Bad request.', { cause: err });
  }
  return new AppError(
    'internal',
    'Something went wrong on our side. The request id identifies it in our logs.',
    { cause: err },
  );
}

export function onError(err: unknown, c: Context<AppEnv>): Response {
  const appError = toAppError(err);
  const log = c.get('log');
  if (appError.status >= 500) {
    log.error(
      {
        err:
          err instanceof Error
            ? {
                name: err.name,
                message: err.message,
                stack: err.stack,
                code: (err as { code?: unknown }).code,
              }
            : String(err),
        code: appError.code,
      },
      'request failed',
    );
  }
  return problemResponse(c, { ...toProblem(appError, c.req.path), requestId: c.get('requestId') });
}

export function onNotFound(c: Context<AppEnv>): Response {
  return problemResponse(c, {
    ...toProblem(
      new AppError(
        'not-found',
        `No route for ${c.req.method} ${c.req.path}. The API is described at /openapi.json.`,
      ),
      c.req.path,
    ),
    requestId: c.get('requestId'),
  });
}
