// Turning a parsed table into numbers: each column is numeric (every non-empty cell parses as a
// number) or categorical (one-hot of its most frequent values, the rest as "other"); missing cells
// are imputed (median, or a "missing" level) with an indicator. The encoder is fitted on the training
// table and applied unchanged to the test table and to scoring.
import { TableError, type RawTable } from './parse.js';

const MISSING = new Set(['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', '?']);
const MAX_LEVELS = 30;

type NumericColumn = { name: string; type: 'numeric'; median: number; hasMissing: boolean };
type CategoricalColumn = { name: string; type: 'categorical'; levels: string[] };
export type ColumnEncoding = NumericColumn | CategoricalColumn;

export type Encoder = { label: string; positive: string; columns: ColumnEncoding[]; features: string[] };

const isNumber = (s: string) => s.trim() !== '' && Number.isFinite(Number(s));

export type EncodeOptions = { label: string; positive?: string; drop?: string[] };

function labelValues(table: RawTable, label: string, positive: string | undefined): { positive: string } {
  const j = table.columns.indexOf(label);
  if (j < 0)
    throw new TableError(
      `${table.name} has no label column "${label}" (columns: ${table.columns.join(', ')}).`,
    );
  const values = new Set(table.rows.map((r) => r[j]!));
  if (values.size < 2)
    throw new TableError(
      `${table.name}: the label column "${label}" has one class only (${[...values][0] ?? 'empty'}).`,
    );
  if (positive !== undefined) {
    if (!values.has(positive))
      throw new TableError(
        `${table.name}: --positive "${positive}" does not occur in "${label}" (values: ${[...values].slice(0, 5).join(', ')}).`,
      );
    return { positive };
  }
  for (const p of ['1', 'true', 'yes', 'True', 'Yes', 'TRUE', 'YES', 'y', 'Y'])
    if (values.has(p)) return { positive: p };
  if (values.size === 2) return { positive: [...values].sort()[1]! };
  throw new TableError(
    `${table.name}: the label column "${label}" has ${values.size} values; say which is positive with --positive.`,
  );
}

export function fitEncoder(table: RawTable, options: EncodeOptions): Encoder {
  const { positive } = labelValues(table, options.label, options.positive);
  const drop = new Set([options.label, ...(options.drop ?? [])]);
  for (const d of options.drop ?? [])
    if (!table.columns.includes(d)) throw new TableError(`${table.name} has no column "${d}" to drop.`);
  const columns: ColumnEncoding[] = [];
  table.columns.forEach((name, j) => {
    if (drop.has(name)) return;
    const cells = table.rows.map((r) => r[j]!);
    const present = cells.filter((c) => !MISSING.has(c.trim()));
    if (present.length === 0) return; // an empty column carries nothing
    const numeric = present.filter(isNumber).length;
    if (numeric === present.length) {
      const sorted = present.map(Number).sort((a, b) => a - b);
      columns.push({
        name,
        type: 'numeric',
        median: sorted[Math.floor(sorted.length / 2)]!,
        hasMissing: present.length < cells.length,
      });
      return;
    }
    // Mostly numbers with a few junk cells is a broken numeric column, not a category.
    if (numeric >= 0.9 * present.length) {
      const k = cells.findIndex((c) => !MISSING.has(c.trim()) && !isNumber(c));
      throw new TableError(
        `${table.name} line ${k + 2}, column "${name}": "${cells[k]}" is not a number (the column is otherwise numeric).`,
      );
    }
    const counts = new Map<string, number>();
    for (const c of cells) {
      const v = MISSING.has(c.trim()) ? '(missing)' : c;
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    const levels = [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, MAX_LEVELS)
      .map(([v]) => v);
    columns.push({ name, type: 'categorical', levels });
  });
  if (!columns.length) throw new TableError(`${table.name} has no feature columns besides the label.`);
  const features = columns.flatMap((c) =>
    c.type === 'numeric'
      ? [c.name, ...(c.hasMissing ? [`${c.name}__missing`] : [])]
      : [...c.levels.map((l) => `${c.name}=${l}`), `${c.name}=(other)`],
  );
  return { label: options.label, positive, columns, features };
}

export function encode(encoder: Encoder, table: RawTable): { X: number[][]; y: number[] } {
  const index = new Map(table.columns.map((c, j) => [c, j]));
  const labelAt = index.get(encoder.label);
  if (labelAt === undefined) throw new TableError(`${table.name} has no label column "${encoder.label}".`);
  for (const c of encoder.columns)
    if (!index.has(c.name))
      throw new TableError(`${table.name} lacks the column "${c.name}" that the training table has.`);
  const X = table.rows.map((r, i) =>
    encoder.columns.flatMap((c) => {
      const cell = r[index.get(c.name)!]!;
      const missing = MISSING.has(cell.trim());
      if (c.type === 'numeric') {
        if (!missing && !isNumber(cell))
          throw new TableError(`${table.name} line ${i + 2}, column "${c.name}": "${cell}" is not a number.`);
        const v = missing ? c.median : Number(cell);
        return c.hasMissing ? [v, missing ? 1 : 0] : [v];
      }
      const v = missing ? '(missing)' : cell;
      const hit = c.levels.indexOf(v);
      return [...c.levels.map((_, k) => (k === hit ? 1 : 0)), hit < 0 ? 1 : 0];
    }),
  );
  const y = table.rows.map((r) => (r[labelAt] === encoder.positive ? 1 : 0));
  return { X, y };
}
