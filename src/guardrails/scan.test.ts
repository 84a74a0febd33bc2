import { describe, expect, it } from 'vitest';
import { parseScanLines } from './scan.js';

describe('scan input', () => {
  it('reports malformed lines by number and keeps the rest in order', () => {
    const { items, problems } = parseScanLines(
      [
        '{"id":"a","text":"one"}',
        'not json',
        '',
        '{"id":2,"text":"two","role":"document"}',
        '{"id":"c","text":"x","role":"boss"}',
      ].join('\n'),
    );
    expect(items.map((i) => [i.line, i.item.id, i.item.role])).toEqual([
      [1, 'a', 'user'],
      [4, '2', 'document'],
    ]);
    expect(problems.map((p) => p.line)).toEqual([2, 5]);
    expect(problems[1]!.detail).toMatch(/^role:/);
  });
});
