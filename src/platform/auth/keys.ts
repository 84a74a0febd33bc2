// API keys: 256 random bits, shown once, stored as SHA-256. A fast hash is right here because the
// key is not a password: with 2^256 possibilities there is nothing to brute-force.
import crypto from 'node:crypto';

export const KEY_PREFIX = 'att_';
/** How many characters of a key listings show, enough to tell keys apart, far too few to use. */
const DISPLAY_PREFIX_LENGTH = KEY_PREFIX.length + 6;

export type NewKey = { key: string; prefix: string; hash: string };

export function generateKey(randomBytes: (n: number) => Buffer = crypto.randomBytes): NewKey {
  const key = KEY_PREFIX + randomBytes(32).toString('base64url');
  return { key, prefix: key.slice(0, DISPLAY_PREFIX_LENGTH), hash: hashKey(key) };
}

export function hashKey(key: string): string {
  return crypto.createHash('sha256').update(key, 'utf8').digest('hex');
}
