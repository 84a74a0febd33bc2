// API keys resolved once per KEY_CACHE_TTL_MS per process instead of once per request: an
// authenticated request then costs no key query. The bound this puts on revocation: a revoked key
// stops working at once in the process that revoked it (the route calls forgetKeyId) and within
// KEY_CACHE_TTL_MS everywhere else (other API replicas, a revocation by `attune keys revoke`).
// Only keys that resolved are kept (an unknown key is looked up every time, so a key created a
// moment ago works at once), under the SHA-256 of the key, never the key itself.
import type { Principal } from '../http/env.js';
import type { KeyResolver } from '../http/auth.js';
import { hashKey } from './keys.js';

/** How long a resolved key is trusted without asking the database again: the revocation bound. */
export const KEY_CACHE_TTL_MS = 5_000;
/** Entries kept at most; the oldest goes first (a flood of valid keys cannot grow memory). */
const MAX_ENTRIES = 10_000;

export type KeyCache = { resolve: KeyResolver; forgetKeyId: (keyId: string) => void };

export function createKeyCache(
  lookup: KeyResolver,
  options: { ttlMs?: number; now?: () => number } = {},
): KeyCache {
  const ttlMs = options.ttlMs ?? KEY_CACHE_TTL_MS;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { principal: Principal; at: number }>();
  return {
    async resolve(key) {
      const h = hashKey(key);
      const hit = entries.get(h);
      if (hit && now() - hit.at < ttlMs) return hit.principal;
      entries.delete(h);
      const principal = await lookup(key);
      if (principal) {
        if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
        entries.set(h, { principal, at: now() });
      }
      return principal;
    },
    forgetKeyId(keyId) {
      for (const [h, e] of entries) if (e.principal.keyId === keyId) entries.delete(h);
    },
  };
}
