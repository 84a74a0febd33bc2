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

  it('requests that miss together share one lookup, at first and again when the entry expires', async () => {
    const s = setup();
    const all = await Promise.all(Array.from({ length: 50 }, () => s.cache.resolve('k1')));
    expect(all.every((p) => p?.keyId === 'id1')).toBe(true);
    expect(s.lookups()).toBe(1);
    s.advance(KEY_CACHE_TTL_MS);
    await Promise.all(Array.from({ length: 50 }, () => s.cache.resolve('k1')));
    expect(s.lookups()).toBe(2);
    // Unknown keys are still never kept: shared while in flight, asked again afterwards.
    await Promise.all([s.cache.resolve('nope'), s.cache.resolve('nope')]);
    await s.cache.resolve('nope');
    expect(s.lookups()).toBe(4);
  });

  it('a revocation while a lookup is in flight is not undone by that lookup', async () => {
    const s = setup();
    const pending = s.cache.resolve('k1');
    s.cache.forgetKeyId('id1');
    s.valid.delete('k1');
    expect((await pending)?.keyId).toBe('id1'); // the request that began before the revocation
    expect(await s.cache.resolve('k1')).toBeNull(); // not cached by it
  });
});
