// One pino root. Child loggers carry request id, job id and domain. Never log bodies or keys.
import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

/** Paths that may carry credentials; pino replaces their values wherever they appear. */
const REDACT_PATHS = [
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'headers.cookie',
  'req.headers.cookie',
  'key',
  'apiKey',
  'token',
  'password',
  'secret',
  '*.key',
  '*.apiKey',
  '*.token',
  '*.password',
  '*.secret',
  'databaseUrl',
  '*.databaseUrl',
  'connectionString',
  '*.connectionString',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'attune' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/** Remove the password from a postgres:// URL so it can be shown to an operator. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '[unparseable url]';
  }
}
