// An experiment's full analysis: sufficient statistics from SQL, the engine per metric, the family
// correction across goal metrics, one-sided guardrails, costs, the SRM check against the weights of
// each phase, and the primary metric's cumulative lift day by day.
import type { Database } from '../platform/db/client.js';
import {
  analyze,
  correctFamily,
  type AnalysisResult,
  type AnalysisSettings,
  type VariationInput,
} from './stats/analyze.js';
import { sampleRatioMismatch, type SrmResult } from './stats/srm.js';
import { decideVerdict, type Verdict } from './stats/verdict.js';
import type { StratumStats } from './stats/moments.js';
import type { ArmDayRow, ArmQuantile, MetricSums } from './metrics-sql.js';
import { keptArmDayRows, type KeptRowsOptions } from './aggregates.js';
import type { Experiment, MetricDefinition } from './definition.js';

export type ArmSummary = {
  id: string;
  name: string;
  weight: number;
  n: number;
  multipleArms: number;
  sends: number;
  spend: number;
};
/** `inputs` are the sufficient statistics the engine ran on, so a reader can re-run or cross-check them. */
export type MetricAnalysis = {
  metric: MetricDefinition;
  role: 'goal' | 'guardrail';
  settings: AnalysisSettings;
  inputs: VariationInput[];
  result: AnalysisResult;
  harm?: boolean;
};
export type CumulativePoint = {
  day: string;
  variation: string;
  n: number;
  estimate: number | null;
  ciLower: number | null;
  ciUpper: number | null;
  pValue: number | null;
  chanceToWin: number | null;
};

export type ExperimentAnalysis = {
  experiment: {
    key: string;
    name: string;
    hypothesis: string;
    status: string;
    purpose: string;
    analysis: AnalysisSettings;
  };
  asOf: string;
  window: { from: string; to: string };
  arms: ArmSummary[];
  srm: SrmResult & { weights: number[] };
  multipleExposureUnits: number;
  metrics: MetricAnalysis[];
  cumulative: CumulativePoint[];
  verdict: Verdict;
  warnings: string[];
};

const ZERO: MetricSums = {
  sum: 0,
  sumSquares: 0,
  denominatorSum: 0,
  denominatorSumSquares: 0,
  sumProduct: 0,
  covariateSum: 0,
  covariateSumSquares: 0,
  covariateSumProduct: 0,
  covariateDenominatorSum: 0,
  covariateDenominatorSumSquares: 0,
  numeratorNumeratorPre: 0,
  denominatorDenominatorPre: 0,
  numeratorPreDenominatorPre: 0,
  numeratorDenominatorPre: 0,
  numeratorPreDenominator: 0,
};

function addSums(a: MetricSums, b: MetricSums): MetricSums {
  return Object.fromEntries(
    Object.keys(ZERO).map((k) => [k, a[k as keyof MetricSums] + b[k as keyof MetricSums]]),
  ) as MetricSums;
}

/** Per-arm totals of the rows that pass `keep`. */
function totals(
  e: Experiment,
  rows: ArmDayRow[],
  metricCount: number,
  keep: (r: ArmDayRow) => boolean = () => true,
) {
  return e.variations.map((v) => {
    const mine = rows.filter((r) => r.variation === v.id && keep(r));
    return {
      n: mine.reduce((s, r) => s + r.n, 0),
      multipleArms: mine.reduce((s, r) => s + r.multipleArms, 0),
      sends: mine.reduce((s, r) => s + r.sends, 0),
      metrics: Array.from({ length: metricCount }, (_, k) =>
        mine.reduce((s, r) => addSums(s, r.metrics[k]!), ZERO),
      ),
      quantiles: Array.from({ length: metricCount }, (_, k) => mine[0]?.quantiles[k] ?? null),
      strata: Array.from({ length: metricCount }, (_, k) => strataOf(mine, k)),
    };
  });
}

