// The statements that keep an experiment's units and their sums per arm, stratum, day and phase
// (experiment_units, experiment_arm_days, experiment_unit_values; see tables.ts). Pure builders: they
// return SQL text with numbered parameters ($1, $2, …) and their values; aggregates.ts runs them.
import type { Category } from '../cdp/index.js';
import type { Experiment, MetricDefinition } from './definition.js';
import { dayAndPhase, Params, sumExpressions, unitCtes } from './metrics-sql.js';

export type Statement = { text: string; values: unknown[] };

/** Per metric, experiment_units.vals holds post, pre, post denominator, pre denominator. */
export const VALUES_PER_METRIC = 4;
/** Per metric, experiment_arm_days.sums holds metrics-sql's 15 sums and the count of non-zero values. */
export const SUMS_PER_METRIC = 16;

/** A unit's value j (0 post, 1 pre, 2 denominator, 3 pre denominator) of metric k, as SQL. */
export const unitVal = (alias: string, k: number, j: number) =>
  `${alias}.vals[${k * VALUES_PER_METRIC + j + 1}]`;

/** The sums' aggregate expressions over units under `alias`, each multiplied by `sign` (1 or -1). */
function sumColumns(alias: string, metricCount: number, sign: 1 | -1): string {
  const terms: string[] = [];
  for (let k = 0; k < metricCount; k++) {
    const [y, x, d, dx] = [0, 1, 2, 3].map((j) => unitVal(alias, k, j)) as [string, string, string, string];
    for (const s of sumExpressions(y, d, x, dx)) terms.push(`sum((${s})::numeric)`);
    terms.push(`count(*) FILTER (WHERE ${y} <> 0)::numeric`);
  }
  const signed = terms.map((t) => (sign === 1 ? t : `-${t}`));
  return signed.length ? `ARRAY[${signed.join(', ')}]::numeric[]` : `'{}'::numeric[]`;
}

/** Adds grouped unit rows (`source`, a CTE name) to the arm-day sums, with `sign` 1 to add, -1 to remove. */
function upsertArmDays(key: string, source: string, metricCount: number, sign: 1 | -1): string {
  const s = sign === 1 ? '' : '-';
  return `INSERT INTO experiment_arm_days AS t (experiment_key, variation, stratum, day, phase, n, multiple_arms, sends, sums)
SELECT ${key}, u.variation, u.stratum, u.day, u.phase, ${s}count(*)::numeric, ${s}sum(u.multiple_arms)::numeric,
       ${s}sum(u.sends::numeric), ${sumColumns('u', metricCount, sign)}
FROM ${source} u
GROUP BY u.variation, u.stratum, u.day, u.phase
ORDER BY 2, 3, 4, 5
ON CONFLICT (experiment_key, variation, stratum, day, phase) DO UPDATE SET
  n = t.n + excluded.n, multiple_arms = t.multiple_arms + excluded.multiple_arms, sends = t.sends + excluded.sends,
  sums = experiment_add_sums(t.sums, excluded.sums)`;
}

/** Which metrics keep their values ordered: capped ones over all units, quantiles per arm. */
export function orderedValueMetrics(metrics: MetricDefinition[]) {
  return metrics.flatMap((m, k) =>
    m.type === 'quantile'
      ? [{ k, perArm: true, nonZeroOnly: m.ignoreZeros === true }]
      : m.capPercentile
        ? [{ k, perArm: false, nonZeroOnly: false }]
        : [],
  );
}

/**
 * Removes `persons`' units (every unit when `persons` is null) with their ordered values, and takes
 * their sums off the arm-day rows; rows left with no unit are deleted by `dropEmptyArmDays`.
 */
export function removeUnits(key: string, metricCount: number, persons: readonly string[] | null): Statement {
  const p = new Params();
  const k = p.add(key);
  const who = persons
    ? ` AND person_id = ANY(ARRAY(SELECT jsonb_array_elements_text(${p.add(JSON.stringify(persons))}::jsonb)))`
    : '';
  const text = `WITH old AS (
  DELETE FROM experiment_units WHERE experiment_key = ${k}${who}
  RETURNING variation, stratum, day, phase, multiple_arms, sends, vals
), gone AS (
  DELETE FROM experiment_unit_values WHERE experiment_key = ${k}${who}
)
${upsertArmDays(k, 'old', metricCount, -1)}`;
  return { text, values: p.values };
}

export function dropEmptyArmDays(key: string): Statement {
  return { text: `DELETE FROM experiment_arm_days WHERE experiment_key = $1 AND n = 0`, values: [key] };
}

/**
 * Computes the units of `persons` (of everyone when null) from the events, stores them with their
 * ordered values and adds their sums to the arm-day rows. Every value is kept, covariates included,
 * so one set of aggregates answers an analysis with or without CUPED.
 */
