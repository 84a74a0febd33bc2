import { describe, expect, it } from 'vitest';
import type { Principal } from '../http/env.js';
import { createKeyCache, KEY_CACHE_TTL_MS } from './key-cache.js';

describe('key cache', () => {
  const setup = () => {
    const valid = new Map<string, Principal>([['k1', { keyId: 'id1', name: 'one', role: 'crm' }]]);
    let lookups = 0;
    let t = 0;
    const cache = createKeyCache(
      (key) => {
        lookups++;
        return Promise.resolve(valid.get(key) ?? null);
      },
      { now: () => t },
    );
    return { valid, cache, lookups: () => lookups, advance: (ms: number) => (t += ms) };
  };

  it('looks a valid key up once per window, and an unknown key every time', async () => {
    const s = setup();
    for (let i = 0; i < 5; i++) expect((await s.cache.resolve('k1'))?.keyId).toBe('id1');
    expect(s.lookups()).toBe(1);
    expect(await s.cache.resolve('nope')).toBeNull();
    expect(await s.cache.resolve('nope')).toBeNull();
    expect(s.lookups()).toBe(3);
  });

  it('a revocation elsewhere takes effect within the stated bound, and at once where it was made', async () => {
    const s = setup();
    await s.cache.resolve('k1');
    s.valid.delete('k1'); // revoked by another process
    s.advance(KEY_CACHE_TTL_MS - 1);
    expect(await s.cache.resolve('k1')).not.toBeNull(); // still inside the bound
    s.advance(1);
    expect(await s.cache.resolve('k1')).toBeNull(); // at the bound: refused
    // In the revoking process: forgotten at once.
    s.valid.set('k1', { keyId: 'id1', name: 'one', role: 'crm' });
    await s.cache.resolve('k1');
    s.valid.delete('k1');
    s.cache.forgetKeyId('id1');
    expect(await s.cache.resolve('k1')).toBeNull();
  });
});
