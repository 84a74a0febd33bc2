// Stored MMM data: import a CSV of weekly (or daily) KPI and spend into a named data set, list the
// data sets, and read one back as the model's input. An import is checked as the file `mmm fit`
// reads is, and then as a whole series merged with what is stored (no gaps, every channel spent,
// enough rows): it lands whole or not at all, because a series with a hole cannot be fitted.
import type postgres from 'postgres';
import type { Database, Sql } from '../../platform/db/client.js';
import { AppError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { checkSeries, parseMmmTable, type MmmColumns, type MmmData } from './data.js';
import { DEFAULT_OPTIONS, minimumRows } from './spec.js';

export type DatasetSummary = {
  name: string;
  kpi: string;
  channels: string[];
  controls: string[];
  periodDays: number;
  periods: number;
  from: string | null;
  to: string | null;
  importedBy: string;
  updatedAt: string;
};

export type ImportResult = { dataset: DatasetSummary; inserted: number; updated: number };

/** Data set names appear in URLs and registry entries: short, lower-case, no spaces. */
export const DATASET_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

type DatasetRow = {
  name: string;
  kpi: string;
  channels: string[];
  controls: string[];
  period_days: number;
  imported_by: string;
  updated_at: string;
};

/**
 * Import `text` (CSV) into data set `name`. A new data set takes its column roles from `columns`; an
 * existing one must be given the same roles (or `replace` drops its rows first). Rows for dates
 * already stored replace them; new dates are added.
 */
export async function importDataset(
  database: Database,
  name: string,
  text: string,
  columns: MmmColumns,
  options: { actor: string; replace?: boolean },
): Promise<ImportResult> {
  if (!DATASET_NAME.test(name))
    throw new ValidationError('The data set name is not valid.', [
      { path: 'dataset', message: `"${name}" should be 1–64 lower-case letters, digits, - or _` },
    ]);
  const file = parseMmmTable(text, columns);
  if (file.dates.length === 0)
    throw new ValidationError('The file has no data rows.', [{ path: '(rows)', message: 'no rows' }]);
  return database.sql.begin(async (tx) => {
    // One import per data set at a time, so two imports cannot both pass the series check.
    await tx`select pg_advisory_xact_lock(hashtext(${'mmm-dataset:' + name}))`;
    const [existing] = await tx<DatasetRow[]>`select * from mmm_datasets where name = ${name}`;
    if (existing && !options.replace) {
      const same =
        existing.kpi === columns.kpi &&
        existing.channels.join(',') === file.channels.join(',') &&
        existing.controls.join(',') === file.controlNames.join(',');
      if (!same)
        throw new AppError(
          'conflict',
          `Data set "${name}" holds KPI ${existing.kpi}, channels ${existing.channels.join(',')} and controls ${existing.controls.join(',') || '(none)'}; ` +
            `the import names KPI ${columns.kpi}, channels ${file.channels.join(',')} and controls ${file.controlNames.join(',') || '(none)'}. ` +
            'Import the same columns, choose another data set name, or replace the data set.',
        );
    }
    const stored = existing && !options.replace ? await readPeriods(tx, name) : [];
    const byDate = new Map(stored.map((r) => [r.date, r]));
    const known = new Set(byDate.keys());
    file.dates.forEach((date, t) =>
      byDate.set(date, {
        date,
        kpi: file.kpi[t]!,
        spend: file.spend.map((s) => s[t]!),
        controls: file.controls.map((c) => c[t]!),
      }),
    );
    const merged = toData([...byDate.values()], file.channels, file.controlNames);
    checkSeries(merged, minimumRows(DEFAULT_OPTIONS, file.channels.length, file.controlNames.length));

    if (options.replace) await tx`delete from mmm_datasets where name = ${name}`;
    await tx`
      insert into mmm_datasets (name, kpi, channels, controls, period_days, imported_by)
      values (${name}, ${columns.kpi}, ${JSON.stringify(file.channels)}::jsonb, ${JSON.stringify(file.controlNames)}::jsonb,
        ${merged.periodDays}, ${options.actor})
      on conflict (name) do update set imported_by = excluded.imported_by, updated_at = now(), period_days = excluded.period_days`;
    // One statement for the whole file: arrays unnested into rows, upserted by date.
    await tx`
      insert into mmm_periods (dataset, period_start, kpi, spend, controls)
      select ${name}, d::date, k, s::jsonb, c::jsonb
      from unnest(${file.dates}::text[], ${file.kpi}::float8[], ${file.dates.map((_, t) => JSON.stringify(file.spend.map((s) => s[t])))}::text[],
        ${file.dates.map((_, t) => JSON.stringify(file.controls.map((c) => c[t])))}::text[]) as u(d, k, s, c)
      on conflict (dataset, period_start) do update set kpi = excluded.kpi, spend = excluded.spend, controls = excluded.controls`;
    const updated = file.dates.filter((d) => known.has(d)).length;
    return {
      dataset: await summaryOf(tx, name),
      inserted: file.dates.length - updated,
      updated,
    };
  });
}

export async function listDatasets(database: Database): Promise<DatasetSummary[]> {
  const rows = await database.sql<{ name: string }[]>`select name from mmm_datasets order by name`;
  return Promise.all(rows.map((r) => summaryOf(database.sql, r.name)));
}

export async function getDataset(database: Database, name: string): Promise<DatasetSummary> {
  return summaryOf(database.sql, name);
}

/** The stored series of a data set as the model's input, in date order. */
export async function loadDataset(database: Database, name: string): Promise<MmmData> {
  const [meta] = await database.sql<DatasetRow[]>`select * from mmm_datasets where name = ${name}`;
  if (!meta) throw new NotFoundError(`MMM data set "${name}"`);
  return toData(await readPeriods(database.sql, name), meta.channels, meta.controls);
}

type Period = { date: string; kpi: number; spend: number[]; controls: number[] };
/** A connection or a transaction: both run tagged queries. */
type Query = Sql | postgres.TransactionSql;

async function readPeriods(sql: Query, name: string): Promise<Period[]> {
  const rows = await sql<{ d: string; kpi: number; spend: number[]; controls: number[] }[]>`
    select to_char(period_start, 'YYYY-MM-DD') as d, kpi, spend, controls
    from mmm_periods where dataset = ${name} order by period_start`;
  return rows.map((r) => ({ date: r.d, kpi: Number(r.kpi), spend: r.spend, controls: r.controls }));
}

function toData(periods: Period[], channels: string[], controlNames: string[]): MmmData {
  const rows = [...periods].sort((a, b) => a.date.localeCompare(b.date));
  const times = rows.map((r) => Date.parse(r.date));
  return {
    dates: rows.map((r) => r.date),
    kpi: rows.map((r) => r.kpi),
    spend: channels.map((_, c) => rows.map((r) => r.spend[c]!)),
    controls: controlNames.map((_, c) => rows.map((r) => r.controls[c]!)),
    channels,
    controlNames,
    periodDays: times.length > 1 ? Math.round((times[1]! - times[0]!) / 86_400_000) : 7,
  };
}

async function summaryOf(sql: Query, name: string): Promise<DatasetSummary> {
  const [row] = await sql<(DatasetRow & { periods: number; from: string | null; to: string | null })[]>`
    select d.*, count(p.period_start)::int as periods,
      to_char(min(p.period_start), 'YYYY-MM-DD') as "from", to_char(max(p.period_start), 'YYYY-MM-DD') as "to"
    from mmm_datasets d left join mmm_periods p on p.dataset = d.name
    where d.name = ${name} group by d.name`;
  if (!row) throw new NotFoundError(`MMM data set "${name}"`);
  return {
    name: row.name,
    kpi: row.kpi,
    channels: row.channels,
    controls: row.controls,
    periodDays: row.period_days,
    periods: row.periods,
    from: row.from,
    to: row.to,
    importedBy: row.imported_by,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
