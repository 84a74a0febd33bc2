// One model card per trained propensity version: what it was trained on, how it measured with
// intervals, against the ceiling where the truth is known, calibration, gains, what drives it, and
// how it compares with the champion on the same validation rows.
import * as Plot from '@observablehq/plot';
import { defineReport } from '../src/reports/definition.js';
import { getVersion, listVersions, type ModelVersion } from '../src/models/registry/index.js';
import { featureDriftSinceTraining, type FeatureDrift } from '../src/models/propensity/feature-drift.js';
import { int, num, pct } from './_format.js';

type Interval = { estimate: number; lower: number; upper: number };
type Evaluation = {
  rows: number;
  positives: number;
  intervals: { auc: Interval; prAuc: Interval; logLoss: Interval; brier: Interval };
  reliability: { from: number; to: number; count: number; meanPredicted: number; observedRate: number }[];
  gains: {
    decile: number;
    people: number;
    positives: number;
    rate: number;
    lift: number;
    cumulativeGain: number;
  }[];
};
type Metrics = {
  auc: number;
  prAuc: number;
  logLoss: number;
  brier: number;
  ece: number;
  ceilingAuc?: number;
  evaluation?: Evaluation;
  candidates?: {
    kind: string;
    auc: number;
    prAuc: number;
    logLoss: number;
    brier: number;
    ece: number;
    fitSeconds: number;
    backend: string;
  }[];
  importance?: { feature: string; aucDrop: number }[];
  champion?: { version: number; auc: number; ece: number } | null;
  calibration?: {
    method: 'none' | 'platt' | 'isotonic';
    crossFittedLogLoss: Record<'none' | 'platt' | 'isotonic', number>;
    uncalibrated: { logLoss: number; ece: number };
  };
};

const f3 = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(3));

type Data = { version: ModelVersion; drift: FeatureDrift };

