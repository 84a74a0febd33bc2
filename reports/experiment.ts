// One report per experiment: design and dates, sample-ratio check, exposures and conversions per arm,
// uplift with intervals (forest plot), cumulative uplift with the analysis' boundary, chance to beat
// control, cost per outcome, guardrails and a verdict that respects the statistics.
import * as Plot from '@observablehq/plot';
import { defineReport } from '../src/reports/definition.js';
import { PALETTE } from '../src/reports/figure.js';
import { getExperiment, listExperiments } from '../src/experiments/store.js';
import { analyzeExperiment, type ExperimentAnalysis } from '../src/experiments/analysis.js';
import { analyze } from '../src/experiments/stats/analyze.js';
import { clip } from '../src/reports/measure.js';
import type { Experiment, MetricDefinition } from '../src/experiments/definition.js';
import { day, int, interval, num, pct, pValue } from './_format.js';

type Data = { e: Experiment; a: ExperimentAnalysis; chance: { name: string; chanceToWin: number | null }[] };

/** How a metric is computed, in a few words for the set-up list. */
function metricKind(m: MetricDefinition): string {
  if (m.type === 'quantile')
    return `P${+(m.level! * 100).toFixed(1)} of the per-unit values${m.ignoreZeros ? ', units with 0 left out' : ''}`;
  return `${m.type}${m.capPercentile ? `, capped at p${m.capPercentile * 100}` : ''}`;
}

const VERDICT_TONE = {
  ship: 'good',
  'keep-control': 'bad',
  srm: 'bad',
  'no-difference': 'neutral',
  inconclusive: 'neutral',
  'not-enough-data': 'warn',
} as const;

