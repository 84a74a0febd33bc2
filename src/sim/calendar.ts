// The world's calendar: weekday rhythm, yearly season, holidays and trend, as multipliers on
// traffic. Pure functions of the date.

export const DAY_MS = 86_400_000;

/** Monday-first weekday factors: weekends browse more. */
const WEEKDAY = [0.95, 0.93, 0.95, 0.97, 1.0, 1.12, 1.08];

export function weekdayFactor(d: Date): number {
  return WEEKDAY[(d.getUTCDay() + 6) % 7] ?? 1;
}

/** Yearly cycle peaking in mid-December, lowest in mid-June (coffee and tea are winter goods). */
export function seasonFactor(d: Date): number {
  const doy =
    (Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) /
    DAY_MS;
  return 1 + 0.15 * Math.cos((2 * Math.PI * (doy - 350)) / 365);
}

function nthWeekday(year: number, month: number, weekday: number, n: number): Date {
  const first = new Date(Date.UTC(year, month, 1));
  const offset = (weekday - first.getUTCDay() + 7) % 7;
  return new Date(Date.UTC(year, month, 1 + offset + 7 * (n - 1)));
}

export type Holiday = { name: string; date: string; factor: number };

export function holidays(year: number): Holiday[] {
  const thanksgiving = nthWeekday(year, 10, 4, 4);
  const day = (base: Date, add: number) => new Date(base.getTime() + add * DAY_MS).toISOString().slice(0, 10);
  return [
    { name: "Valentine's Day", date: `${year}-02-14`, factor: 1.25 },
    { name: "Mother's Day", date: nthWeekday(year, 4, 0, 2).toISOString().slice(0, 10), factor: 1.3 },
    { name: 'Black Friday', date: day(thanksgiving, 1), factor: 2.2 },
    { name: 'Cyber Monday', date: day(thanksgiving, 4), factor: 1.9 },
    { name: 'Christmas shopping', date: `${year}-12-15`, factor: 1.4 },
  ];
}

export function holidayFactor(d: Date): number {
  const iso = d.toISOString().slice(0, 10);
  let f = 1;
  for (const h of holidays(d.getUTCFullYear())) if (h.date === iso) f *= h.factor;
  const m = d.getUTCMonth();
  const dom = d.getUTCDate();
  if (m === 11 && dom >= 1 && dom <= 20) f *= 1.2; // December gift season
  return f;
}

/** Linear growth of 10% a year from the start of the world. */
export function trendFactor(d: Date, start: Date): number {
  return 1 + (0.1 * (d.getTime() - start.getTime())) / (365 * DAY_MS);
}

export function trafficFactor(d: Date, start: Date): number {
  return weekdayFactor(d) * seasonFactor(d) * holidayFactor(d) * trendFactor(d, start);
}

export function addDays(d: Date, days: number): Date {
  return new Date(d.getTime() + days * DAY_MS);
}

export const isoDay = (d: Date): string => d.toISOString().slice(0, 10);
