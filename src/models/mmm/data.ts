// The MMM's input table: a date column, the KPI, spend per channel and optional controls, read from
// CSV text. Every problem (missing column, non-numeric or negative spend, gaps in the dates, too few
// rows) is collected into one ValidationError naming the row and column.
import { ValidationError, type ItemProblem } from '../../platform/errors.js';

export type MmmData = {
  dates: string[];
  kpi: number[];
  /** spend[c][t] for channel c in week (or day) t. */
  spend: number[][];
  controls: number[][];
  channels: string[];
  controlNames: string[];
  /** 7 for weekly data, 1 for daily. */
  periodDays: number;
};

export type MmmColumns = { dateColumn: string; kpi: string; channels: string[]; controls?: string[] };

const DAY_MS = 86_400_000;

/** Split CSV text into rows of fields (quoted fields with commas and doubled quotes handled). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const fields: string[] = [];
    let cur = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') {
          cur += '"';
          i++;
        } else if (ch === '"') quoted = false;
        else cur += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ',') {
        fields.push(cur);
        cur = '';
      } else cur += ch;
    }
    fields.push(cur);
    rows.push(fields.map((f) => f.trim()));
  }
  return rows;
}

export function readMmmData(text: string, columns: MmmColumns, minRows = 0): MmmData {
  const { data, problems } = readTable(text, columns);
  // One error with every problem: the cells' and the series' (a bad cell does not hide a gap).
  problems.push(...seriesProblems(data, minRows, columns.dateColumn));
  if (problems.length)
    throw new ValidationError(`The file has ${problems.length} problem(s).`, problems.slice(0, 50));
  return data;
}

/**
 * Read the table's cells: every missing column, bad date, non-numeric value and negative spend is
 * collected into one ValidationError. The rows are kept in file order; `checkSeries` judges them as a
 * series (spacing, gaps, channels without spend, enough rows).
 */
export function parseMmmTable(text: string, columns: MmmColumns): MmmData {
  const { data, problems } = readTable(text, columns);
  if (problems.length)
    throw new ValidationError(`The file has ${problems.length} problem(s).`, problems.slice(0, 50));
  return data;
}

function readTable(text: string, columns: MmmColumns): { data: MmmData; problems: ItemProblem[] } {
  const [header, ...rows] = parseCsv(text);
  const problems: ItemProblem[] = [];
  if (!header) throw new ValidationError('The file is empty: expected a header row and data rows.', []);
  const controls = columns.controls ?? [];
  const index = (name: string, role: string) => {
    const i = header.indexOf(name);
    if (i < 0)
      problems.push({
        path: name,
        message: `${role} column "${name}" is missing; the header has ${header.join(', ')}`,
      });
    return i;
  };
  const dateI = index(columns.dateColumn, 'date');
  const kpiI = index(columns.kpi, 'KPI');
  const chI = columns.channels.map((c) => index(c, 'spend'));
  const ctI = controls.map((c) => index(c, 'control'));
  if (problems.length) throw new ValidationError('Columns are missing from the file.', problems);

  const num = (row: string[], i: number, name: string, r: number, nonNegative: boolean) => {
    const raw = row[i] ?? '';
    const v = raw === '' ? NaN : Number(raw);
    if (!Number.isFinite(v))
      problems.push({ path: name, index: r + 2, message: `row ${r + 2}: "${raw}" is not a number` });
    else if (nonNegative && v < 0)
      problems.push({ path: name, index: r + 2, message: `row ${r + 2}: spend ${v} is negative` });
    return v;
  };
  const dates = rows.map((row, r) => {
    const d = row[dateI] ?? '';
    if (Number.isNaN(Date.parse(d)))
      problems.push({
        path: columns.dateColumn,
        index: r + 2,
        message: `row ${r + 2}: "${d}" is not a date`,
      });
    return d.slice(0, 10);
  });
  const kpi = rows.map((row, r) => num(row, kpiI, columns.kpi, r, false));
  const spend = chI.map((i, c) => rows.map((row, r) => num(row, i, columns.channels[c]!, r, true)));
  const ctrl = ctI.map((i, c) => rows.map((row, r) => num(row, i, controls[c]!, r, false)));
  const times = dates.map((d) => Date.parse(d));
  const data = {
    dates,
    kpi,
    spend,
    controls: ctrl,
    channels: columns.channels,
    controlNames: controls,
    periodDays: times.length > 1 ? Math.round((times[1]! - times[0]!) / DAY_MS) : 7,
  };
  return { data, problems };
}

/**
 * The checks on the whole series, shared by `mmm fit` on a file and by the import into stored data:
 * weekly or daily spacing without gaps, every channel with some spend, and at least `minRows` rows.
 * Row numbers in messages count the header as row 1, as in the file.
 */
export function checkSeries(data: MmmData, minRows = 0, dateColumn = 'date'): void {
  const problems = seriesProblems(data, minRows, dateColumn);
  if (problems.length)
    throw new ValidationError(`The data has ${problems.length} problem(s).`, problems.slice(0, 50));
}

function seriesProblems(data: MmmData, minRows: number, dateColumn: string): ItemProblem[] {
  const problems: ItemProblem[] = [];
  const { dates, periodDays } = data;
  const times = dates.map((d) => Date.parse(d));
  if (periodDays !== 7 && periodDays !== 1)
    problems.push({
      path: dateColumn,
      message: `dates are ${periodDays} days apart; expected weekly (7) or daily (1)`,
    });
  else
    for (let t = 1; t < times.length; t++) {
      const gap = Math.round((times[t]! - times[t - 1]!) / DAY_MS);
      if (gap !== periodDays)
        problems.push({
          path: dateColumn,
          index: t + 2,
          message: `row ${t + 2}: ${dates[t]} follows ${dates[t - 1]} after ${gap} days; expected ${periodDays} (a gap or unsorted dates)`,
        });
    }
  data.channels.forEach((c, i) => {
    if (data.spend[i]!.every((v) => v === 0))
      problems.push({ path: c, message: `channel "${c}" has no spend at all` });
  });
  if (dates.length < minRows)
    problems.push({
      path: '(rows)',
      message: `${dates.length} rows are too few for this model's parameters; need at least ${minRows}`,
    });
  return problems;
}
