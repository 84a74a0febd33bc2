// Experiment aggregates kept up to date incrementally. The first analysis of an experiment computes
// every unit once (experiment_units) and their sums per arm, stratum, day and phase
// (experiment_arm_days); from then on, triggers on the events and consent tables (sql/0016) mark
// each person whose events or consent changed, and every analysis first recomputes only those units
// and applies the difference. An analysis then reads a few dozen rows instead of every exposure and
// outcome, and its result is the full recomputation's (test/experiment-aggregates.test.ts).
//
// Exactness rests on four rules: a person is marked in the same transaction as the event that
// changes them; marks are consumed before the events are read; sums are numeric, so removing a unit
// takes off exactly what adding it put on; and whatever the kept rows cannot answer (a changed
// definition, exposures dated after the analysis's end) goes through the full recomputation.
import { createHash } from 'node:crypto';
import type postgres from 'postgres';
import { sql as dsql, type SQL } from 'drizzle-orm';
import type { Sql } from '../platform/db/client.js';
import type { Category } from '../cdp/index.js';
import type { ErasureTx } from '../cdp/index.js';
import type { Experiment, MetricDefinition } from './definition.js';
import { armDayRows, type ArmDayRow, type ArmQuantile, type MetricSums } from './metrics-sql.js';
import {
  addUnits,
  capCorrection,
  dropEmptyArmDays,
  orderedValueAt,
  readArmDays,
  removeUnits,
  SUMS_PER_METRIC,
  type Statement,
} from './aggregates-sql.js';
import { continuousPositions, discretePosition, interpolate, quantileLevels } from './order-statistics.js';

/** Bumped when what the kept rows hold changes, so every experiment is rebuilt once. */
const LAYOUT_VERSION = 1;
/** Advisory lock class of the aggregates (the object id is a hash of the experiment key). */
const LOCK_CLASS = 7301;
/** People recomputed per statement during a catch-up. */
const CATCH_UP_CHUNK = 5_000;

type Tx = Sql | postgres.TransactionSql;
export type Progress = (stage: string, done: number, total: number) => void;
export type KeptRowsOptions = { onProgress?: Progress };

/** What the kept rows depend on: a change of any of it rebuilds them. */
export function definitionHash(e: Experiment, metrics: MetricDefinition[]): string {
  const shape = {
    v: LAYOUT_VERSION,
    exposureEvent: e.exposureEvent,
    from: keptWindow(e).from.toISOString(),
    to: keptWindow(e).to?.toISOString() ?? null,
    purpose: e.purpose,
    attributionDays: e.attributionDays,
    sendEvent: e.sendEvent,
    stratifyBy: e.analysis.stratifyBy?.trait ?? null,
    phases: e.phases.map((ph) => ph.startAt),
    metrics: metrics.map((m) => ({
      type: m.type,
      event: m.event,
      property: m.property ?? null,
      denominator: m.denominator ?? null,
      capPercentile: m.capPercentile ?? null,
      level: m.level ?? null,
      ignoreZeros: m.ignoreZeros ?? null,
    })),
  };
  return createHash('sha256').update(JSON.stringify(shape)).digest('hex');
}

/** The kept units are every first exposure from the start to the stop (or without end while running). */
function keptWindow(e: Experiment): { from: Date; to: Date | null } {
  return { from: e.startAt ?? new Date(e.phases[0]!.startAt), to: e.stopAt ?? null };
}

const run = (tx: Tx, s: Statement) => tx.unsafe(s.text, s.values as never[]);
const lock = (tx: Tx, key: string) =>
  tx`select pg_advisory_xact_lock(${LOCK_CLASS}::int, hashtext(${key}))`.then(() => undefined);

/**
 * The experiment's sufficient statistics per arm, stratum, day and phase, as `armDayRows` computes
 * them from the events over `window`, read from the kept aggregates after a catch-up.
 */
