import { describe, expect, it } from 'vitest';
import { deriveMessageId, normalizeEvent } from './normalize.js';
import { inspectValue, safeMerge } from './json-guards.js';
import { maxJsonDepth } from '../platform/http/json-depth.js';

const now = new Date('2026-11-23T12:00:00.000Z');
const base = {
  type: 'track',
  event: 'Order Completed',
  userId: 'u1',
  messageId: 'm1',
  properties: { revenue: 10 },
};

describe('normalizeEvent', () => {
  it('corrects a skewed device clock: timestamp = receivedAt − (sentAt − originalTimestamp), keeping the raw values', () => {
    // The device runs 2 hours fast; the event happened 5 s before it was sent.
    const r = normalizeEvent(
      { ...base, originalTimestamp: '2026-11-23T13:59:55.000Z', sentAt: '2026-11-23T14:00:00.000Z' },
      now,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.event.timestamp.toISOString()).toBe('2026-11-23T11:59:55.000Z');
    expect(r.event.originalTimestamp?.toISOString()).toBe('2026-11-23T13:59:55.000Z');
    expect(r.event.sentAt?.toISOString()).toBe('2026-11-23T14:00:00.000Z');
    expect(r.event.late).toBe(false);
  });

  it('takes a batch-level sentAt and merges batch context under the event’s own', () => {
    const r = normalizeEvent(
      { ...base, originalTimestamp: '2026-11-23T11:00:00Z', context: { app: { v: 2 }, locale: 'de' } },
      now,
      { sentAt: '2026-11-23T11:00:10Z', context: { app: { name: 'x', v: 1 }, library: { name: 'l' } } },
    );
    expect(r.ok && r.event.timestamp.toISOString()).toBe('2026-11-23T11:59:50.000Z');
    expect(r.ok && JSON.parse(JSON.stringify(r.event.context))).toEqual({
      app: { name: 'x', v: 2 },
      library: { name: 'l' },
      locale: 'de',
    });
  });

  it('accepts late events of any age after 2000, marks them late, and refuses 1970 and the far future', () => {
    const late = normalizeEvent({ ...base, timestamp: '2025-01-01T00:00:00Z' }, now);
    expect(late.ok && late.event.late).toBe(true);
    expect(late.ok && late.event.lateMs).toBe(now.getTime() - Date.parse('2025-01-01T00:00:00Z'));
    for (const [ts, code] of [
      ['1970-01-01T00:00:00Z', 'timestamp-too-old'],
      ['2100-01-01T00:00:00Z', 'timestamp-in-future'],
      ['yesterday', 'invalid-timestamp'],
    ] as const) {
      const r = normalizeEvent({ ...base, timestamp: ts }, now);
      expect(r.ok ? 'ok' : r.rejection.code).toBe(code);
    }
    expect(normalizeEvent({ ...base, timestamp: '2026-11-24T11:00:00Z' }, now).ok).toBe(true); // within a day ahead
  });

  it('refuses stand-in ids, missing ids and bad event names with a reason', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, userId: 'undefined' }, 'invalid-id'],
      [{ ...base, userId: '', anonymousId: 'a' }, 'invalid-id'],
      [{ ...base, userId: '0000-0000' }, 'invalid-id'],
      [{ ...base, userId: 'x'.repeat(201) }, 'invalid-id'],
      [{ ...base, userId: -1 }, 'invalid-id'],
      [{ ...base, userId: undefined }, 'missing-id'],
      [{ ...base, event: 'Bad\u0007Name' }, 'invalid-event-name'],
      [{ ...base, event: '' }, 'invalid-event-name'],
      [{ ...base, type: 'explode' }, 'invalid-type'],
      [{ ...base, properties: [1, 2] }, 'wrong-type'],
      [{ type: 'alias', userId: 'u1', messageId: 'x' }, 'missing-id'],
    ];
    for (const [raw, code] of cases) {
      const r = normalizeEvent(raw, now);
      expect(r.ok ? 'ok' : r.rejection.code, JSON.stringify(raw).slice(0, 60)).toBe(code);
      if (!r.ok) expect(r.rejection.reason.length).toBeGreaterThan(10);
    }
  });

  it('refuses text PostgreSQL cannot store, __proto__ keys and deep nesting, and never pollutes prototypes', () => {
    expect(normalizeEvent({ ...base, properties: { note: 'a\u0000b' } }, now)).toMatchObject({
      ok: false,
      rejection: { code: 'nul-character', path: 'properties.note' },
    });
    expect(normalizeEvent({ ...base, properties: { note: 'a\ud800b' } }, now)).toMatchObject({
      ok: false,
      rejection: { code: 'lone-surrogate' },
    });
    expect(normalizeEvent({ ...base, properties: { ok: '😀 fine' } }, now).ok).toBe(true);
    const proto = JSON.parse(
      '{"type":"track","event":"E","userId":"u","context":{"__proto__":{"polluted":true}}}',
    ) as unknown;
    expect(normalizeEvent(proto, now)).toMatchObject({ ok: false, rejection: { code: 'forbidden-key' } });
    const ctor = normalizeEvent(
      { ...base, properties: { constructor: { prototype: { polluted: true } } } },
      now,
      { context: { constructor: 'x' } },
    );
    expect(ctor.ok).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = { d: deep };
    expect(normalizeEvent({ ...base, properties: deep as Record<string, unknown> }, now)).toMatchObject({
      ok: false,
      rejection: { code: 'too-deep' },
    });
  });

  it('refuses an event over 32 KB, naming the limit', () => {
    const r = normalizeEvent({ ...base, properties: { blob: 'x'.repeat(40_000) } }, now);
    expect(r).toMatchObject({ ok: false, rejection: { code: 'event-too-large' } });
    expect(!r.ok && r.rejection.reason).toContain('32768 bytes');
  });

  it('derives the same messageId for retries of the same event, whatever their delivery times', () => {
    const a = {
      type: 'track',
      event: 'E',
      userId: 'u',
      properties: { x: 1, y: 2 },
      sentAt: '2026-11-23T11:00:00Z',
    };
    const b = {
      properties: { y: 2, x: 1 },
      userId: 'u',
      event: 'E',
      type: 'track',
      sentAt: '2026-11-23T11:05:00Z',
    };
    expect(deriveMessageId(a)).toBe(deriveMessageId(b));
    expect(deriveMessageId(a)).not.toBe(deriveMessageId({ ...a, properties: { x: 2, y: 2 } }));
  });
});