export default defineReport<Data>({
  name: 'model-card',
  summary:
    'One card per propensity model version: data window, metrics with intervals, calibration, gains, importance, champion comparison.',
  parameter: {
    name: 'version',
    description: 'a propensity model version',
    values: async (ctx) => (await listVersions(ctx.database, 'propensity')).map((v) => String(v.version)),
  },
  title: (param) => `Propensity model v${param ?? '?'}`,
  async load(ctx, param) {
    const v = await getVersion(ctx.database, 'propensity', Number(param));
    const w = v.dataWindow as {
      trainSnapshots?: string[];
      validationSnapshot?: string;
      horizonDays?: number;
    };
    const drift = await featureDriftSinceTraining(ctx.database, v);
    return {
      data: { version: v, drift },
      window:
        w.trainSnapshots?.[0] && w.validationSnapshot
          ? { from: w.trainSnapshots[0], to: w.validationSnapshot }
          : null,
      models: [{ name: 'propensity', version: String(v.version) }],
      sources: [
        'model_versions (written by attune train propensity and the model.refresh job)',
        'feature_person_raw (the materialised features, for drift since training)',
      ],
    };
  },
  render(doc, { version: v, drift }) {
    const m = v.metrics as unknown as Metrics;
    const e = m.evaluation;
    const w = v.dataWindow as {
      trainSnapshots: string[];
      validationSnapshot: string;
      horizonDays: number;
      trainRows: number;
      validationRows: number;
    };
    doc.cards([
      {
        label: 'Validation AUC',
        value: f3(m.auc),
        note: e ? `95% bootstrap [${f3(e.intervals.auc.lower)}, ${f3(e.intervals.auc.upper)}]` : undefined,
      },
      ...(m.ceilingAuc !== undefined
        ? [
            {
              label: 'Ceiling AUC',
              value: f3(m.ceilingAuc),
              note: 'the true probabilities on the same customers (simulated truth)',
            },
          ]
        : []),
      {
        label: 'Calibration error (ECE)',
        value: f3(m.ece),
        tone: m.ece <= 0.05 ? ('good' as const) : ('warn' as const),
      },
      { label: 'Status', value: v.status, note: v.reason },
    ]);
    doc.section(
      'Data and training',
      `Label: a completed order within ${w.horizonDays} days of the snapshot. Time split: trained on snapshots ${w.trainSnapshots.join(', ')} (${int(w.trainRows)} rows), validated on ${w.validationSnapshot} (${int(w.validationRows)} customers${e ? `, ${int(e.positives)} buyers` : ''}). Never random rows.`,
    );
    doc.paragraph(
      `Algorithm ${v.algorithm}; trained on ${v.runtime.backend} (${v.runtime.device}) in ${num(v.durationMs / 1000, 1)} s by ${v.trainedBy}; feature set v${v.features.setVersion} with ${v.features.names.length} features.`,
    );
    if (m.candidates?.length)
      doc.table('Candidates on the validation snapshot (the best by AUC becomes the version)', m.candidates, [
        { label: 'Model', value: (c) => c.kind },
        { label: 'AUC', value: (c) => f3(c.auc) },
        { label: 'PR AUC', value: (c) => f3(c.prAuc) },
        { label: 'Log loss', value: (c) => f3(c.logLoss) },
        { label: 'Brier', value: (c) => f3(c.brier) },
        { label: 'ECE', value: (c) => f3(c.ece) },
        { label: 'Fit', value: (c) => `${num(c.fitSeconds, 2)} s` },
      ]);
    if (m.champion)
      doc.callout(
        'info',
        `Against champion v${m.champion.version}`,
        `re-scored on the same validation customers: AUC ${f3(m.champion.auc)}, ECE ${f3(m.champion.ece)}. ${v.reason}.`,
      );
    if (e) {
      const c = m.calibration;
      doc.section(
        'Calibration',
        `Predicted against observed purchase rate, in bins of predicted probability; on the diagonal is perfectly calibrated. ${
          !c
            ? ''
            : c.method === 'none'
              ? `No recalibration: neither Platt scaling (cross-fitted log loss ${f3(c.crossFittedLogLoss.platt)}) nor isotonic regression (${f3(c.crossFittedLogLoss.isotonic)}) beat the scores as they are (${f3(c.crossFittedLogLoss.none)}) by 1%.`
              : `Recalibrated by ${c.method === 'platt' ? 'Platt scaling' : 'isotonic regression'}: cross-fitted log loss ${f3(c.crossFittedLogLoss[c.method])} against ${f3(c.crossFittedLogLoss.none)} as they were (ECE before ${f3(c.uncalibrated.ece)}); the figures on this card are the cross-fitted, recalibrated probabilities.`
        }`,
      );
      doc.figure({
        id: 'reliability',
        caption: 'Reliability curve on the validation snapshot',
        description: `${e.reliability.length} bins; expected calibration error ${f3(m.ece)}.`,
        data: e.reliability,
        columns: [
          { label: 'Bin', value: (b) => `${b.from.toFixed(1)}–${b.to.toFixed(1)}` },
          { label: 'Customers', value: (b) => b.count },
          { label: 'Mean predicted', value: (b) => b.meanPredicted },
          { label: 'Observed rate', value: (b) => b.observedRate },
        ],
        plot: ({ plot }) =>
          plot({
            height: 300,
            x: {
              label: 'predicted →',
              domain: [0, Math.max(0.2, ...e.reliability.map((b) => b.meanPredicted))],
              percent: true,
            },
            y: {
              label: '↑ observed',
              domain: [0, Math.max(0.2, ...e.reliability.map((b) => b.observedRate))],
              percent: true,
              grid: true,
            },
            marks: [
              Plot.line(
                [
                  [0, 0],
                  [1, 1],
                ],
                { stroke: '#999', strokeDasharray: '4 3', clip: true },
              ),
              Plot.dot(e.reliability, {
                x: 'meanPredicted',
                y: 'observedRate',
                r: (b: { count: number }) => Math.sqrt(b.count),
                fill: 'currentColor',
              }),
            ],
          }),
      });
      doc.section(
        'Gains',
        'Customers ranked by score, in tenths: how many of all buyers the top tenths hold.',
      );
      doc.figure({
        id: 'gains',
        caption: 'Cumulative share of buyers by decile of score',
        description: `The top decile holds ${pct(e.gains[0]?.cumulativeGain)} of buyers (lift ${num(e.gains[0]?.lift, 1)}×).`,
        data: e.gains,
        columns: [
          { label: 'Decile', value: (g) => g.decile },
          { label: 'Customers', value: (g) => g.people },
          { label: 'Buyers', value: (g) => g.positives },
          { label: 'Lift', value: (g) => g.lift },
          { label: 'Cumulative gain', value: (g) => g.cumulativeGain },
        ],
        plot: ({ plot }) =>
          plot({
            height: 260,
            x: { label: 'decile (1 = highest scores) →' },
            y: { label: '↑ share of buyers', percent: true, grid: true, domain: [0, 1] },
            marks: [
              Plot.line(
                [
                  { decile: 0, g: 0 },
                  { decile: 10, g: 1 },
                ],
                { x: 'decile', y: 'g', stroke: '#999', strokeDasharray: '4 3' },
              ),
              Plot.line([{ decile: 0, cumulativeGain: 0 }, ...e.gains], {
                x: 'decile',
                y: 'cumulativeGain',
                marker: 'dot',
              }),
            ],
          }),
      });
    }
    if (m.importance?.length)
      doc.table(
        'What drives the score: AUC lost when one feature is shuffled (permutation importance)',
        m.importance,
        [
          { label: 'Feature', value: (i) => i.feature },
          { label: 'AUC drop', value: (i) => f3(i.aucDrop) },
        ],
      );
    doc.section(
      'Feature drift since training',
      'The most important features of the validation customers against today’s scored customers, each with the drift test the drift monitors would choose for it.',
    );
    if (!drift) doc.callout('info', 'No drift check', 'this version was trained on another feature set.');
    else if (!drift.columns.length)
      doc.callout(
        'info',
        'No current features yet',
        'the features.refresh job has not materialised any customers since training.',
      );
    else
      doc.table(
        `Validation snapshot ${drift.reference} against features as of ${drift.current?.slice(0, 10) ?? '–'}`,
        drift.columns,
        [
          { label: 'Feature', value: (c) => c.column },
          { label: 'Test', value: (c) => c.method },
          { label: 'Score', value: (c) => num(c.score, 4) },
          { label: 'Drifted', value: (c) => (c.drift ? 'yes' : 'no') },
          { label: 'Rule', value: (c) => c.rule },
        ],
      );
    return { subtitle: `${v.status}, trained ${v.createdAt.slice(0, 10)}` };
  },
});