export async function keptArmDayRows(
  sql: Sql,
  e: Experiment,
  metrics: MetricDefinition[],
  window: { from: Date; to: Date },
  consentCategory: Category,
  covariates: boolean,
  options: KeptRowsOptions = {},
): Promise<ArmDayRow[]> {
  const kept = keptWindow(e);
  if (consentCategory !== e.purpose || window.from.getTime() !== kept.from.getTime())
    return armDayRows(sql, e, metrics, window, consentCategory, covariates);
  // A running experiment's analysis ends now; exposures dated later are not in it, but are kept.
  if ((kept.to === null || window.to < kept.to) && (await exposuresAfter(sql, e, window.to, kept.to)))
    return armDayRows(sql, e, metrics, window, consentCategory, covariates);
  const hash = definitionHash(e, metrics);
  const [state] = await sql<
    { definition_hash: string }[]
  >`select definition_hash from experiment_aggregate_state where experiment_key = ${e.key}`;
  if (state?.definition_hash !== hash) await rebuild(sql, e, metrics, hash, options.onProgress);
  const rows = await sql.begin(async (tx) => {
    await tx.unsafe("set local work_mem = '64MB'");
    await lock(tx, e.key);
    const [now] = await tx<
      { definition_hash: string }[]
    >`select definition_hash from experiment_aggregate_state where experiment_key = ${e.key}`;
    if (now?.definition_hash !== hash) return null;
    await catchUp(tx, e, metrics, options.onProgress);
    return readKept(tx, e, metrics, covariates);
  });
  // Rebuilt for another definition meanwhile (two analyses of a changing experiment): read afresh.
  return rows ?? armDayRows(sql, e, metrics, window, consentCategory, covariates);
}

/**
 * Starts keeping an experiment's aggregates (a rebuild when they are missing or for another
 * definition). Called when an experiment is defined, usually before its events arrive, so that from
 * then on its analyses only ever catch up.
 */
export async function keepAggregates(sql: Sql, e: Experiment, onProgress?: Progress): Promise<void> {
  const metrics = [...e.goalMetrics, ...e.guardrailMetrics];
  const hash = definitionHash(e, metrics);
  const [state] = await sql<
    { definition_hash: string }[]
  >`select definition_hash from experiment_aggregate_state where experiment_key = ${e.key}`;
  if (state?.definition_hash !== hash) await rebuild(sql, e, metrics, hash, onProgress);
}

async function exposuresAfter(sql: Sql, e: Experiment, from: Date, to: Date | null): Promise<boolean> {
  const rows = await sql`
    select 1 from cdp_events
    where event = ${e.exposureEvent} and "timestamp" >= ${from.toISOString()}::timestamptz
      and (${to?.toISOString() ?? null}::timestamptz is null or "timestamp" < ${to?.toISOString() ?? null}::timestamptz)
      and properties ->> 'experiment_id' = ${e.key}
    limit 1`;
  return rows.length > 0;
}

/** Which arrivals mark a person dirty for this experiment: its exposure, its metrics' events, identify calls when stratified. */
function interestRows(e: Experiment, metrics: MetricDefinition[]) {
  const events = new Set<string>();
  for (const m of metrics) {
    events.add(m.event);
    if (m.denominator) events.add(m.denominator.event);
  }
  if (e.sendEvent) events.add(e.sendEvent);
  return [
    { experiment_key: e.key, event: e.exposureEvent, experiment_id: e.key },
    ...[...events].map((event) => ({ experiment_key: e.key, event, experiment_id: null })),
    ...(e.analysis.stratifyBy?.trait ? [{ experiment_key: e.key, event: null, experiment_id: null }] : []),
  ];
}

/** Computes every unit afresh. */
async function rebuild(
  sql: Sql,
  e: Experiment,
  metrics: MetricDefinition[],
  hash: string,
  onProgress?: Progress,
): Promise<void> {
  // 1. Declare interest (and no valid aggregates) first, in its own commit: from here on every insert
  //    statement that starts marks the people it touches.
  await sql.begin(async (tx) => {
    await lock(tx, e.key);
    await tx`insert into experiment_aggregate_state (experiment_key, definition_hash, built_at, refreshed_at)
      values (${e.key}, 'building', now(), now())
      on conflict (experiment_key) do update set definition_hash = 'building'`;
    await tx`delete from experiment_aggregate_events where experiment_key = ${e.key}`;
    await tx`insert into experiment_aggregate_events ${tx(interestRows(e, metrics))}`;
  });
  // 2. Wait for every insert that began before the interest was visible: once they are committed,
  //    the events they wrote are in what step 3 reads.
  await sql.begin((tx) => tx`lock table cdp_events, cdp_consent_state in share mode`);
  // 3. Consume the marks, then compute everyone from the events.
  await sql.begin(async (tx) => {
    await tx.unsafe("set local work_mem = '64MB'");
    await lock(tx, e.key);
    onProgress?.('rebuild', 0, 1);
    await tx`delete from experiment_dirty where experiment_key = ${e.key}`;
    await run(tx, removeUnits(e.key, metrics.length, null));
    await tx`delete from experiment_arm_days where experiment_key = ${e.key}`;
    await run(tx, addUnits(e, metrics, keptWindow(e), e.purpose, null));
    await tx`update experiment_aggregate_state set definition_hash = ${hash}, built_at = now(), refreshed_at = now()
      where experiment_key = ${e.key}`;
    onProgress?.('rebuild', 1, 1);
  });
  // Vacuumed, so that caps and quantiles are read by index-only scans (the visibility map is set).
  await sql`vacuum analyze experiment_unit_values`;
  await sql`analyze experiment_units, experiment_arm_days`;
}

