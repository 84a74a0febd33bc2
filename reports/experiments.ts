// Every experiment on one page: status, dates, traffic, the primary metric's lift and the verdict.
import * as Plot from '@observablehq/plot';
import { defineReport } from '../src/reports/definition.js';
import { PALETTE } from '../src/reports/figure.js';
import { clip } from '../src/reports/measure.js';
import { listExperiments } from '../src/experiments/store.js';
import { analyzeExperiment, type ExperimentAnalysis } from '../src/experiments/analysis.js';
import { reportFile } from '../src/reports/render.js';
import { day, int, interval, pct, pValue } from './_format.js';

type Row = {
  key: string;
  name: string;
  status: string;
  from: string;
  to: string;
  units: number;
  srm: boolean;
  srmP: number;
  metric: string;
  relative: boolean;
  verdict: string;
  verdictText: string;
  file: string;
  lifts: {
    variation: string;
    estimate: number | null;
    lo: number | null;
    hi: number | null;
    p: number | null;
  }[];
};

export default defineReport<Row[]>({
  name: 'experiments',
  summary:
    'All experiments: status, traffic, primary-metric lift with its interval, sample-ratio check and verdict.',
  title: () => 'Experiments overview',
  async load(ctx) {
    const rows: Row[] = [];
    let from = '';
    let to = '';
    for (const e of await listExperiments(ctx.database.db)) {
      const a: ExperimentAnalysis = await analyzeExperiment(ctx.database, e, ctx.now);
      const m = a.metrics[0]!;
      rows.push({
        key: e.key,
        name: e.name,
        status: e.status,
        from: day(a.window.from),
        to: day(a.window.to),
        units: a.arms.reduce((s, x) => s + x.n, 0),
        srm: a.srm.flagged,
        srmP: a.srm.pValue,
        metric: m.metric.name,
        relative: m.settings.difference === 'relative',
        verdict: a.verdict.status,
        verdictText: a.verdict.text,
        file: reportFile('experiment', e.key),
        lifts: m.result.variations.slice(1).map((v) => ({
          variation: v.name,
          estimate: v.estimate,
          lo: v.ciLower,
          hi: v.ciUpper,
          p: v.adjustedPValue ?? v.pValue ?? null,
        })),
      });
      if (!from || day(a.window.from) < from) from = day(a.window.from);
      if (!to || day(a.window.to) > to) to = day(a.window.to);
    }
    return {
      data: rows,
      window: rows.length ? { from, to } : null,
      sources: ['experiments', 'cdp_events (exposures and goal events)', 'consent state'],
    };
  },
  render(doc, rows) {
    const running = rows.filter((r) => r.status === 'running').length;
    doc.cards([
      { label: 'Experiments', value: int(rows.length), note: `${running} running` },
      { label: 'With a winner', value: int(rows.filter((r) => r.verdict === 'ship').length) },
      {
        label: 'Sample-ratio mismatch',
        value: int(rows.filter((r) => r.srm).length),
        tone: rows.some((r) => r.srm) ? 'bad' : 'good',
      },
      { label: 'Exposed units', value: int(rows.reduce((s, r) => s + r.units, 0)) },
    ]);
    if (!rows.length) {
      doc.callout('info', 'No experiments yet.', 'Define one with POST /v1/experiments.');
      return;
    }
    doc.section('All experiments', 'Each experiment has its own report with the full analysis.');
    doc.table('Experiments', rows, [
      { label: 'Experiment', value: (r) => r.name },
      { label: 'Status', value: (r) => r.status },
      { label: 'Dates', value: (r) => `${r.from} to ${r.to}` },
      { label: 'Units', value: (r) => int(r.units) },
      { label: 'SRM p', value: (r) => `${pValue(r.srmP)}${r.srm ? ' (mismatch)' : ''}` },
      { label: 'Primary metric', value: (r) => r.metric },
      {
        label: 'Lift [interval]',
        value: (r) =>
          r.lifts
            .map(
              (l) =>
                `${l.variation}: ${l.estimate === null ? '–' : `${pct(l.estimate)} ${interval(l.lo, l.hi, (x) => pct(x))}`}`,
            )
            .join('; '),
      },
      { label: 'Verdict', value: (r) => r.verdictText },
      { label: 'Report', value: (r) => r.file },
    ]);
    const points = rows
      .filter((r) => r.relative)
      .flatMap((r) =>
        r.lifts
          .filter((l) => l.estimate !== null)
          .map((l) => ({ label: `${r.name} · ${l.variation}`, experiment: r.name, ...l, srm: r.srm })),
      );
    if (points.length) {
      const span = points
        .flatMap((p) => [p.lo, p.hi, p.estimate])
        .filter((x): x is number => x !== null)
        .map((x) => x * 100);
      const [lo, hi] = [Math.max(-200, Math.min(0, ...span)), Math.min(300, Math.max(0, ...span))];
      doc.figure({
        id: 'primary-lifts',
        caption: 'Primary-metric lift of every variation, with its interval',
        description: `${points.map((p) => `${p.label}: ${pct(p.estimate)}`).join('; ')}. Intervals are each experiment's own (sequential where configured); arms with a sample-ratio mismatch are drawn in red. Intervals beyond −200% or +300% are cut at the edge.`,
        data: points,
        columns: [
          { label: 'Experiment', value: (d) => d.experiment },
          { label: 'Variation', value: (d) => d.variation },
          { label: 'Lift', value: (d) => d.estimate },
          { label: 'Lower', value: (d) => d.lo },
          { label: 'Upper', value: (d) => d.hi },
          { label: 'p', value: (d) => d.p },
          { label: 'SRM', value: (d) => d.srm },
        ],
        plot: ({ plot, marginLeft }) =>
          plot({
            marginLeft: marginLeft(points.map((p) => clip(p.label))),
            height: 50 + 34 * points.length,
            x: { label: 'lift (%) →', grid: true, domain: [lo, hi] },
            y: { label: null, domain: points.map((p) => p.label), tickFormat: (d: string) => clip(d) },
            marks: [
              Plot.ruleX([0], { stroke: 'currentColor', strokeOpacity: 0.6 }),
              Plot.ruleY(points, {
                y: 'label',
                x1: (d: (typeof points)[number]) => Math.max(lo, (d.lo ?? -Infinity) * 100),
                x2: (d: (typeof points)[number]) => Math.min(hi, (d.hi ?? Infinity) * 100),
                stroke: (d: (typeof points)[number]) => (d.srm ? PALETTE[3] : PALETTE[0]),
                strokeWidth: 2,
              }),
              Plot.dot(points, {
                y: 'label',
                x: (d: (typeof points)[number]) => Math.max(lo, Math.min(hi, d.estimate! * 100)),
                fill: (d: (typeof points)[number]) => (d.srm ? PALETTE[3] : PALETTE[0]),
                r: 4.5,
                title: (d: (typeof points)[number]) => `${d.label}: ${pct(d.estimate)}`,
              }),
            ],
          }),
      });
    }
  },
});
