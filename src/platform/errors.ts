// One error registry: code → HTTP status, problem type and title. Handlers throw AppError subclasses;
// the HTTP layer renders them as application/problem+json (RFC 9457).

export const PROBLEM_BASE = 'https://attune.dev/problems/';

export const ERROR_CODES = {
  'bad-request': { status: 400, title: 'Bad request' },
  'validation-failed': { status: 400, title: 'The request did not validate' },
  'malformed-json': { status: 400, title: 'The body is not valid JSON' },
  unauthenticated: { status: 401, title: 'Missing or unknown API key' },
  forbidden: { status: 403, title: 'This key’s role may not use this route' },
  // 451 Unavailable For Legal Reasons: the key may use the route, the person's consent forbids it.
  'consent-required': { status: 451, title: 'The person has not given the consent this needs' },
  'not-found': { status: 404, title: 'Not found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict' },
  // Optimistic concurrency: the If-Match version is not the current one, or none was sent.
  'precondition-failed': { status: 412, title: 'The resource changed since you read it' },
  'precondition-required': { status: 428, title: 'Send the version you read (If-Match)' },
  'payload-too-large': { status: 413, title: 'The request body is too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported content type' },
  unprocessable: { status: 422, title: 'The request cannot be processed' },
  internal: { status: 500, title: 'Internal error' },
  // The configured language model failed (rate limit, timeout, error, or twice malformed output).
  'generation-failed': { status: 502, title: 'The language model did not produce a usable answer' },
  'database-unavailable': { status: 503, title: 'The database is unavailable' },
  'not-ready': { status: 503, title: 'Not ready' },
  'capability-unavailable': { status: 503, title: 'This feature is not available on this installation' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** A problem with one field or one item of a batch. */
export type ItemProblem = { path: string; message: string; index?: number; code?: string };

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly errors: ItemProblem[];
  readonly extra: Record<string, unknown>;
  constructor(
    code: ErrorCode,
    detail: string,
    options: { errors?: ItemProblem[]; cause?: unknown; extra?: Record<string, unknown> } = {},
  ) {
    super(detail, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.errors = options.errors ?? [];
    this.extra = options.extra ?? {};
  }
  get status(): number {
    return ERROR_CODES[this.code].status;
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super('not-found', `${what} was not found.`);
  }
}

export class ValidationError extends AppError {
  constructor(detail: string, errors: ItemProblem[]) {
    super('validation-failed', detail, { errors });
  }
}

/** A schema's issues (zod's shape) as item problems; `prefix` places them inside a larger document. */
export function problemsFromIssues(
  issues: readonly { path: readonly PropertyKey[]; message: string; code?: string }[],
  prefix: string[] = [],
): ItemProblem[] {
  return issues.map((i) => ({
    path: [...prefix, ...i.path.map(String)].join('.') || '(body)',
    message: i.message,
    ...(i.code ? { code: i.code } : {}),
  }));
}

/** Parses untrusted input (a CLI file, job data) with a schema, or throws the API's validation error. */
export function parseOrThrow<T>(
  schema: {
    safeParse: (
      v: unknown,
    ) =>
      | { success: true; data: T }
      | { success: false; error: { issues: { path: PropertyKey[]; message: string; code?: string }[] } };
  },
  value: unknown,
  detail: string,
): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError(detail, problemsFromIssues(parsed.error.issues));
  return parsed.data;
}

export class DatabaseUnavailableError extends AppError {
  constructor(cause: unknown) {
    super('database-unavailable', 'The database cannot be reached right now; retry shortly.', { cause });
  }
}

export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: ItemProblem[];
  [extra: string]: unknown;
};

export function toProblem(err: AppError, instance?: string): Problem {
  const { status, title } = ERROR_CODES[err.code];
  return {
    ...err.extra,
    type: PROBLEM_BASE + err.code,
    title,
    status,
    detail: err.message,
    ...(instance ? { instance } : {}),
    ...(err.errors.length ? { errors: err.errors } : {}),
  };
}

/** Connection-level failures from either driver, which mean "database down", not "our bug". */
const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08003',
  '08006',
  '08001',
  '08004',
]);

export function isConnectionError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_ERROR_CODES.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