/** The arm's sums per pre-experiment stratum; undefined when the experiment is not stratified. */
function strataOf(rows: ArmDayRow[], k: number): StratumStats[] | undefined {
  if (!rows.some((r) => r.stratum !== null)) return undefined;
  const by = new Map<string, StratumStats>();
  for (const r of rows) {
    const name = r.stratum ?? '(none)';
    const st = by.get(name) ?? { name, n: 0, sum: 0, sumSquares: 0 };
    st.n += r.n;
    st.sum += r.metrics[k]!.sum;
    st.sumSquares! += r.metrics[k]!.sumSquares;
    by.set(name, st);
  }
  return [...by.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** What the engine reads for one arm and metric, in the `stats analyze` contract's fields. */
function statsOf(
  metric: MetricDefinition,
  n: number,
  m: MetricSums,
  q: ArmQuantile | null,
  strata: StratumStats[] | undefined,
) {
  if (metric.type === 'quantile')
    return q
      ? {
          n: q.n,
          sum: 0,
          nStar: q.nStar,
          quantile: q.quantile,
          quantileLower: q.lower,
          quantileUpper: q.upper,
        }
      : { n: 0, sum: 0 };
  const {
    numeratorNumeratorPre,
    denominatorDenominatorPre,
    numeratorPreDenominatorPre,
    numeratorDenominatorPre,
    numeratorPreDenominator,
    ...sums
  } = m;
  return metric.type === 'ratio'
    ? {
        n,
        ...sums,
        crossProducts: {
          numeratorNumeratorPre,
          denominatorDenominatorPre,
          numeratorPreDenominatorPre,
          numeratorDenominatorPre,
          numeratorPreDenominator,
        },
      }
    : // Post-stratification covers mean and binomial metrics (GrowthBook's rule).
      { n, ...sums, ...(strata ? { strata } : {}) };
}

/** CUPED applies to every metric kind the SQL gives a pre-period covariate for: not to quantiles. */
const cupedFor = (metric: MetricDefinition, settings: AnalysisSettings) =>
  settings.cuped && metric.type !== 'quantile';

function inputsFor(
  e: Experiment,
  metric: MetricDefinition,
  arms: ReturnType<typeof totals>,
  k: number,
  spend: number[],
): VariationInput[] {
  return e.variations.map((v, i) => ({
    name: v.name,
    ...statsOf(metric, arms[i]!.n, arms[i]!.metrics[k]!, arms[i]!.quantiles[k]!, arms[i]!.strata[k]),
    // A quantile has no cost per outcome (GrowthBook neither).
    spend: metric.type === 'quantile' ? undefined : spend[i],
  }));
}

/** Expected shares when weights changed mid-flight: each phase's units split by that phase's weights. */
function phaseWeightedShares(e: Experiment, rows: ArmDayRow[]): number[] {
  const shares = e.variations.map(() => 0);
  e.phases.forEach((ph, i) => {
    const units = rows.filter((r) => r.phase === i + 1).reduce((s, r) => s + r.n, 0);
    const total = ph.weights.reduce((s, w) => s + w, 0);
    ph.weights.forEach((w, j) => {
      shares[j]! += total > 0 ? (units * w) / total : 0;
    });
  });
  return shares.some((s) => s > 0) ? shares : e.variations.map((v) => v.weight);
}

export async function analyzeExperiment(
  database: Database,
  e: Experiment,
  now: Date,
  options: KeptRowsOptions = {},
): Promise<ExperimentAnalysis> {
  const from = e.startAt ?? new Date(e.phases[0]!.startAt);
  const to = e.stopAt && e.stopAt < now ? e.stopAt : now;
  const metrics = [...e.goalMetrics, ...e.guardrailMetrics];
  const rows = await keptArmDayRows(
    database.sql,
    e,
    metrics,
    { from, to },
    e.purpose,
    e.analysis.cuped,
    options,
  );
  const arms = totals(e, rows, metrics.length);
  const spend = e.variations.map(
    (v, i) => v.cost.fixed + v.cost.perExposure * arms[i]!.n + v.cost.perSend * arms[i]!.sends,
  );
  const weights = phaseWeightedShares(e, rows);
  const srm = {
    ...sampleRatioMismatch(
      arms.map((a) => a.n),
      weights,
    ),
    weights,
  };
  const settings = { ...e.analysis, correction: 'none' as const };

  const results: MetricAnalysis[] = metrics.map((metric, k) => {
    const role = k < e.goalMetrics.length ? ('goal' as const) : ('guardrail' as const);
    const cuped = cupedFor(metric, settings);
    const analysis: AnalysisSettings =
      role === 'goal'
        ? { ...settings, cuped }
        : // Guardrails ask one question: is the variation worse? One-sided, frequentist, fixed horizon.
          {
            ...settings,
            cuped,
            engine: 'frequentist',
            sequential: null,
            test: metric.inverse ? 'greater' : 'less',
          };
    const inputs = inputsFor(e, metric, arms, k, spend);
    const result = analyze({
      metric: { type: metric.type, inverse: metric.inverse, level: metric.level },
      analysis,
      weights,
      variations: inputs,
    });
    const base = { metric, role, settings: analysis, inputs, result };
    return role === 'guardrail'
      ? {
          ...base,
          harm: result.variations.slice(1).some((v) => v.pValue !== null && v.pValue < analysis.alpha),
        }
      : base;
  });

  // The family for multiple-testing correction: every goal metric × variation (GrowthBook's rule);
  // each goal metric's verdict is then decided on the corrected p-values.
  const goals = results.filter((m) => m.role === 'goal');
  correctFamily(
    goals.flatMap((m) => m.result.variations.slice(1)),
    e.analysis,
    e.analysis.correction,
  );
  for (const m of goals)
    m.result.verdict = decideVerdict(m.result.variations, {
      srm,
      analysis: m.settings,
      inverse: m.metric.inverse,
    });
  const primary = results[0]!;
  const verdict = primary.result.verdict;
  const warnings: string[] = [];
  const multiple = arms.reduce((s, a) => s + a.multipleArms, 0);
  if (multiple > 0)
    warnings.push(
      `${multiple} unit(s) were exposed to more than one arm; each is counted in the arm of its first exposure.`,
    );
  for (const g of results.filter((m) => m.harm))
    warnings.push(
      `Guardrail "${g.metric.name}" shows harm (one-sided p < ${e.analysis.alpha}); do not ship without a look.`,
    );

  return {
    experiment: {
      key: e.key,
      name: e.name,
      hypothesis: e.hypothesis,
      status: e.status,
      purpose: e.purpose,
      analysis: e.analysis,
    },
    asOf: now.toISOString(),
    window: { from: from.toISOString(), to: to.toISOString() },
    arms: e.variations.map((v, i) => ({
      id: v.id,
      name: v.name,
      weight: v.weight,
      n: arms[i]!.n,
      multipleArms: arms[i]!.multipleArms,
      sends: arms[i]!.sends,
      spend: spend[i]!,
    })),
    srm,
    multipleExposureUnits: multiple,
    metrics: results,
    cumulative: cumulativeLift(e, rows, primary.metric, metrics.length, settings),
    verdict:
      multiple > 0 && verdict.status === 'ship'
        ? { ...verdict, text: `${verdict.text} (${multiple} unit(s) saw more than one arm.)` }
        : verdict,
    warnings,
  };
}

/** The primary metric's lift on all data up to each day, with the interval the analysis uses. */
function cumulativeLift(
  e: Experiment,
  rows: ArmDayRow[],
  metric: MetricDefinition,
  metricCount: number,
  settings: AnalysisSettings,
): CumulativePoint[] {
  // A quantile is not a sum over days: its day-by-day path would need a query per day.
  if (metric.type === 'quantile') return [];
  const days = [...new Set(rows.map((r) => r.day))].sort();
  const out: CumulativePoint[] = [];
  for (const day of days) {
    const arms = totals(e, rows, metricCount, (r) => r.day <= day);
    if (arms.some((a) => a.n < 2)) continue;
    const result = analyze({
      metric: { type: metric.type, inverse: metric.inverse },
      analysis: { ...settings, cuped: cupedFor(metric, settings) },
      variations: inputsFor(e, metric, arms, 0, []),
    });
    result.variations.slice(1).forEach((v) =>
      out.push({
        day,
        variation: v.name,
        n: arms.reduce((s, a) => s + a.n, 0),
        estimate: v.estimate,
        ciLower: v.ciLower,
        ciUpper: v.ciUpper,
        pValue: v.pValue,
        chanceToWin: v.chanceToWin,
      }),
    );
  }
  return out;
}