/** Recomputes the units of everyone marked since the last catch-up and applies the difference. */
async function catchUp(tx: Tx, e: Experiment, metrics: MetricDefinition[], onProgress?: Progress) {
  // Marks are taken before the events are read: an event committed after this statement either is in
  // what the next statements read, or left a mark for the next catch-up.
  const marked = await tx<
    { person_id: string }[]
  >`delete from experiment_dirty where experiment_key = ${e.key} returning person_id`;
  if (marked.length === 0) return;
  const persons = marked.map((r) => r.person_id).sort();
  for (let i = 0; i < persons.length; i += CATCH_UP_CHUNK) {
    const chunk = persons.slice(i, i + CATCH_UP_CHUNK);
    await run(tx, removeUnits(e.key, metrics.length, chunk));
    await run(tx, addUnits(e, metrics, keptWindow(e), e.purpose, chunk));
    onProgress?.('catch-up', Math.min(i + CATCH_UP_CHUNK, persons.length), persons.length);
  }
  await run(tx, dropEmptyArmDays(e.key));
  await tx`update experiment_aggregate_state set refreshed_at = now() where experiment_key = ${e.key}`;
}

type KeptRow = {
  variation: string;
  stratum: string;
  day: string;
  phase: number;
  n: number;
  multiple_arms: number;
  sends: number;
  sums: number[];
};

async function readKept(
  tx: Tx,
  e: Experiment,
  metrics: MetricDefinition[],
  covariates: boolean,
): Promise<ArmDayRow[]> {
  const rows = (await run(tx, readArmDays(e.key))) as unknown as KeptRow[];
  const at = (r: { variation: string; stratum: string; day: string; phase: number }) =>
    rows.findIndex(
      (x) => x.variation === r.variation && x.stratum === r.stratum && x.day === r.day && x.phase === r.phase,
    );
  const sums = rows.map((r) => r.sums.map(Number));
  const total = rows.reduce((s, r) => s + Number(r.n), 0);
  const quantiles = new Map<number, Map<string, ArmQuantile | null>>();
  for (const [k, m] of metrics.entries()) {
    if (m.type === 'quantile') {
      quantiles.set(k, await armQuantiles(tx, e, rows, k, m));
    } else if (m.capPercentile && total > 0) {
      const cap = await capOf(tx, e.key, k, m.capPercentile, total);
      for (const c of (await run(tx, capCorrection(e.key, k, cap))) as unknown as (KeptRow & {
        y: number;
        yy: number;
        yd: number;
        xy: number;
        ydx: number;
      })[]) {
        const s = sums[at(c)]!;
        const b = k * SUMS_PER_METRIC;
        s[b] = s[b]! + c.y;
        s[b + 1] = s[b + 1]! + c.yy;
        s[b + 4] = s[b + 4]! + c.yd;
        s[b + 7] = s[b + 7]! + c.xy;
        s[b + 10] = s[b + 10]! + c.xy;
        s[b + 13] = s[b + 13]! + c.ydx;
      }
    }
  }
  const stratified = Boolean(e.analysis.stratifyBy?.trait);
  return rows.map((r, i) => ({
    variation: r.variation,
    stratum: stratified ? r.stratum : null,
    day: r.day,
    phase: Number(r.phase),
    n: Number(r.n),
    multipleArms: Number(r.multiple_arms),
    sends: Number(r.sends),
    metrics: metrics.map((_, k) => metricSums(sums[i]!.slice(k * SUMS_PER_METRIC), covariates)),
    quantiles: metrics.map((m, k) => quantiles.get(k)?.get(r.variation) ?? null),
  }));
}

/** The 15 sums in MetricSums' order; without covariates the pre-period sums are 0, as the full query has them. */
function metricSums(s: number[], covariates: boolean): MetricSums {
  const v = (i: number) => (i >= 5 && !covariates ? 0 : s[i]!);
  return {
    sum: v(0),
    sumSquares: v(1),
    denominatorSum: v(2),
    denominatorSumSquares: v(3),
    sumProduct: v(4),
    covariateSum: v(5),
    covariateSumSquares: v(6),
    covariateSumProduct: v(7),
    covariateDenominatorSum: v(8),
    covariateDenominatorSumSquares: v(9),
    numeratorNumeratorPre: v(10),
    denominatorDenominatorPre: v(11),
    numeratorPreDenominatorPre: v(12),
    numeratorDenominatorPre: v(13),
    numeratorPreDenominator: v(14),
  };
}

