// Cron expressions: validation with a reason, and the next run times, in a named time zone.
import cronParser from 'cron-parser';

export type CronCheck = { ok: true; next: Date[] } | { ok: false; problem: string };

/** Five fields (minute hour day month weekday); seconds are not offered, the scheduler ticks per minute. */
export function checkCron(expression: string, timezone: string, from: Date, count = 5): CronCheck {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) {
    return {
      ok: false,
      problem: `"${expression}" has ${fields.length} field(s); use five: minute hour day-of-month month day-of-week, e.g. "0 6 * * 1" for Mondays at 06:00.`,
    };
  }
  if (!isTimeZone(timezone))
    return { ok: false, problem: `"${timezone}" is not an IANA time zone such as "UTC" or "Europe/Berlin".` };
  try {
    const it = cronParser.parseExpression(expression, { currentDate: from, tz: timezone });
    const next: Date[] = [];
    for (let i = 0; i < count; i++) next.push(it.next().toDate());
    return { ok: true, next };
  } catch (err) {
    return {
      ok: false,
      problem: `"${expression}" is not a valid cron expression: ${(err as Error).message}.`,
    };
  }
}

/** The first run strictly after `from`. Throws on an invalid expression (validated on the way in). */
export function nextRun(expression: string, timezone: string, from: Date): Date {
  const check = checkCron(expression, timezone, from, 1);
  if (!check.ok) throw new Error(check.problem);
  const [next] = check.next;
  if (!next) throw new Error(`no next run for ${expression}`);
  return next;
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
