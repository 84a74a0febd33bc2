import { describe, expect, it } from 'vitest';
import { uuidv7 } from './uuid7.js';

describe('uuidv7', () => {
  it('carries the time in its first 48 bits, version 7 and the RFC variant', () => {
    // RFC 9562's example (appendix A.6): 2022-02-22T19:22:22Z gives 017F22E2-79B0-7CC3-98C4-DC0C0C07398F.
    const ms = Date.UTC(2022, 1, 22, 19, 22, 22);
    const id = uuidv7(ms);
    expect(id).toMatch(/^017f22e2-79b0-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // Any time comes back from the first 12 hex digits.
    const later = Date.UTC(2026, 11, 4, 12, 0, 0, 123);
    const again = uuidv7(later);
    expect(parseInt(again.slice(0, 8) + again.slice(9, 13), 16)).toBe(later);
  });

  it('sorts by time as text (what a B-tree on a uuid column sees) and never repeats', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => uuidv7(1_700_000_000_000 + Math.floor(i / 10)));
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 10; i < ids.length; i += 10) expect(ids[i - 1]! < ids[i]!).toBe(true);
  });

  it('spreads its random bits evenly (each hex digit of the random tail near 1/16)', () => {
    const counts = new Array<number>(16).fill(0);
    const n = 20_000;
    for (let i = 0; i < n; i++) counts[parseInt(uuidv7(0).slice(-1), 16)]!++;
    // 20,000 draws over 16 digits: 1,250 each, sd ≈ 34; 6 sd either way.
    for (const c of counts) expect(Math.abs(c - n / 16)).toBeLessThan(6 * Math.sqrt((n / 16) * (15 / 16)));
  });

  it('refuses times it cannot hold', () => {
    expect(() => uuidv7(-1)).toThrow(RangeError);
    expect(() => uuidv7(2 ** 48)).toThrow(RangeError);
    expect(() => uuidv7(1.5)).toThrow(RangeError);
  });
});
