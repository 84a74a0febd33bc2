import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_ID_LENGTH, idProblem, idSchema } from './ids.js';

describe('the id rule', () => {
  it('names what is wrong with each kind of bad id', () => {
    const cases: [unknown, string][] = [
      [42, 'not-a-string'],
      ['', 'empty'],
      ['a\u0000b', 'nul-character'],
      ['\ud800', 'lone-surrogate'],
      ['x\udc00y', 'lone-surrogate'],
      ['bell\u0007', 'control-character'],
      ['a\nb', 'control-character'],
      ['del\u007f', 'control-character'],
      ['c1\u0085', 'control-character'],
      ['x'.repeat(MAX_ID_LENGTH + 1), 'too-long'],
    ];
    for (const [v, code] of cases) expect(idProblem(v)?.code, JSON.stringify(v)).toBe(code);
    expect(idProblem('x'.repeat(65), 64)?.code).toBe('too-long');
  });

  it('accepts ordinary ids, spaces, emoji and other scripts', () => {
    for (const v of [
      'u-123',
      'user@example.com',
      'Jürgen Müller',
      '用户42',
      '😀 face',
      'x'.repeat(MAX_ID_LENGTH),
    ])
      expect(idProblem(v), v).toBeNull();
  });

  it('holds for any text: a NUL anywhere is refused, and well-formed printable text of a fitting length is not', () => {
    const printable = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 60 })
      .filter((s) => !/[\u0000-\u001f\u007f-\u009f]/.test(s));
    fc.assert(
      fc.property(printable, fc.nat(), (s, at) => {
        expect(idProblem(s)).toBeNull();
        const chars = [...s]; // between code points: a NUL inside a surrogate pair would split it
        chars.splice(at % (chars.length + 1), 0, '\u0000');
        expect(idProblem(chars.join(''))?.code).toBe('nul-character');
      }),
      { seed: 17, numRuns: 300 },
    );
  });

  it('as a schema, refuses with an issue that a 400 turns into the field name', () => {
    const r = idSchema().safeParse('a\u0000b');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/NUL/);
    expect(idSchema(10).safeParse('x'.repeat(11)).success).toBe(false);
    expect(idSchema(100, { trim: true }).parse('  nightly ')).toBe('nightly');
  });
});