/** The value at a 0-based position of metric k's ordered values, walking the index from the nearer end. */
async function valueAt(tx: Tx, key: string, k: number, arm: string, n: number, position: number) {
  const fromTop = position > (n - 1) / 2;
  const [row] = (await run(
    tx,
    orderedValueAt(key, k, arm, fromTop ? n - 1 - position : position, 1, fromTop),
  )) as unknown as { value: number }[];
  if (!row) throw new Error(`experiment ${key}: metric ${k} keeps fewer ordered values than its units`);
  return row.value;
}

/** percentile_cont over every unit's post value: the cap of a capped metric. */
async function capOf(tx: Tx, key: string, k: number, p: number, n: number): Promise<number> {
  const { lower, upper, weight } = continuousPositions(p, n);
  const lo = await valueAt(tx, key, k, '', n, lower);
  const hi = upper > lower ? await valueAt(tx, key, k, '', n, upper) : lo;
  return interpolate(lo, hi, weight, lower, upper);
}

/** Per arm: the quantile and the values at its bounds' ranks, over every unit or the non-zero ones. */
async function armQuantiles(
  tx: Tx,
  e: Experiment,
  rows: KeptRow[],
  k: number,
  m: MetricDefinition,
): Promise<Map<string, ArmQuantile | null>> {
  const out = new Map<string, ArmQuantile | null>();
  for (const arm of new Set(rows.map((r) => r.variation))) {
    const mine = rows.filter((r) => r.variation === arm);
    const n = mine.reduce(
      (s, r) => s + (m.ignoreZeros ? Number(r.sums[k * SUMS_PER_METRIC + 15]) : Number(r.n)),
      0,
    );
    if (n === 0) {
      out.set(arm, null);
      continue;
    }
    const [quantile, lower, upper] = await Promise.all(
      quantileLevels(m.level!, n).map((level) => valueAt(tx, e.key, k, arm, n, discretePosition(level, n))),
    );
    out.set(arm, { n, nStar: n, quantile: quantile!, lower: lower!, upper: upper! });
  }
  return out;
}

/** Drizzle's form of a built statement, for steps that run inside another domain's transaction. */
function drizzleStatement(s: Statement): SQL {
  const parts = s.text.split(/\$(\d+)/);
  const chunks: SQL[] = [];
  parts.forEach((part, i) => chunks.push(i % 2 === 0 ? dsql.raw(part) : dsql`${s.values[Number(part) - 1]}`));
  return dsql.join(chunks);
}

/**
 * Erasure: the people's units leave every experiment's aggregates at once (not at the next catch-up),
 * with their marks. Runs after the CDP's steps, in the erasure's transaction.
 */
export async function eraseKeptUnits(
  tx: ErasureTx,
  personIds: string[],
  experimentsOf: (tx: ErasureTx) => Promise<{ key: string; metricCount: number }[]>,
): Promise<number> {
  let removed = 0;
  for (const { key, metricCount } of await experimentsOf(tx)) {
    await tx.execute(dsql`select pg_advisory_xact_lock(${LOCK_CLASS}::int, hashtext(${key}))`);
    const rows = await tx.execute<{ n: number }>(
      dsql`select count(*)::int as n from experiment_units where experiment_key = ${key} and person_id in ${personIds}`,
    );
    removed += rows[0]?.n ?? 0;
    await tx.execute(drizzleStatement(removeUnits(key, metricCount, personIds)));
    await tx.execute(drizzleStatement(dropEmptyArmDays(key)));
  }
  const marks = await tx.execute(
    dsql`delete from experiment_dirty where person_id in ${personIds} returning person_id`,
  );
  return removed + marks.length;
}

/**
 * Catches up every experiment whose aggregates are kept, without analysing it, so that the next
 * analysis reads only what arrived since (job `experiments.aggregates`). A changed definition is
 * left to the next analysis, which rebuilds. Returns the number of people recomputed per experiment.
 */
export async function catchUpKept(
  sql: Sql,
  experiments: Experiment[],
  onProgress?: Progress,
): Promise<Record<string, number>> {
  const done: Record<string, number> = {};
  for (const e of experiments) {
    const metrics = [...e.goalMetrics, ...e.guardrailMetrics];
    const hash = definitionHash(e, metrics);
    done[e.key] = await sql.begin(async (tx) => {
      await lock(tx, e.key);
      const [state] = await tx<
        { definition_hash: string }[]
      >`select definition_hash from experiment_aggregate_state where experiment_key = ${e.key}`;
      if (state?.definition_hash !== hash) return 0;
      const [{ n }] =
        (await tx`select count(*)::int as n from experiment_dirty where experiment_key = ${e.key}`) as unknown as [
          { n: number },
        ];
      await catchUp(tx, e, metrics, onProgress);
      return n;
    });
  }
  return done;
}