export function addUnits(
  e: Experiment,
  metrics: MetricDefinition[],
  window: { from: Date; to: Date | null },
  consentCategory: Category,
  persons: readonly string[] | null,
): Statement {
  const p = new Params();
  const units = unitCtes(p, e, metrics, {
    window,
    consentCategory,
    covariates: true,
    ...(persons ? { persons } : {}),
  });
  const key = p.add(e.key);
  const { day, phase } = dayAndPhase(p, e, 'u.first_at');
  const vals = metrics.flatMap((m, k) => [
    `u.m${k}`,
    `u.pre${k}`,
    m.denominator ? `u.d${k}` : '0',
    m.denominator ? `u.dpre${k}` : '0',
  ]);
  const ordered = orderedValueMetrics(metrics);
  const valuesInsert = ordered.length
    ? `, ordered AS (
  INSERT INTO experiment_unit_values (experiment_key, person_id, metric, arm, value, variation, stratum, day, phase, pre, denominator, pre_denominator)
  SELECT ${key}, f.person_id, s.k, CASE WHEN s.per_arm THEN f.variation ELSE '' END, f.vals[s.k * ${VALUES_PER_METRIC} + 1],
         f.variation, f.stratum, f.day, f.phase, f.vals[s.k * ${VALUES_PER_METRIC} + 2], f.vals[s.k * ${VALUES_PER_METRIC} + 3], f.vals[s.k * ${VALUES_PER_METRIC} + 4]
  FROM fresh f CROSS JOIN (VALUES ${ordered.map((o) => `(${o.k}, ${o.perArm}, ${o.nonZeroOnly})`).join(', ')}) AS s(k, per_arm, non_zero_only)
  WHERE NOT s.non_zero_only OR f.vals[s.k * ${VALUES_PER_METRIC} + 1] <> 0
)`
    : '';
  const text = `WITH ${units}, fresh AS (
  INSERT INTO experiment_units (experiment_key, person_id, variation, first_at, day, phase, multiple_arms, stratum, sends, vals)
  SELECT ${key}, u.person_id, u.variation, u.first_at, ${day}, ${phase}, (u.arms > 1)::int, coalesce(u.stratum, ''),
         ${e.sendEvent ? 'coalesce(u.sends, 0)::float8' : '0::float8'},
         ${vals.length ? `ARRAY[${vals.map((v) => `(${v})::float8`).join(', ')}]` : `'{}'::float8[]`}
  FROM units u
  ORDER BY u.person_id
  RETURNING person_id, variation, stratum, day, phase, multiple_arms, sends, vals
)${valuesInsert}
${upsertArmDays(key, 'fresh', metrics.length, 1)}`;
  return { text, values: p.values };
}

/** The arm-day rows as the analysis reads them. */
export function readArmDays(key: string): Statement {
  return {
    text: `SELECT variation, stratum, day, phase, n::float8 AS n, multiple_arms::float8 AS multiple_arms,
       sends::float8 AS sends, sums::float8[] AS sums
FROM experiment_arm_days WHERE experiment_key = $1 ORDER BY day, variation, stratum`,
    values: [key],
  };
}

/**
 * For a metric capped at `cap`: per arm-day row, what capping changes in the sums that hold the post
 * value y (Σy, Σy², Σyd, Σxy, Σyx, Σy·dx), from the units above the cap only.
 */
export function capCorrection(key: string, k: number, cap: number): Statement {
  const c = '$3::float8';
  // Read from the covering index alone: the units above the cap are its last entries for the metric.
  return {
    text: `SELECT variation, stratum, day, phase,
       sum(${c} - value) AS y, sum(${c} * ${c} - value * value) AS yy, sum((${c} - value) * denominator) AS yd,
       sum(pre * (${c} - value)) AS xy, sum((${c} - value) * pre_denominator) AS ydx
FROM experiment_unit_values
WHERE experiment_key = $1 AND metric = $2 AND arm = '' AND value > ${c}
GROUP BY 1, 2, 3, 4`,
    values: [key, k, cap],
  };
}

/** The value at 0-based position `offset` of metric k's ordered values in `arm`, counted from the top when `descending`. */
export function orderedValueAt(
  key: string,
  k: number,
  arm: string,
  offset: number,
  count: number,
  descending: boolean,
): Statement {
  return {
    text: `SELECT value FROM experiment_unit_values
WHERE experiment_key = $1 AND metric = $2 AND arm = $3
ORDER BY value${descending ? ' DESC' : ''} OFFSET $4 LIMIT $5`,
    values: [key, k, arm, offset, count],
  };
}