export default defineReport<Data>({
  name: 'experiment',
  summary:
    'Design, sample-ratio check, uplift with intervals, costs, guardrails and verdict of one experiment.',
  parameter: {
    name: 'experiment',
    description: 'the experiment key',
    values: async (ctx) => (await listExperiments(ctx.database.db)).map((e) => e.key),
  },
  title: (key) => `Experiment ${key ?? ''}`,
  async load(ctx, key) {
    const e = await getExperiment(ctx.database.db, key!);
    const a = await analyzeExperiment(ctx.database, e, ctx.now);
    // The chance to beat control (the configured prior, flat by default): the Bayesian engine's own
    // answer, or, for a frequentist experiment, the Bayesian engine run on the same sums.
    const primary = a.metrics[0]!;
    const posterior =
      primary.settings.engine === 'bayesian'
        ? primary.result
        : analyze({
            metric: {
              type: primary.metric.type,
              inverse: primary.metric.inverse,
              level: primary.metric.level,
            },
            analysis: { ...primary.settings, engine: 'bayesian', sequential: null },
            variations: primary.inputs,
          });
    const chance = posterior.variations.slice(1).map((v) => ({ name: v.name, chanceToWin: v.chanceToWin }));
    return {
      data: { e, a, chance },
      window: { from: day(a.window.from), to: day(a.window.to) },
      sources: [
        `cdp_events (exposure event "${e.exposureEvent}", goal events)`,
        'experiments',
        'consent state (purpose: ' + e.purpose + ')',
      ],
    };
  },
  render(doc, { e, a, chance }) {
    const primary = a.metrics[0]!;
    const relative = primary.settings.difference === 'relative';
    const fmtLift = (x: number) => (relative ? pct(x, 2) : num(x, 4));
    const control = a.arms[0]!;
    const best = primary.result.variations
      .slice(1)
      .filter((v) => v.estimate !== null)
      .sort((x, y) => (y.estimate ?? 0) - (x.estimate ?? 0))[0];

    doc.cards([
      {
        label: 'Exposed units',
        value: int(a.arms.reduce((s, x) => s + x.n, 0)),
        note: a.arms.map((x) => `${x.name}: ${int(x.n)}`).join(' · '),
      },
      {
        label: 'Sample ratio',
        value: a.srm.flagged ? 'MISMATCH' : 'as configured',
        note: `χ² p = ${pValue(a.srm.pValue)} (flag below ${a.srm.threshold})`,
        tone: a.srm.flagged ? 'bad' : 'good',
      },
      {
        label: `${primary.metric.name}: best lift`,
        value: best ? fmtLift(best.estimate!) : '–',
        note: best
          ? `${best.name}, ${interval(best.ciLower, best.ciUpper, fmtLift)}`
          : 'no comparison possible yet',
      },
      {
        label: 'Verdict',
        value: a.verdict.status.replaceAll('-', ' '),
        tone: VERDICT_TONE[a.verdict.status],
      },
    ]);
    doc.callout(VERDICT_TONE[a.verdict.status], 'Verdict.', a.verdict.text);
    for (const w of a.warnings) doc.callout('warn', 'Note.', w);

    doc.section('Design', e.hypothesis);
    doc.table('Variations', e.variations, [
      { label: 'Variation', value: (v) => v.name },
      { label: 'Id', value: (v) => v.id },
      { label: 'Weight now', value: (v) => pct(v.weight, 0) },
      { label: 'Fixed cost', value: (v) => num(v.cost.fixed) },
      { label: 'Cost per exposure', value: (v) => num(v.cost.perExposure, 3) },
      { label: 'Cost per send', value: (v) => num(v.cost.perSend, 3) },
    ]);
    doc.list([
      `Runs ${day(a.window.from)} to ${day(a.window.to)} (${e.status}); users need "${e.purpose}" consent to be enrolled.`,
      `Exposure: the first "${e.exposureEvent}" event per unit; outcomes count for ${e.attributionDays} days after it.`,
      `Goal metrics: ${e.goalMetrics.map((m) => `${m.name} (${metricKind(m)})`).join(', ')}. Guardrails: ${e.guardrailMetrics.map((m) => m.name).join(', ') || 'none'}.`,
      `Analysis: ${primary.settings.engine}, ${primary.settings.difference} lift, α = ${primary.settings.alpha}, ${primary.settings.sequential ? `sequential (confidence sequences tuned to ${int(primary.settings.sequential.tuning)} units)` : 'fixed horizon'}${primary.settings.cuped ? ', CUPED with 14 days of pre-exposure outcomes (not on quantiles)' : ''}${e.analysis.stratifyBy ? `, post-stratified by the trait "${e.analysis.stratifyBy.trait}" as it was before first exposure (mean and binomial metrics)` : ''}, correction: ${e.analysis.correction}.`,
      `Weight phases: ${e.phases.map((p) => `${day(p.startAt)}: ${p.weights.map((w) => pct(w, 0)).join(' / ')}`).join('; ')}.`,
    ]);

    doc.section(
      'Sample-ratio check',
      a.srm.flagged
        ? 'The arms did not receive the traffic their weights promise. Until the cause is found (assignment, lost exposure events, bots), no result below can be trusted.'
        : 'The arms received the traffic their weights promise, within chance.',
    );
    doc.table(
      'Observed and expected units per arm',
      a.arms.map((x, i) => ({ ...x, expected: a.srm.expected[i] ?? 0 })),
      [
        { label: 'Arm', value: (x) => x.name },
        { label: 'Units', value: (x) => int(x.n) },
        { label: 'Expected', value: (x) => num(x.expected, 1) },
        { label: 'Difference', value: (x) => pct(x.expected ? x.n / x.expected - 1 : null, 2) },
      ],
    );

    doc.section('Exposures, outcomes and costs');
    const rows = primary.inputs.map((v, i) => ({ v, arm: a.arms[i]!, r: primary.result.variations[i]! }));
    const costed = a.arms.some((x) => x.spend > 0);
    doc.table(`${primary.metric.name} per arm`, rows, [
      { label: 'Arm', value: (x) => x.v.name },
      { label: 'Units', value: (x) => int(x.v.n) },
      ...(primary.metric.type === 'quantile'
        ? [
            {
              label: `P${+(primary.metric.level! * 100).toFixed(1)} [95% rank bounds]`,
              value: (x: (typeof rows)[number]) =>
                `${num(x.r.mean, 3)} ${interval(x.v.quantileLower ?? null, x.v.quantileUpper ?? null, (y) => num(y, 3))}`,
            },
          ]
        : [
            {
              label: primary.metric.type === 'binomial' ? 'Converted' : 'Total',
              value: (x: (typeof rows)[number]) => num(x.v.sum),
            },
            {
              label: primary.metric.type === 'binomial' ? 'Rate' : 'Mean',
              value: (x: (typeof rows)[number]) =>
                primary.metric.type === 'binomial' ? pct(x.r.mean, 2) : num(x.r.mean, 3),
            },
          ]),
      ...(costed
        ? [
            { label: 'Spend', value: (x: (typeof rows)[number]) => num(x.arm.spend) },
            {
              label: 'Cost per outcome [95%]',
              value: (x: (typeof rows)[number]) =>
                x.r.cost?.value == null
                  ? '–'
                  : `${num(x.r.cost.value)} ${interval(x.r.cost.ciLower, x.r.cost.ciUpper, (y) => num(y))}`,
            },
            {
              label: 'Incremental cost per extra outcome [95%]',
              value: (x: (typeof rows)[number]) =>
                x.r.incrementalCost?.value == null
                  ? '–'
                  : `${num(x.r.incrementalCost.value)} ${interval(x.r.incrementalCost.ciLower, x.r.incrementalCost.ciUpper, (y) => num(y))}`,
            },
          ]
        : []),
    ]);
    if (!costed) doc.paragraph('This experiment has no cost model, so no costs are shown.');
    const costRows = rows
      .filter((x) => costed && x.r.cost?.value != null)
      .map((x) => ({ arm: x.v.name, value: x.r.cost!.value!, lo: x.r.cost!.ciLower, hi: x.r.cost!.ciUpper }));
    if (costRows.length) {
      doc.figure({
        id: 'cost-per-outcome',
        caption: `Cost per ${primary.metric.name} outcome, per arm`,
        description: `Spend divided by outcomes with a 95% interval (an open upper end is unbounded). ${costRows.map((c) => `${c.arm}: ${num(c.value)}`).join('; ')}.`,
        data: costRows,
        columns: [
          { label: 'Arm', value: (d) => d.arm },
          { label: 'Cost per outcome', value: (d) => d.value },
          { label: 'Lower 95%', value: (d) => d.lo },
          { label: 'Upper 95%', value: (d) => d.hi },
        ],
        plot: ({ plot, marginLeft }) =>
          plot({
            marginLeft: marginLeft(costRows.map((c) => clip(c.arm))),
            height: 50 + 36 * costRows.length,
            x: { label: 'cost per outcome →', grid: true, zero: true },
            y: { label: null, tickFormat: (d: string) => clip(d) },
            marks: [
              Plot.ruleY(costRows, {
                y: 'arm',
                x1: 'lo',
                x2: (d: (typeof costRows)[number]) =>
                  d.hi ?? Math.max(...costRows.map((c) => c.hi ?? c.value)) * 1.5,
                stroke: PALETTE[0],
                strokeWidth: 2,
              }),
              Plot.dot(costRows, {
                y: 'arm',
                x: 'value',
                r: 5,
                fill: PALETTE[0],
                title: (d: (typeof costRows)[number]) => `${d.arm}: ${num(d.value)}`,
              }),
            ],
          }),
      });
    }

    const forest = a.metrics.flatMap((m) =>
      m.result.variations.slice(1).map((v) => ({
        label: `${m.metric.name} · ${v.name}`,
        metric: m.metric.name,
        role: m.role,
        variation: v.name,
        estimate: v.estimate,
        lo: v.ciLower,
        hi: v.ciUpper,
        p: v.adjustedPValue ?? v.pValue,
        error: v.error,
        varianceReduction: v.varianceReduction,
      })),
    );
    doc.section(
      'Uplift',
      `Each dot is the estimated ${relative ? 'relative' : 'absolute'} lift of a variation over ${control.name}; the line is its ${primary.settings.engine === 'bayesian' ? 'credible' : primary.settings.sequential ? 'always-valid (sequential)' : 'confidence'} interval. Guardrails are tested one-sided for harm.`,
    );
    const drawable = forest.filter((f) => f.estimate !== null);
    if (drawable.length) {
      const scale = relative ? 100 : 1;
      const span = drawable.flatMap((f) => [f.lo, f.hi, f.estimate]).filter((x): x is number => x !== null);
      const [min, max] = [Math.min(0, ...span), Math.max(0, ...span)];
      doc.figure({
        id: 'uplift-forest',
        caption: `Lift over ${control.name} per metric and variation, with intervals`,
        description: `Forest plot. ${drawable.map((f) => `${f.label}: ${fmtLift(f.estimate!)} ${interval(f.lo, f.hi, fmtLift)}`).join('; ')}. The vertical line marks no change.`,
        data: forest,
        columns: [
          { label: 'Metric', value: (d) => d.metric },
          { label: 'Role', value: (d) => d.role },
          { label: 'Variation', value: (d) => d.variation },
          { label: 'Lift', value: (d) => d.estimate },
          { label: 'Lower', value: (d) => d.lo },
          { label: 'Upper', value: (d) => d.hi },
          { label: 'p (adjusted where corrected)', value: (d) => d.p },
          { label: 'Variance removed (CUPED or strata)', value: (d) => d.varianceReduction },
          { label: 'Not computable', value: (d) => d.error },
        ],
        plot: ({ plot, marginLeft }) =>
          plot({
            marginLeft: marginLeft(drawable.map((f) => clip(f.label))),
            height: 50 + 34 * drawable.length,
            x: {
              label: relative ? 'lift (%) →' : 'lift →',
              grid: true,
              domain: [min * scale, max * scale],
              nice: true,
            },
            y: { label: null, domain: drawable.map((f) => f.label), tickFormat: (d: string) => clip(d) },
            marks: [
              Plot.ruleX([0], { stroke: 'currentColor', strokeOpacity: 0.6 }),
              Plot.ruleY(drawable, {
                y: 'label',
                x1: (d: (typeof drawable)[number]) => (d.lo ?? min) * scale,
                x2: (d: (typeof drawable)[number]) => (d.hi ?? max) * scale,
                stroke: (d: (typeof drawable)[number]) => d.role,
                strokeWidth: 2,
              }),
              Plot.dot(drawable, {
                y: 'label',
                x: (d: (typeof drawable)[number]) => d.estimate! * scale,
                fill: (d: (typeof drawable)[number]) => d.role,
                r: 4.5,
                title: (d: (typeof drawable)[number]) => `${d.label}: ${fmtLift(d.estimate!)}`,
              }),
            ],
            color: { domain: ['goal', 'guardrail'], range: [PALETTE[0], PALETTE[1]], legend: true },
          }),
      });
    } else
      doc.callout(
        'warn',
        'No lift yet.',
        'No comparison can be made yet: an arm has no variance (for example, no conversions).',
      );
    doc.table('All comparisons', forest, [
      { label: 'Metric', value: (d) => d.metric },
      { label: 'Role', value: (d) => d.role },
      { label: 'Variation', value: (d) => d.variation },
      { label: 'Lift', value: (d) => (d.estimate === null ? '–' : fmtLift(d.estimate)) },
      { label: 'Interval', value: (d) => (d.estimate === null ? '–' : interval(d.lo, d.hi, fmtLift)) },
      { label: 'p', value: (d) => pValue(d.p) },
      {
        label: 'Variance removed',
        value: (d) => (d.varianceReduction === null ? '–' : pct(d.varianceReduction, 1)),
      },
      {
        label: 'Note',
        value: (d) =>
          d.error === 'ZERO_NEGATIVE_VARIANCE'
            ? 'no variance in an arm yet'
            : d.error === 'ZERO_NEGATIVE_BASELINE_VARIATION'
              ? 'control mean is 0'
              : '',
      },
    ]);

    doc.section(
      'Cumulative uplift over time',
      `The ${primary.metric.name} lift on all data up to each day. ${primary.settings.sequential ? 'The band is the always-valid confidence sequence: it may be read every day without inflating false positives, and a result counts once the band leaves zero.' : 'The band is the fixed-horizon interval; reading it daily inflates false positives, so decide only at the planned sample size.'}`,
    );
    const series = a.cumulative
      .filter((c) => c.estimate !== null)
      .map((c) => ({ ...c, date: new Date(`${c.day}T00:00:00Z`) }));
    if (series.length >= 2) {
      const scale = relative ? 100 : 1;
      const finite = (x: number | null, fallback: number) => (x === null ? fallback : x * scale);
      const ys = series
        .flatMap((c) => [c.estimate!, c.ciLower ?? c.estimate!, c.ciUpper ?? c.estimate!])
        .map((x) => x * scale);
      const [lo, hi] = [Math.max(Math.min(...ys), -300), Math.min(Math.max(...ys), 300)];
      doc.figure({
        id: 'cumulative-uplift',
        caption: `Cumulative ${primary.metric.name} lift with its ${primary.settings.sequential ? 'sequential boundary' : 'interval'}`,
        description: `Daily cumulative lift per variation from ${day(series[0]!.day)} to ${day(series.at(-1)!.day)}; final ${series
          .filter((c) => c.day === series.at(-1)!.day)
          .map((c) => `${c.variation} ${fmtLift(c.estimate!)}`)
          .join(', ')}. Values beyond ±300% are cut at the chart edge.`,
        data: series,
        columns: [
          { label: 'Day', value: (d) => d.day },
          { label: 'Variation', value: (d) => d.variation },
          { label: 'Units so far', value: (d) => d.n },
          { label: 'Lift', value: (d) => d.estimate },
          { label: 'Lower', value: (d) => d.ciLower },
          { label: 'Upper', value: (d) => d.ciUpper },
        ],
        plot: ({ plot }) =>
          plot({
            height: 300,
            x: { label: null, type: 'utc' },
            y: { label: relative ? '↑ lift (%)' : '↑ lift', grid: true, domain: [lo, hi], clamp: true },
            color: { legend: true, range: PALETTE.slice(1) },
            marks: [
              Plot.areaY(series, {
                x: 'date',
                y1: (d: (typeof series)[number]) => Math.max(lo, finite(d.ciLower, lo)),
                y2: (d: (typeof series)[number]) => Math.min(hi, finite(d.ciUpper, hi)),
                fill: 'variation',
                fillOpacity: 0.18,
                curve: 'step-after',
              }),
              Plot.lineY(series, {
                x: 'date',
                y: (d: (typeof series)[number]) => d.estimate! * scale,
                stroke: 'variation',
                strokeWidth: 2,
                curve: 'step-after',
              }),
              Plot.ruleY([0], { stroke: 'currentColor', strokeOpacity: 0.6 }),
            ],
          }),
      });
    } else doc.paragraph('Not enough days of data for a series yet.');

    doc.section(
      'Chance to beat control',
      'The posterior probability that each variation is better than the control on the primary metric (normal approximation, flat prior unless one is configured). It is not a p-value; 95% is the usual bar.',
    );
    const chanceRows = chance.filter((c) => c.chanceToWin !== null);
    if (chanceRows.length) {
      doc.figure({
        id: 'chance-to-win',
        caption: `Chance to beat ${control.name} on ${primary.metric.name}`,
        description:
          chanceRows.map((c) => `${c.name}: ${pct(c.chanceToWin, 1)}`).join('; ') + '. The line marks 95%.',
        data: chanceRows,
        columns: [
          { label: 'Variation', value: (d) => d.name },
          { label: 'Chance to beat control', value: (d) => d.chanceToWin },
        ],
        plot: ({ plot, marginLeft }) =>
          plot({
            marginLeft: marginLeft(chanceRows.map((c) => clip(c.name))),
            height: 50 + 36 * chanceRows.length,
            x: { label: 'chance to beat control (%) →', domain: [0, 100], grid: true },
            y: { label: null, tickFormat: (d: string) => clip(d) },
            marks: [
              Plot.barX(chanceRows, {
                y: 'name',
                x: (d: (typeof chanceRows)[number]) => d.chanceToWin! * 100,
                fill: PALETTE[0],
                title: (d: (typeof chanceRows)[number]) => `${d.name}: ${pct(d.chanceToWin, 1)}`,
              }),
              Plot.ruleX([95], { stroke: PALETTE[3], strokeDasharray: '4,3' }),
            ],
          }),
      });
    } else doc.paragraph('No variation can be compared with the control yet.');

    doc.section(
      'Guardrails',
      'Guardrail metrics are tested one-sided for harm; a harmful guardrail blocks shipping until someone has looked.',
    );
    const guards = a.metrics.filter((m) => m.role === 'guardrail');
    if (guards.length) {
      doc.table(
        'Guardrail results',
        guards.flatMap((m) => m.result.variations.slice(1).map((v) => ({ m, v }))),
        [
          { label: 'Guardrail', value: (x) => x.m.metric.name },
          { label: 'Variation', value: (x) => x.v.name },
          { label: 'Change', value: (x) => (x.v.estimate === null ? '–' : fmtLift(x.v.estimate)) },
          { label: 'One-sided p (harm)', value: (x) => pValue(x.v.pValue) },
          {
            label: 'Status',
            value: (x) =>
              x.v.pValue !== null && x.v.pValue < x.m.settings.alpha
                ? 'HARM'
                : x.v.pValue === null
                  ? 'not computable'
                  : 'ok',
          },
        ],
      );
    } else doc.paragraph('This experiment has no guardrail metrics.');
    return { subtitle: e.name !== e.key ? e.name : e.hypothesis };
  },
});
