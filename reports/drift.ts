// Drift: the latest check of every monitor, per column the statistic, method, threshold, bins and
// verdict; reference vs current distributions; and each column's drift over the stored history.
import * as Plot from '@observablehq/plot';
import { defineReport } from '../src/reports/definition.js';
import { PALETTE } from '../src/reports/figure.js';
import { clip } from '../src/reports/measure.js';
import { listChecks } from '../src/drift/monitors.js';
import type { CheckResult } from '../src/drift/monitors.js';
import type { ColumnDrift } from '../src/drift/compare.js';
import { day, int, num, pValue } from './_format.js';

type Check = {
  id: string;
  monitor: string;
  subject: string;
  checkedAt: Date;
  window: { reference: [string, string]; current: [string, string] };
  drifted: number;
  columns: number;
  result: CheckResult;
};
type Data = { latest: Check[]; history: Check[] };

const P_METHODS = new Set(['ks', 'chi-square', 'z']);
/** One scale for every method: ≥ 1 means drift (threshold / p for tests, distance / threshold for distances). */
const driftIndex = (c: ColumnDrift) =>
  P_METHODS.has(c.method) ? c.threshold / Math.max(c.score, 1e-300) : c.score / c.threshold;

function statistic(c: ColumnDrift): string {
  switch (c.method) {
    case 'ks':
      return `KS D = ${num(c.ks?.statistic, 4)}, p = ${pValue(c.ks?.pValue)} (${c.ks?.method})`;
    case 'chi-square':
      return `χ² = ${num(c.chiSquare?.statistic, 2)}, dof ${c.chiSquare?.dof}, p = ${pValue(c.chiSquare?.pValue)}`;
    case 'z':
      return `z = ${num(c.zTest?.statistic, 3)}, p = ${pValue(c.zTest?.pValue)}`;
    case 'wasserstein':
      return `W₁ = ${num(c.wasserstein?.distance, 4)}, normalised ${num(c.wasserstein?.normalized, 4)}`;
    case 'jensen-shannon':
      return `JS distance = ${num(c.jensenShannon?.distance, 4)}`;
    default:
      return `PSI = ${num(c.psi?.value, 4)}`;
  }
}

