import { describe, expect, it } from 'vitest';
import { generateKey, hashKey, KEY_PREFIX } from './keys.js';
import { keyFromAuthorization } from '../http/auth.js';

describe('API keys', () => {
  it('are 256-bit random, prefixed, and stored only as their SHA-256', () => {
    const a = generateKey();
    const b = generateKey();
    expect(a.key).not.toBe(b.key);
    expect(a.key.startsWith(KEY_PREFIX)).toBe(true);
    expect(Buffer.from(a.key.slice(KEY_PREFIX.length), 'base64url')).toHaveLength(32);
    expect(a.hash).toBe(hashKey(a.key));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.key.startsWith(a.prefix) && a.prefix.length < 12).toBe(true);
  });

  it('hashes to the published SHA-256 test vector', () => {
    expect(hashKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('are read from Bearer, and from Basic with the key as user name (as Segment sources send it)', () => {
    expect(keyFromAuthorization('Bearer att_x')).toBe('att_x');
    expect(keyFromAuthorization('bearer   att_x')).toBe('att_x');
    expect(keyFromAuthorization(`Basic ${Buffer.from('att_y:').toString('base64')}`)).toBe('att_y');
    expect(keyFromAuthorization(`Basic ${Buffer.from(':').toString('base64')}`)).toBeNull();
    expect(keyFromAuthorization('Token abc')).toBeNull();
    expect(keyFromAuthorization(undefined)).toBeNull();
  });
});
