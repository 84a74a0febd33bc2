// Tables analysts bring (a CRM export, a row per customer): CSV text → columns of strings, with
// errors that name the line or column, before any model sees them.
import { parse } from 'csv-parse/sync';

export class TableError extends Error {}

export type RawTable = { name: string; columns: string[]; rows: string[][] };

export function parseCsvTable(text: string, name: string): RawTable {
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    });
  } catch (err) {
    throw new TableError(`${name} is not valid CSV: ${(err as Error).message}`);
  }
  const [header, ...rows] = records;
  if (!header || header.length === 0)
    throw new TableError(`${name} is empty: it needs a header row and data rows.`);
  const dup = header.find((h, i) => header.indexOf(h) !== i);
  if (dup !== undefined) throw new TableError(`${name}: the column "${dup}" appears twice in the header.`);
  rows.forEach((r, i) => {
    if (r.length !== header.length)
      throw new TableError(
        `${name} line ${i + 2}: ${r.length} fields where the header has ${header.length} (a ragged row).`,
      );
  });
  if (rows.length === 0) throw new TableError(`${name} has a header but no data rows.`);
  return { name, columns: header, rows };
}