export default defineReport<Data>({
  name: 'drift',
  summary:
    'What moved: every monitored column with its test, threshold, bins and verdict, the distributions compared, and drift over time.',
  title: () => 'Drift',
  async load(ctx) {
    const rows = (await listChecks(ctx.database, { limit: 500 })) as unknown as Check[];
    const latestBySubject = new Map<string, Check>();
    for (const r of rows)
      if (!latestBySubject.has(`${r.monitor}|${r.subject}`))
        latestBySubject.set(`${r.monitor}|${r.subject}`, r);
    const latest = [...latestBySubject.values()].sort(
      (a, b) => a.monitor.localeCompare(b.monitor) || a.subject.localeCompare(b.subject),
    );
    const history = rows
      .filter((r) => r.monitor === 'features')
      .sort((a, b) => a.checkedAt.getTime() - b.checkedAt.getTime());
    const f = latest.find((c) => c.monitor === 'features');
    return {
      data: { latest, history },
      window: f ? { from: day(f.window.reference[0]), to: day(f.window.current[1]) } : null,
      sources: [
        'drift_checks (written by the drift.monitors job)',
        'cdp_events (samples of at most 20,000 rows)',
      ],
    };
  },
  render(doc, { latest, history }) {
    if (!latest.length) {
      doc.callout(
        'info',
        'No drift checks yet.',
        'The drift.monitors job runs daily at 04:40 UTC; queue it now with POST /v1/jobs {"type": "drift.monitors"}.',
      );
      return;
    }
    const features = latest.find((c) => c.monitor === 'features');
    const experimentChecks = latest.filter((c) => c.monitor !== 'features');
    doc.cards([
      {
        label: 'Feature columns drifting',
        value: features ? `${features.drifted} of ${features.columns}` : '–',
        tone: features?.drifted ? 'warn' : 'good',
        note: features
          ? `current ${day(features.window.current[0])} to ${day(features.window.current[1])}`
          : undefined,
      },
      {
        label: 'Experiment checks with drift',
        value: `${experimentChecks.filter((c) => c.drifted > 0).length} of ${experimentChecks.length}`,
        tone: experimentChecks.some((c) => c.drifted > 0) ? 'warn' : 'good',
      },
      { label: 'Checks stored', value: int(history.length), note: 'feature checks over time' },
    ]);

    if (features) {
      const cols = features.result.columns;
      doc.section(
        'Features of the ingested data',
        `Events from ${day(features.window.current[0])} to ${day(features.window.current[1])} against ${day(features.window.reference[0])} to ${day(features.window.reference[1])} (${int(features.result.referenceRows)} and ${int(features.result.currentRows)} sampled rows).`,
      );
      doc.table('Per column: statistic, method, threshold, bins and verdict', cols, [
        { label: 'Column', value: (c) => c.column },
        { label: 'Type', value: (c) => c.type },
        { label: 'Method', value: (c) => c.method },
        { label: 'Statistic', value: (c) => statistic(c) },
        { label: 'Rule', value: (c) => c.rule },
        { label: 'Bins', value: (c) => `${c.psi?.bins ?? '–'} (${c.psi?.binning ?? '–'})` },
        { label: 'PSI', value: (c) => num(c.psi?.value, 4) },
        { label: 'Verdict', value: (c) => (c.drift ? 'DRIFT' : 'stable') },
      ]);
      for (const s of features.result.skipped) doc.callout('info', `${s.column} not compared:`, s.reason);
      for (const c of cols) {
        const data = c.distribution.flatMap((b) => [
          { bin: b.label, sample: 'reference', share: b.reference },
          { bin: b.label, sample: 'current', share: b.current },
        ]);
        const bins = c.distribution.map((b) => clip(b.label, 150));
        doc.figure({
          id: `distribution-${c.column}`,
          caption: `${c.column}: reference vs current distribution (${c.drift ? 'drift' : 'stable'})`,
          description: `Share of values per ${c.type === 'numeric' ? 'bin' : 'category'}: reference as bars, current as ticks. ${statistic(c)}; ${c.rule}.`,
          data,
          columns: [
            { label: 'Bin', value: (d) => d.bin },
            { label: 'Sample', value: (d) => d.sample },
            { label: 'Share', value: (d) => d.share },
          ],
          plot: ({ plot, marginLeft }) =>
            plot({
              marginLeft: marginLeft(bins),
              height: 40 + 22 * c.distribution.length,
              x: { label: 'share (%) →', grid: true },
              y: {
                label: null,
                domain: c.distribution.map((b) => b.label),
                tickFormat: (d: string) => clip(d, 150),
              },
              color: { domain: ['reference', 'current'], range: [PALETTE[0], PALETTE[1]], legend: true },
              // Reference as bars, current as ticks on the same axis, so each bin compares side by side.
              marks: [
                Plot.barX(
                  data.filter((d) => d.sample === 'reference'),
                  {
                    y: 'bin',
                    x: (d: (typeof data)[number]) => d.share * 100,
                    fill: 'sample',
                    fillOpacity: 0.7,
                    title: (d: (typeof data)[number]) => `${d.bin} reference: ${(d.share * 100).toFixed(1)}%`,
                  },
                ),
                Plot.tickX(
                  data.filter((d) => d.sample === 'current'),
                  {
                    y: 'bin',
                    x: (d: (typeof data)[number]) => d.share * 100,
                    stroke: 'sample',
                    strokeWidth: 3,
                    title: (d: (typeof data)[number]) => `${d.bin} current: ${(d.share * 100).toFixed(1)}%`,
                  },
                ),
                Plot.ruleX([0]),
              ],
            }),
        });
      }
    }

    const series = history.flatMap((h) =>
      h.result.columns.map((c) => ({
        date: h.checkedAt,
        column: c.column,
        method: c.method,
        index: driftIndex(c),
        drift: c.drift,
      })),
    );
    doc.section(
      'Drift over time',
      'One scale for every method: the drift index is threshold ÷ p-value for tests and distance ÷ threshold for distances, so 1 is the threshold and above it is drift.',
    );
    if (new Set(series.map((s) => s.date.getTime())).size >= 2) {
      doc.figure({
        id: 'drift-over-time',
        caption: 'Drift index of each feature column per check',
        description: `Checks from ${day(history[0]!.checkedAt.toISOString())} to ${day(history.at(-1)!.checkedAt.toISOString())}. Columns above 1 at the latest check: ${
          series
            .filter((s) => s.date.getTime() === history.at(-1)!.checkedAt.getTime() && s.index >= 1)
            .map((s) => s.column)
            .join(', ') || 'none'
        }.`,
        data: series,
        columns: [
          { label: 'Checked at', value: (d) => d.date.toISOString() },
          { label: 'Column', value: (d) => d.column },
          { label: 'Method', value: (d) => d.method },
          { label: 'Drift index', value: (d) => d.index },
          { label: 'Drift', value: (d) => d.drift },
        ],
        plot: ({ plot }) =>
          plot({
            height: 300,
            x: { type: 'utc', label: null },
            y: {
              type: 'log',
              label: '↑ drift index (log)',
              grid: true,
              clamp: true,
              tickFormat: '~g',
              domain: [0.01, Math.max(10, ...series.map((s) => Math.min(s.index, 1e6)))],
            },
            color: { legend: true, range: PALETTE },
            marks: [
              Plot.ruleY([1], { stroke: PALETTE[3], strokeDasharray: '4,3' }),
              Plot.lineY(series, {
                x: 'date',
                y: (d: (typeof series)[number]) => Math.max(0.01, d.index),
                stroke: 'column',
                marker: 'circle',
              }),
            ],
          }),
      });
    } else
      doc.paragraph(
        'Only one check is stored so far; the job adds one a day (or queue it with "backfillWeeks" for history).',
      );

    if (experimentChecks.length) {
      doc.section(
        'Experiments',
        "Traffic mix: an experiment's arm shares among new exposures late in its run against earlier. Balance: each treatment arm's pre-exposure covariates against the control's, which randomisation should make equal.",
      );
      doc.table(
        'Latest experiment checks',
        experimentChecks.flatMap((c): { c: Check; col: ColumnDrift | null }[] =>
          c.result.columns.length ? c.result.columns.map((col) => ({ c, col })) : [{ c, col: null }],
        ),
        [
          { label: 'Monitor', value: (x) => x.c.monitor },
          { label: 'Experiment (arm)', value: (x) => x.c.subject },
          { label: 'Column', value: (x) => x.col?.column ?? '–' },
          {
            label: 'Statistic',
            value: (x) =>
              x.col ? statistic(x.col) : x.c.result.skipped.map((s) => `${s.column}: ${s.reason}`).join('; '),
          },
          { label: 'Verdict', value: (x) => (x.col ? (x.col.drift ? 'DRIFT' : 'stable') : 'not compared') },
        ],
      );
    }
  },
});
