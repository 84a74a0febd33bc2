// Exposures and outcomes aggregated in Postgres to sufficient statistics per arm, day and phase, so an
// experiment of millions of exposures is analysed without loading a row into Node. Names of events
// and properties travel as bind parameters; only the shape of the query is generated.
import type { Sql } from '../platform/db/client.js';
import type { Category } from '../cdp/index.js';
import { consentedPersonsSql } from '../cdp/consent-store.js';
import type { Experiment, MetricDefinition } from './definition.js';

/** Days before first exposure whose outcomes form the CUPED covariate (GrowthBook's default lookback). */
export const CUPED_LOOKBACK_DAYS = 14;

export type MetricSums = {
  sum: number;
  sumSquares: number;
  denominatorSum: number;
  denominatorSumSquares: number;
  sumProduct: number;
  covariateSum: number;
  covariateSumSquares: number;
  covariateSumProduct: number;
  /** CUPED for ratio metrics: the pre-period denominator d₀ and the cross-products with it. */
  covariateDenominatorSum: number;
  covariateDenominatorSumSquares: number;
  /** Σ m₁·m₀, Σ d₁·d₀, Σ m₀·d₀, Σ m₁·d₀, Σ m₀·d₁ (post m₁, d₁; pre m₀, d₀), per unit. */
  numeratorNumeratorPre: number;
  denominatorDenominatorPre: number;
  numeratorPreDenominatorPre: number;
  numeratorDenominatorPre: number;
  numeratorPreDenominator: number;
};

/** A quantile metric's per-arm statistics (arm level: quantiles do not add up over days). */
export type ArmQuantile = { n: number; nStar: number; quantile: number; lower: number; upper: number };

/** The order statistics' ranks for the quantile's 95% bounds use z = 1.96 whatever α (GrowthBook). */
export const QUANTILE_BOUND_Z = 1.959963984540054;

export type ArmDayRow = {
  variation: string;
  /** The pre-experiment stratum (the trait's value, "(none)" without it); null when not stratified. */
  stratum: string | null;
  day: string;
  phase: number;
  n: number;
  multipleArms: number;
  sends: number;
  metrics: MetricSums[];
  /** Per metric: the arm's quantile statistics for quantile metrics (the same on each of its days), else null. */
  quantiles: (ArmQuantile | null)[];
};

