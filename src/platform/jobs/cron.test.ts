import { describe, expect, it } from 'vitest';
import { checkCron, nextRun } from './cron.js';

const from = new Date('2026-03-28T12:00:00Z');

describe('cron schedules', () => {
  it('lists the next runs in UTC and across a daylight-saving change in a named zone', () => {
    const utc = checkCron('30 6 * * *', 'UTC', from, 2);
    expect(utc).toEqual({
      ok: true,
      next: [new Date('2026-03-29T06:30:00Z'), new Date('2026-03-30T06:30:00Z')],
    });
    // Berlin moves from UTC+1 to UTC+2 on 2026-03-29: 06:30 local is 05:30 UTC, then 04:30 UTC.
    const berlin = checkCron('30 6 * * *', 'Europe/Berlin', from, 2);
    expect(berlin).toEqual({
      ok: true,
      next: [new Date('2026-03-29T04:30:00Z'), new Date('2026-03-30T04:30:00Z')],
    });
  });

  it('refuses bad expressions with a reason that says how to fix them', () => {
    const cases: [string, RegExp][] = [
      ['* * * *', /five/],
      ['99 * * * *', /0-59/],
      ['* * * * * *', /five/],
      ['every day', /five/],
      ['0 0 30 2 *', /Invalid/],
    ];
    for (const [expr, reason] of cases) {
      const r = checkCron(expr, 'UTC', from);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.problem).toMatch(reason);
    }
    expect(checkCron('0 3 * * *', 'Nowhere/City', from)).toMatchObject({ ok: false });
  });

  it('nextRun is strictly after the given time', () => {
    expect(nextRun('0 * * * *', 'UTC', new Date('2026-01-01T10:00:00Z'))).toEqual(
      new Date('2026-01-01T11:00:00Z'),
    );
  });
});
