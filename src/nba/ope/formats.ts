// Reading logs. Two formats:
// - attune: JSON Lines (or one JSON array), one object per row:
//   {"action": "offer-a", "position": 0, "reward": 1, "propensity": 0.25}; position defaults to 0,
//   other fields (decisionId, context, candidates) are ignored here.
// - obd: the Open Bandit Dataset's CSV (columns item_id, position 1..3, click, propensity_score;
//   others ignored); slot = position − 1, action = item_id.
// Bad rows are skipped and reported by line number; the good rows are kept.
import type { LoggedRow } from './types.js';

export const LOG_FORMATS = ['attune', 'obd'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export type LineProblem = { line: number; message: string };
export type ParsedLog = { rows: LoggedRow[]; problems: LineProblem[] };

/** Checks one row's fields; returns the row or why it is unusable. */
export function toLoggedRow(v: unknown): LoggedRow | string {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'a row must be a JSON object';
  const o = v as Record<string, unknown>;
  const action = typeof o.action === 'number' ? String(o.action) : o.action;
  if (typeof action !== 'string' || action === '') return 'action must be a non-empty string';
  const position = o.position ?? 0;
  if (typeof position !== 'number' || !Number.isInteger(position) || position < 0)
    return `position must be an integer ≥ 0, got ${JSON.stringify(o.position)}`;
  if (typeof o.reward !== 'number' || !Number.isFinite(o.reward))
    return `reward must be a finite number, got ${JSON.stringify(o.reward)}`;
  if (typeof o.propensity !== 'number' || !(o.propensity > 0 && o.propensity <= 1))
    return `propensity must be in (0, 1], got ${JSON.stringify(o.propensity)}`;
  return { action, position, reward: o.reward, propensity: o.propensity };
}

export function parseAttuneLog(text: string): ParsedLog {
  const rows: LoggedRow[] = [];
  const problems: LineProblem[] = [];
  const trimmed = text.trimStart();
  const add = (v: unknown, line: number) => {
    const r = toLoggedRow(v);
    if (typeof r === 'string') problems.push({ line, message: r });
    else rows.push(r);
  };
  if (trimmed.startsWith('[')) {
    let doc: unknown;
    try {
      doc = JSON.parse(trimmed);
    } catch (err) {
      return { rows, problems: [{ line: 1, message: `not valid JSON: ${(err as Error).message}` }] };
    }
    (doc as unknown[]).forEach((v, i) => add(v, i + 1));
    return { rows, problems };
  }
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    try {
      add(JSON.parse(raw), i + 1);
    } catch {
      problems.push({ line: i + 1, message: 'not valid JSON' });
    }
  });
  return { rows, problems };
}

const OBD_COLUMNS = ['item_id', 'position', 'click', 'propensity_score'] as const;

export function parseObdLog(text: string): ParsedLog {
  const lines = text.split('\n');
  const header = (lines[0] ?? '').trim().split(',');
  const col = Object.fromEntries(OBD_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<
    (typeof OBD_COLUMNS)[number],
    number
  >;
  const missing = OBD_COLUMNS.filter((c) => col[c] < 0);
  if (missing.length)
    return { rows: [], problems: [{ line: 1, message: `the header lacks column(s) ${missing.join(', ')}` }] };
  const rows: LoggedRow[] = [];
  const problems: LineProblem[] = [];
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '') continue;
    const f = raw.split(',');
    const position = Number(f[col.position]) - 1;
    const r = toLoggedRow({
      action: f[col.item_id],
      position,
      reward: Number(f[col.click]),
      propensity: Number(f[col.propensity_score]),
    });
    if (typeof r === 'string') problems.push({ line: i + 1, message: r });
    else rows.push(r);
  }
  return { rows, problems };
}

export function parseLog(text: string, format: LogFormat): ParsedLog {
  return format === 'obd' ? parseObdLog(text) : parseAttuneLog(text);
}

/** Skipped rows as warnings: the count and the first few reasons. */
export function problemWarnings(problems: readonly LineProblem[], label = 'log'): string[] {
  if (!problems.length) return [];
  const shown = problems.slice(0, 5).map((p) => `line ${p.line}: ${p.message}`);
  return [
    `${problems.length} row(s) of the ${label} skipped (${shown.join('; ')}${problems.length > 5 ? '; …' : ''}).`,
  ];
}