describe('JSON guards', () => {
  it('measures nesting without recursing, ignoring brackets inside strings', () => {
    expect(maxJsonDepth('{"a":[1,{"b":"[[[["}]}')).toBe(3);
    expect(maxJsonDepth('['.repeat(16_000) + ']'.repeat(16_000))).toBe(16_000);
    expect(maxJsonDepth('"\\"[["')).toBe(0);
  });

  it('merges into null-prototype objects', () => {
    const merged = safeMerge({ a: { b: 1 } }, JSON.parse('{"a":{"c":2},"constructor":{"x":1}}')) as Record<
      string,
      unknown
    >;
    expect(JSON.parse(JSON.stringify(merged))).toEqual({ a: { b: 1, c: 2 }, constructor: { x: 1 } });
    expect(Object.getPrototypeOf(merged)).toBeNull();
    expect(inspectValue({ a: [{ b: 'ok' }] }, 3).problem).toBeNull();
    expect(inspectValue({ a: [{ b: 'ok' }] }, 2).problem).toMatchObject({ code: 'too-deep' });
  });

  it('names the path of a problem and bounds the serialized size from above', () => {
    expect(inspectValue({ a: [{ b: 'x\u0000' }] }, 8).problem).toEqual({
      code: 'nul-character',
      path: 'a[0].b',
    });
    expect(inspectValue(JSON.parse('{"p":{"__proto__":1}}'), 8).problem).toEqual({
      code: 'forbidden-key',
      path: 'p.__proto__',
    });
    expect(inspectValue([[[1]]], 2).problem).toEqual({ code: 'too-deep', path: '[0][0]' });
    // Every kind of value the bound must cover: escapes, non-ASCII, astral characters, long numbers.
    const pieces: unknown[] = [
      '',
      'plain',
      'tab\tquote"back\\',
      '\u0001\u001f',
      'é漢字',
      '😀🎉',
      -1.7976931348623157e308,
      -2.2250738585072014e-308,
      -123456789012345680000,
      0.1,
      true,
      false,
      null,
    ];
    let seed = 7;
    const pick = () => {
      seed = (seed * 48271) % 2147483647;
      return seed;
    };
    const build = (depth: number): unknown => {
      const r = pick() % 10;
      if (depth > 4 || r < 4) return pieces[pick() % pieces.length];
      if (r < 7) return Array.from({ length: pick() % 5 }, () => build(depth + 1));
      return Object.fromEntries(
        Array.from({ length: pick() % 5 }, (_, i) => [
          `${pieces[pick() % 6] as string}${i}`,
          build(depth + 1),
        ]),
      );
    };
    for (let i = 0; i < 2000; i++) {
      const v = build(0);
      const { problem, sizeBound } = inspectValue(v, 32);
      expect(problem).toBeNull();
      expect(sizeBound).toBeGreaterThanOrEqual(Buffer.byteLength(JSON.stringify(v), 'utf8'));
    }
  });
});
