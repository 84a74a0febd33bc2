import { describe, expect, it } from 'vitest';
import { createProgress } from './progress.js';

function capture(isTTY: boolean) {
  const written: string[] = [];
  return { stream: { isTTY, write: (s: string) => written.push(s) }, written };
}

describe('progress line', () => {
  it('redraws one line on a terminal and ends it once', () => {
    const { stream, written } = capture(true);
    const p = createProgress(stream);
    for (let i = 1; i <= 100; i++) p.update(i / 100, `working: ${i}%`);
    p.done();
    expect(written).toHaveLength(101);
    expect(written.slice(0, 100).every((s) => s.startsWith('\r\x1b[K') && !s.includes('\n'))).toBe(true);
    expect(written[100]).toBe('\n');
  });

  it('prints at most four milestone lines when not a terminal, however many updates', () => {
    const { stream, written } = capture(false);
    const p = createProgress(stream);
    for (let i = 0; i <= 1000; i++) p.update(i / 1000, `working: ${(i / 10).toFixed(1)}%`);
    p.done();
    expect(written).toEqual([
      'working: 25.0%\n',
      'working: 50.0%\n',
      'working: 75.0%\n',
      'working: 100.0%\n',
    ]);
  });

  it('prints one line when a jump crosses several milestones, and nothing when quiet', () => {
    const { stream, written } = capture(false);
    const p = createProgress(stream);
    p.update(0.1, 'a');
    p.update(0.8, 'b');
    p.update(0.8, 'b again');
    expect(written).toEqual(['b\n']);
    const quiet = capture(true);
    createProgress(quiet.stream, { quiet: true }).update(1, 'x');
    expect(quiet.written).toEqual([]);
  });
});
