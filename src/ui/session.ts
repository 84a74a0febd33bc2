// Browser sessions for people with an API key: the key is presented once on the login form; the
// cookie then carries the key's id, an expiry and an HMAC (never the key), and every request checks
// that the key still exists and is not revoked.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import type { Context } from 'hono';
import type { Database } from '../platform/db/client.js';
import { getPiiSecret } from '../cdp/settings-store.js';
import { principalById, resolveKey } from '../platform/auth/store.js';
import { keyFromAuthorization } from '../platform/http/auth.js';
import type { Principal } from '../platform/http/env.js';

export const SESSION_COOKIE = 'attune_session';
export const SESSION_HOURS = 8;

async function sessionKey(database: Database): Promise<Buffer> {
  // Derived from the installation secret, so sessions need no table and survive restarts.
  return createHmac('sha256', await getPiiSecret(database.db, database.url))
    .update('attune-ui-session-v1')
    .digest();
}

const sign = (key: Buffer, payload: string) => createHmac('sha256', key).update(payload).digest('base64url');

export async function startSession(
  c: Context,
  database: Database,
  principal: Principal,
  now: Date,
): Promise<void> {
  const expires = Math.floor(now.getTime() / 1000) + SESSION_HOURS * 3600;
  const payload = `${principal.keyId}.${expires}`;
  setCookie(c, SESSION_COOKIE, `${payload}.${sign(await sessionKey(database), payload)}`, {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/',
    maxAge: SESSION_HOURS * 3600,
    secure: new URL(c.req.url).protocol === 'https:',
  });
}

export function endSession(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
}

/** The caller of a page: a valid session cookie, or an API key in the Authorization header. */
export async function pagePrincipal(c: Context, database: Database, now: Date): Promise<Principal | null> {
  const header = keyFromAuthorization(c.req.header('authorization'));
  if (header) return resolveKey(database.db, header);
  const cookie = getCookie(c, SESSION_COOKIE);
  if (!cookie) return null;
  const [id, expires, mac] = cookie.split('.');
  if (!id || !expires || !mac || Number(expires) * 1000 < now.getTime()) return null;
  const expected = Buffer.from(sign(await sessionKey(database), `${id}.${expires}`));
  const given = Buffer.from(mac);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return principalById(database.db, id);
}
