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
  // Requests that miss at the same moment (every request in flight when an entry expires) share one
  // lookup instead of each taking a database connection for the same row.
  const inFlight = new Map<string, Promise<Principal | null>>();
  // A revocation here bumps it: a lookup begun before then does not put the key back.
  let generation = 0;
  return {
    async resolve(key) {
      const h = hashKey(key);
      const hit = entries.get(h);
      if (hit && now() - hit.at < ttlMs) return hit.principal;
      const pending = inFlight.get(h);
      if (pending) return pending;
      const started = generation;
      const lookingUp = lookup(key)
        .then((principal) => {
          entries.delete(h);
          if (principal && started === generation) {
            if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
            entries.set(h, { principal, at: now() });
          }
          return principal;
        })
        .finally(() => inFlight.delete(h));
      inFlight.set(h, lookingUp);
      return lookingUp;
    },
    forgetKeyId(keyId) {
      generation++;
      for (const [h, e] of entries) if (e.principal.keyId === keyId) entries.delete(h);
    },
  };
}
