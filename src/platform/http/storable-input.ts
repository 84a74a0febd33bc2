// The edge guard every route gets from defineRoute: path and query values, and JSON bodies, that
// hold text PostgreSQL cannot store (NUL, unpaired surrogates) or a `__proto__` key are refused
// with a 400 naming the field, before any handler or query sees them. Ids get the stricter id
// rule (platform/ids.ts) through their schemas; this catches every other string.
import type { MiddlewareHandler } from 'hono';
import { AppError } from '../errors.js';
import { inspectValue, textProblem, type ValueProblem } from '../text.js';
import type { AppEnv } from './env.js';

const WHY: Record<ValueProblem['code'], string> = {
  'nul-character': 'contains a NUL character (\\u0000), which cannot be stored; remove it',
  'lone-surrogate': 'contains an unpaired UTF-16 surrogate (invalid Unicode), which cannot be stored',
  'forbidden-key': 'uses the key "__proto__", which is refused',
  'too-deep': 'nests too deeply',
};

function refuse(code: ValueProblem['code'], path: string): AppError {
  return new AppError('validation-failed', `${path} ${WHY[code]}.`, {
    errors: [{ path, message: WHY[code], code }],
  });
}

/** The first unstorable value in a parsed JSON body, as the 400 to throw; null when there is none. */
export function unstorableProblem(value: unknown, root: string): AppError | null {
  // The body's depth is already bounded by the JSON reader, so the walk needs no limit of its own.
  const { problem } = inspectValue(value, Number.POSITIVE_INFINITY);
  return problem ? refuse(problem.code, problem.path || root) : null;
}

export function storableParams(): MiddlewareHandler<AppEnv> {
  return async function storableParamsMiddleware(c, next) {
    for (const [name, value] of Object.entries<unknown>(c.req.param())) {
      const code = typeof value === 'string' ? textProblem(value) : null;
      if (code) throw refuse(code, name);
    }
    for (const [name, values] of Object.entries(c.req.queries())) {
      const code = textProblem(name) ?? values.map(textProblem).find((p) => p !== null);
      if (code) throw refuse(code, name);
    }
    await next();
  };
}