export class Params {
  readonly values: unknown[] = [];
  add(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

function valueOf(p: Params, event: string, property: string | undefined, when: string): string {
  const ev = p.add(event);
  let v = '1';
  if (property !== undefined) {
    const prop = p.add(property);
    v = `CASE WHEN jsonb_typeof(o.properties -> ${prop}::text) = 'number' THEN (o.properties ->> ${prop}::text)::numeric ELSE 0 END`;
  }
  return `CASE WHEN o.event = ${ev} AND ${when} THEN ${v} ELSE 0 END`;
}

/** The per-unit value of a metric in the attribution window (post) or the lookback (pre). */
function unitValue(
  p: Params,
  m: MetricDefinition,
  period: 'post' | 'pre',
  which: 'numerator' | 'denominator',
): string {
  const when = period === 'post' ? 'o."timestamp" >= x.first_at' : 'o."timestamp" < x.first_at';
  const spec = which === 'denominator' ? m.denominator! : { event: m.event, property: m.property };
  const value = valueOf(p, spec.event, spec.property, when);
  // Summed as exact decimals: a unit's value is then the same whatever order the plan adds its events in.
  return m.type === 'binomial' ? `coalesce(max(${value}), 0)::float8` : `coalesce(sum(${value}), 0)::float8`;
}

/** Where units come from: the window of first exposures (`to` null: no end) and, optionally, only some people. */
export type UnitScope = {
  window: { from: Date; to: Date | null };
  consentCategory: Category;
  /** Each metric's value in the CUPED lookback before first exposure (else the lookback is not read). */
  covariates: boolean;
  /** Only these people (read through the person index), else every exposed person. */
  persons?: readonly string[];
};

/**
 * The CTEs `exposures`, `outcomes` and `units`: one row per exposed unit whose current consent grants
 * the purpose, with its first exposure, arm, number of arms seen, stratum and per metric k the columns
 * m{k} (post numerator), pre{k}, d{k}, dpre{k} (absent when not asked for) and `sends`.
 */
export function unitCtes(p: Params, e: Experiment, metrics: MetricDefinition[], scope: UnitScope): string {
  const { window, consentCategory, covariates } = scope;
  const exposureEvent = p.add(e.exposureEvent);
  const key = p.add(e.key);
  const from = p.add(window.from.toISOString());
  const to = window.to ? p.add(window.to.toISOString()) : null;
  const persons = scope.persons ? p.add(JSON.stringify(scope.persons)) : null;
  // For a few people, events are read person by person through the person index (a join from the
  // list, which the planner runs as a nested loop); for everyone, by event name and time. The few
  // people's consent is looked up person by person too (a lateral subquery the planner cannot flatten):
  // as a semi-join, it hashed the whole consent table for a catch-up of one person (with 5,000 people).
  const consented = consentedPersonsSql(p.add(consentCategory));
  const people = persons
    ? `people AS (SELECT pp.person_id FROM (SELECT DISTINCT jsonb_array_elements_text(${persons}::jsonb) AS person_id) pp
  CROSS JOIN LATERAL (SELECT 1 FROM (${consented}) c WHERE c.person_id = pp.person_id LIMIT 1) ok),\n`
    : '';
  const eventsOf = (alias: string) =>
    persons
      ? `people pp JOIN cdp_events ${alias} ON ${alias}.person_id = pp.person_id`
      : `cdp_events ${alias}`;
  // Everyone's units keep only the consented; a few people's were filtered in `people` already.
  const consentedOnly = persons ? '' : `\n    AND e.person_id IN (${consented})`;
  const unitColumns: string[] = [];
  const outcomeEvents = new Set<string>();
  metrics.forEach((m, k) => {
    outcomeEvents.add(m.event);
    if (m.denominator) outcomeEvents.add(m.denominator.event);
    unitColumns.push(`${unitValue(p, m, 'post', 'numerator')} AS m${k}`);
    if (covariates) unitColumns.push(`${unitValue(p, m, 'pre', 'numerator')} AS pre${k}`);
    if (m.denominator) unitColumns.push(`${unitValue(p, m, 'post', 'denominator')} AS d${k}`);
    if (m.denominator && covariates) unitColumns.push(`${unitValue(p, m, 'pre', 'denominator')} AS dpre${k}`);
  });
  if (e.sendEvent) {
    outcomeEvents.add(e.sendEvent);
    unitColumns.push(
      `coalesce(sum(${valueOf(p, e.sendEvent, undefined, 'o."timestamp" >= x.first_at')}), 0) AS sends`,
    );
  }
  // Arrays travel as JSON text: postgres-js's unsafe() binds scalars only.
  const events = p.add(JSON.stringify([...outcomeEvents]));
  const attribution = p.add(e.attributionDays);
  const lookback = p.add(covariates ? CUPED_LOOKBACK_DAYS : 0);
  const trait = e.analysis.stratifyBy?.trait;
  // The unit's stratum: its latest identify trait at or before first exposure, so the treatment cannot move it.
  const stratumJoin = trait
    ? `LEFT JOIN LATERAL (
    SELECT i.traits ->> ${p.add(trait)}::text AS stratum FROM cdp_events i
    WHERE i.person_id = x.person_id AND i.type = 'identify' AND i."timestamp" <= x.first_at
      AND i.traits ->> ${p.add(trait)}::text IS NOT NULL
    ORDER BY i."timestamp" DESC LIMIT 1) st ON true`
    : '';
  const stratum = trait ? `coalesce(st.stratum, '(none)')` : 'NULL::text';
  return `${people}exposures AS (
  SELECT e.person_id, min(e."timestamp") AS first_at,
         (array_agg(e.properties ->> 'variation_id' ORDER BY e."timestamp", e.id))[1] AS variation,
         count(DISTINCT e.properties ->> 'variation_id') AS arms
  FROM ${eventsOf('e')}
  WHERE e.event = ${exposureEvent} AND e.properties ->> 'experiment_id' = ${key} AND e.person_id IS NOT NULL
    AND e."timestamp" >= ${from}::timestamptz${to ? ` AND e."timestamp" < ${to}::timestamptz` : ''}${consentedOnly}
  GROUP BY e.person_id
), outcomes AS MATERIALIZED (
  -- Every outcome event that can fall in some unit's window, read once for all units rather than
  -- looked up through the person index unit by unit (unless only a few people are asked for).
  SELECT o.person_id, o.event, o."timestamp", o.properties
  FROM ${eventsOf('o')}
  WHERE o.event = ANY(ARRAY(SELECT jsonb_array_elements_text(${events}::jsonb)))
    AND o."timestamp" >= ${from}::timestamptz - make_interval(days => ${lookback}::int)${to ? `\n    AND o."timestamp" < ${to}::timestamptz + make_interval(days => ${attribution}::int)` : ''}
), units AS MATERIALIZED (
  SELECT x.person_id, x.variation, x.first_at, x.arms, ${stratum} AS stratum${unitColumns.length ? ',\n    ' + unitColumns.join(',\n    ') : ''}
  FROM exposures x ${stratumJoin}
  LEFT JOIN outcomes o ON o.person_id = x.person_id
    AND o."timestamp" >= x.first_at - make_interval(days => ${lookback}::int)
    AND o."timestamp" < x.first_at + make_interval(days => ${attribution}::int)
  GROUP BY x.person_id, x.variation, x.first_at, x.arms, 5
)`;
}

/** The SQL expressions of a unit's day (UTC) and phase (1-based, by the phases' start times). */
export function dayAndPhase(p: Params, e: Experiment, firstAt: string): { day: string; phase: string } {
  const phaseStarts = p.add(JSON.stringify(e.phases.map((ph) => ph.startAt)));
  return {
    day: `to_char(date_trunc('day', ${firstAt} AT TIME ZONE 'UTC'), 'YYYY-MM-DD')`,
    phase: `width_bucket(${firstAt}, ARRAY(SELECT jsonb_array_elements_text(${phaseStarts}::jsonb)::timestamptz))`,
  };
}

/**
 * The full recomputation from the events: every unit's values grouped to sufficient statistics per
 * arm, stratum, day and phase. `covariates` adds each metric's value in the CUPED lookback before
 * first exposure (the covariate sums); without it those sums are 0 and the lookback is not read.
 */
export function buildArmDayQuery(
  e: Experiment,
  metrics: MetricDefinition[],
  window: { from: Date; to: Date },
  consentCategory: Category,
  covariates: boolean,
): { text: string; values: unknown[] } {
  const p = new Params();
  const units = unitCtes(p, e, metrics, { window, consentCategory, covariates });
  const caps = metrics.map((m, k) =>
    m.capPercentile
      ? `percentile_cont(${p.add(m.capPercentile)}::float8) WITHIN GROUP (ORDER BY m${k}) AS cap${k}`
      : `max(NULL::float8) AS cap${k}`,
  );
  const sums = metrics.flatMap((m, k) => {
    const y = m.capPercentile ? `LEAST(u.m${k}, c.cap${k})` : `u.m${k}`;
    const d = m.denominator ? `u.d${k}` : '0';
    const x = covariates ? `u.pre${k}` : '0';
    const dx = m.denominator && covariates ? `u.dpre${k}` : '0';
    return sumExpressions(y, d, x, dx).map((s, i) => `sum(${s})::float8 AS s${k}_${i}`);
  });
  // Quantile metrics: per arm, the sample quantile and the values at the ranks of its 95% bounds
  // (n·q ± z·√(n·q(1 − q)), Deng, Knoblich & Yu), over every unit or only the non-zero ones.
  const quantileMetrics = metrics.flatMap((m, k) => (m.type === 'quantile' ? [{ m, k }] : []));
  const quantileCtes = quantileMetrics.map(({ m, k }) => {
    const keep = m.ignoreZeros ? `u.m${k} <> 0` : 'true';
    const level = `${p.add(m.level!)}::float8`;
    const half = `${QUANTILE_BOUND_Z} * sqrt(${level} * (1 - ${level}) / greatest(qn.n, 1))`;
    return `q${k}n AS MATERIALIZED (SELECT u.variation, count(*)::float8 AS n FROM units u WHERE ${keep} GROUP BY 1),
q${k} AS MATERIALIZED (
  SELECT u.variation, qn.n,
         percentile_disc(ARRAY[${level}, greatest(${level} - ${half}, 0), least(${level} + ${half}, 1)])
           WITHIN GROUP (ORDER BY u.m${k}) AS v
  FROM units u JOIN q${k}n qn ON qn.variation = u.variation
  WHERE ${keep}
  GROUP BY u.variation, qn.n
)`;
  });
  const quantileColumns = quantileMetrics.map(
    ({ k }) =>
      `(SELECT jsonb_build_object('n', q.n, 'v', q.v) FROM q${k} q WHERE q.variation = g.variation) AS q${k}`,
  );
  const { day, phase } = dayAndPhase(p, e, 'u.first_at');
  const text = `
WITH ${units}, caps AS MATERIALIZED (SELECT ${caps.join(', ') || 'count(*)'} FROM units)${quantileCtes.length ? ',\n' + quantileCtes.join(',\n') : ''},
grouped AS (
  SELECT u.variation, u.stratum, ${day} AS day, ${phase} AS phase,
         count(*)::float8 AS n, count(*) FILTER (WHERE u.arms > 1)::float8 AS multiple_arms,
         ${e.sendEvent ? 'sum(u.sends)::float8' : '0::float8'} AS sends${sums.length ? ',\n         ' + sums.join(',\n         ') : ''}
  FROM units u CROSS JOIN caps c
  GROUP BY 1, 2, 3, 4
)
SELECT g.*${quantileColumns.length ? ', ' + quantileColumns.join(', ') : ''}
FROM grouped g
ORDER BY g.day, g.variation, g.stratum`;
  return { text, values: p.values };
}

/**
 * The 15 per-unit products whose sums a metric needs, in the order of MetricSums (y the post value,
 * d its denominator, x and dx their pre-period values): Σy, Σy², Σd, Σd², Σyd, Σx, Σx², Σxy, Σdx,
 * Σdx², Σyx, Σd·dx, Σx·dx, Σy·dx, Σx·d.
 */
export function sumExpressions(y: string, d: string, x: string, dx: string): string[] {
  return [
    y,
    `${y} * ${y}`,
    d,
    `${d} * ${d}`,
    `${y} * ${d}`,
    x,
    `${x} * ${x}`,
    `${x} * ${y}`,
    dx,
    `${dx} * ${dx}`,
    `${y} * ${x}`,
    `${d} * ${dx}`,
    `${x} * ${dx}`,
    `${y} * ${dx}`,
    `${x} * ${d}`,
  ];
}

export async function armDayRows(
  sql: Sql,
  e: Experiment,
  metrics: MetricDefinition[],
  window: { from: Date; to: Date },
  consentCategory: Category,
  covariates: boolean,
): Promise<ArmDayRow[]> {
  const q = buildArmDayQuery(e, metrics, window, consentCategory, covariates);
  // The query groups a row per exposed unit: give its hash aggregates room so they do not spill to disk.
  const rows = await sql.begin(async (tx) => {
    await tx.unsafe("set local work_mem = '64MB'");
    return tx.unsafe(q.text, q.values as never[]);
  });
  return rows.map((r) => ({
    variation: String(r.variation),
    stratum: r.stratum === null ? null : String(r.stratum),
    day: String(r.day),
    phase: Number(r.phase),
    n: Number(r.n),
    multipleArms: Number(r.multiple_arms),
    sends: Number(r.sends),
    metrics: metrics.map((_, k) => {
      const s = (i: number) => Number(r[`s${k}_${i}`] ?? 0);
      return {
        sum: s(0),
        sumSquares: s(1),
        denominatorSum: s(2),
        denominatorSumSquares: s(3),
        sumProduct: s(4),
        covariateSum: s(5),
        covariateSumSquares: s(6),
        covariateSumProduct: s(7),
        covariateDenominatorSum: s(8),
        covariateDenominatorSumSquares: s(9),
        numeratorNumeratorPre: s(10),
        denominatorDenominatorPre: s(11),
        numeratorPreDenominatorPre: s(12),
        numeratorDenominatorPre: s(13),
        numeratorPreDenominator: s(14),
      };
    }),
    quantiles: metrics.map((m, k) => (m.type === 'quantile' ? armQuantile(r[`q${k}`]) : null)),
  }));
}

function armQuantile(cell: unknown): ArmQuantile | null {
  const q = (typeof cell === 'string' ? JSON.parse(cell) : cell) as { n: number; v: number[] | null } | null;
  if (!q?.v || q.v.some((x) => x === null)) return null;
  const [quantile, lower, upper] = q.v as [number, number, number];
  return { n: q.n, nStar: q.n, quantile, lower, upper };
}
