// Target policies the CLI and the API can name: uniform over the log's actions, the empirical
// action-by-position frequencies of another log, or a table of probabilities per action and position.
import type { LoggedRow, TargetPolicy } from './types.js';

/** Sums of a position's probabilities may be off by this much (rounding in hand-written tables). */
export const SUM_TOLERANCE = 1e-6;

function byPosition(table: Map<number, Map<string, number>>, describe: string): TargetPolicy {
  const empty = new Map<string, number>();
  return { describe, probabilities: (row) => table.get(row.position) ?? empty };
}

/** Uniform over every action that appears anywhere in the log, in every position. */
export function uniformTarget(rows: readonly LoggedRow[]): TargetPolicy {
  const actions = [...new Set(rows.map((r) => r.action))];
  const dist = new Map(actions.map((a) => [a, 1 / actions.length]));
  const positions = new Set(rows.map((r) => r.position));
  return byPosition(new Map([...positions].map((p) => [p, dist])), `uniform over ${actions.length} actions`);
}

/** How often another policy showed each action in each position, in its own log. */
export function empiricalTarget(policyRows: readonly LoggedRow[]): TargetPolicy {
  const counts = new Map<number, Map<string, number>>();
  const totals = new Map<number, number>();
  for (const r of policyRows) {
    const m = counts.get(r.position) ?? new Map<string, number>();
    m.set(r.action, (m.get(r.action) ?? 0) + 1);
    counts.set(r.position, m);
    totals.set(r.position, (totals.get(r.position) ?? 0) + 1);
  }
  for (const [p, m] of counts) for (const [a, n] of m) m.set(a, n / totals.get(p)!);
  return byPosition(counts, `empirical frequencies of ${policyRows.length} logged rows`);
}

/**
 * `{ "probabilities": { "<action>": p | [p0, p1, ...] } }`: one number applies to every position,
 * an array gives one probability per position (index = position). Returns the policy or its problems.
 */
export function parseTableTarget(
  input: unknown,
  positions: readonly number[],
): { policy: TargetPolicy; problems: string[] } {
  const problems: string[] = [];
  const table = new Map<number, Map<string, number>>(positions.map((p) => [p, new Map()]));
  const probs =
    typeof input === 'object' && input !== null
      ? (input as { probabilities?: unknown }).probabilities
      : undefined;
  if (typeof probs !== 'object' || probs === null || Array.isArray(probs)) {
    problems.push('the policy must be {"probabilities": {"<action>": p or [p per position]}}');
    return { policy: byPosition(table, 'invalid table'), problems };
  }
  for (const [action, v] of Object.entries(probs)) {
    for (const position of positions) {
      const p: unknown = Array.isArray(v) ? (v as unknown[])[position] : v;
      if (typeof p !== 'number' || !Number.isFinite(p) || p < 0 || p > 1) {
        problems.push(
          `probabilities.${action}: position ${position} needs a number in [0, 1], got ${JSON.stringify(p)}`,
        );
        continue;
      }
      if (p > 0) table.get(position)!.set(action, p);
    }
  }
  for (const [position, m] of table) {
    const sum = [...m.values()].reduce((s, p) => s + p, 0);
    if (Math.abs(sum - 1) > SUM_TOLERANCE)
      problems.push(`position ${position}: probabilities sum to ${sum}, not 1`);
  }
  return { policy: byPosition(table, `table of ${Object.keys(probs).length} actions`), problems };
}
