// Resolve the caller from an API key (Bearer, or Basic with the key as user name as Segment
// sources send it), then let each route admit only its roles.
import type { MiddlewareHandler } from 'hono';
import { AppError } from '../errors.js';
import type { AppEnv, Principal, Role } from './env.js';

export type KeyResolver = (key: string) => Promise<Principal | null>;

/** The key from an Authorization header, or null. Never logged. */
export function keyFromAuthorization(header: string | undefined): string | null {
  if (!header) return null;
  const [scheme, value] = header.trim().split(/\s+/, 2);
  if (!scheme || !value) return null;
  if (scheme.toLowerCase() === 'bearer') return value;
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const user = decoded.split(':', 1)[0];
    return user ? user : null;
  }
  return null;
}

export function authenticate(resolve: KeyResolver): MiddlewareHandler<AppEnv> {
  return async function authenticateKey(c, next) {
    const key = keyFromAuthorization(c.req.header('authorization'));
    if (!key)
      throw new AppError(
        'unauthenticated',
        'This route needs an API key: send "Authorization: Bearer <key>".',
      );
    const principal = await resolve(key);
    if (!principal) throw new AppError('unauthenticated', 'The API key is unknown or has been revoked.');
    c.set('principal', principal);
    c.set('log', c.get('log').child({ keyId: principal.keyId, role: principal.role }));
    await next();
  };
}

export function requireRole(roles: readonly Role[]): MiddlewareHandler<AppEnv> {
  return async function requireRoleMiddleware(c, next) {
    const principal = c.get('principal');
    if (!principal) throw new AppError('unauthenticated', 'This route needs an API key.');
    if (!roles.includes(principal.role)) {
      throw new AppError(
        'forbidden',
        `A ${principal.role} key may not use ${c.req.method} ${c.req.routePath}; it needs one of: ${roles.join(', ')}.`,
      );
    }
    await next();
  };
}

export function principalOf(c: { get: (k: 'principal') => Principal | undefined }): Principal {
  const p = c.get('principal');
  if (!p) throw new AppError('unauthenticated', 'This route needs an API key.');
  return p;
}
