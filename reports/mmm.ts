// One report per fitted marketing-mix model version: what each channel brought over time, ROI and
// shares with credible intervals, response curves with today's spend marked, carry-over, the
// sampler's diagnostics, the optimizer's proposal with its uncertainty, and the assumptions in words.
import * as Plot from '@observablehq/plot';
import { defineReport } from '../src/reports/definition.js';
import { listVersions, type ModelVersion } from '../src/models/registry/index.js';
import { KIND, loadFit, type StoredFit } from '../src/models/mmm/train.js';
import { responseCurves, type CurvePoint } from '../src/models/mmm/curves.js';
import { optimizeBudget, type Proposal } from '../src/models/mmm/optimizer.js';
import { RHAT_MAX, ESS_MIN_PER_CHAIN } from '../src/models/mmm/summary.js';
import { DEFAULT_OPTIONS, type Priors } from '../src/models/mmm/spec.js';
import { int, num, pct } from './_format.js';
import { PALETTE } from '../src/reports/figure.js';

/** A channel keeps its colour in every chart: the palette after the baseline's. */
const CHANNEL_COLOURS = PALETTE.slice(1);

type Data = { version: ModelVersion; fit: StoredFit; curves: CurvePoint[]; proposal: Proposal | null };
type Iv = { mean: number; lower: number; upper: number };

const iv = (x: Iv, f: (v: number) => string) => `${f(x.mean)} [${f(x.lower)}, ${f(x.upper)}]`;
const n2 = (x: number) => num(x, 2);
const n3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '–');

export default defineReport<Data>({
  name: 'mmm',
  summary:
    'One report per marketing-mix model version: contributions over time, ROI and shares with intervals, response curves, carry-over, diagnostics, the optimizer’s proposal, assumptions.',
  parameter: {
    name: 'version',
    description: 'a marketing-mix model version',
    values: async (ctx) => (await listVersions(ctx.database, KIND)).map((v) => String(v.version)),
  },
  title: (param) => `Marketing-mix model v${param ?? '?'}`,
  async load(ctx, param) {
    const { fit, ...version } = await loadFit(ctx.database, Number(param));
    const level = fit.interval;
    const curves = responseCurves(fit.response, fit.currentSpend, { level });
    const budget = fit.currentSpend.reduce((a, b) => a + b, 0);
    // The same weekly budget as today, spread where the posterior expects the most KPI.
    let proposal: Proposal | null = null;
    try {
      proposal = optimizeBudget(fit.response, fit.currentSpend, { budget, bounds: {}, level });
    } catch {
      proposal = null;
    }
    const w = version.dataWindow as { from?: string; to?: string };
    return {
      data: { version, fit, curves, proposal },
      window: w.from && w.to ? { from: w.from, to: w.to } : null,
      models: [{ name: KIND, version: String(version.version) }],
      sources: [
        `model_versions (kind mmm; written by the mmm.fit job, model.refresh and attune mmm fit --dataset)`,
        `mmm_periods of data set "${fit.dataset}" (the weekly KPI and spend it was fitted on)`,
      ],
    };
  },
  render(doc, { version: v, fit, curves, proposal }) {
    const f = fit.fit;
    const d = f.diagnostics;
    const level = pct(fit.interval, 0);
    const chains = f.sampling.chains;
    const passed = (v.metrics as { diagnosticsPassed?: boolean }).diagnosticsPassed === true;
    doc.cards([
      { label: 'Status', value: v.status, note: v.reason, tone: passed ? 'good' : 'bad' },
      {
        label: 'R-hat (max)',
        value: n3(d.rhatMax),
        note: `must be ≤ ${RHAT_MAX}`,
        tone: d.rhatMax <= RHAT_MAX ? 'good' : 'bad',
      },
      {
        label: 'Effective draws (min bulk / tail)',
        value: `${int(d.essBulkMin)} / ${int(d.essTailMin)}`,
        note: `must be ≥ ${ESS_MIN_PER_CHAIN * chains} (${ESS_MIN_PER_CHAIN} per chain)`,
        tone: Math.min(d.essBulkMin, d.essTailMin) >= ESS_MIN_PER_CHAIN * chains ? 'good' : 'bad',
      },
      {
        label: 'Divergences',
        value: int(d.divergences),
        note: `of ${int(chains * f.sampling.draws)} draws`,
        tone: d.divergences === 0 ? 'good' : 'bad',
      },
      {
        label: 'Fit (in sample)',
        value: `R² ${n3(f.fit.r2)}`,
        note: `MAPE ${pct(f.fit.mape)}, NRMSE ${n3(f.fit.nrmse)}`,
      },
      ...(f.fit.holdout
        ? [
            {
              label: `Hold-out (last ${f.fit.holdout.periods} periods)`,
              value: `R² ${n3(f.fit.holdout.r2)}`,
              note: `MAPE ${pct(f.fit.holdout.mape)}, NRMSE ${n3(f.fit.holdout.nrmse)}`,
            },
          ]
        : []),
    ]);
    if (!passed)
      doc.callout(
        'bad',
        'The sampler’s diagnostics fail: read the numbers below as a draft',
        `${d.warnings.join('; ')}. A version whose diagnostics fail is never promoted; refit with more draws (or a higher target acceptance) before acting on it.`,
      );

    doc.section(
      'What each channel brought, week by week',
      `Posterior mean contribution of each channel stacked on the baseline (intercept, trend, seasonality and controls), with the observed KPI as a line. Data set "${fit.dataset}".`,
    );
    const channels = f.channels.map((c) => c.name);
    const stacked = fit.timeline.flatMap((t) => [
      { date: new Date(`${t.date}T00:00:00Z`), part: 'baseline', value: t.baseline },
      ...t.contributions.map((c, i) => ({
        date: new Date(`${t.date}T00:00:00Z`),
        part: channels[i]!,
        value: c.mean,
      })),
    ]);
    const observed = fit.timeline.map((t) => ({ date: new Date(`${t.date}T00:00:00Z`), kpi: t.kpi }));
    doc.figure({
      id: 'contributions',
      caption: 'Contributions over time (stacked, posterior means) and the observed KPI',
      description: `${fit.timeline.length} periods from ${fit.timeline[0]?.date ?? '–'} to ${fit.timeline.at(-1)?.date ?? '–'}; channels ${channels.join(', ')}.`,
      data: stacked,
      columns: [
        { label: 'Period', value: (r) => r.date.toISOString().slice(0, 10) },
        { label: 'Part', value: (r) => r.part },
        { label: 'Contribution', value: (r) => r.value },
      ],
      plot: ({ plot }) =>
        plot({
          height: 320,
          x: { type: 'utc', label: null },
          y: { label: '↑ KPI per period', grid: true },
          color: { legend: true, domain: ['baseline', ...channels], range: PALETTE },
          marks: [
            Plot.areaY(stacked, { x: 'date', y: 'value', fill: 'part', order: ['baseline', ...channels] }),
            Plot.line(observed, { x: 'date', y: 'kpi', stroke: 'currentColor', strokeWidth: 1 }),
            Plot.ruleY([0]),
          ],
        }),
    });

    doc.section(
      'Return on spend and share of media’s contribution',
      `ROI = a channel’s contribution summed over the fitted periods ÷ its spend over them (KPI units per spend unit). Share = its part of all channels’ contribution. Bars are ${level} equal-tailed credible intervals; dots are posterior means.`,
    );
    const perChannel = f.channels.flatMap((c) => [
      { channel: c.name, measure: 'ROI', ...c.roi },
      { channel: c.name, measure: 'Marginal ROI (+1% spend)', ...c.marginalRoi },
    ]);
    doc.figure({
      id: 'roi',
      caption: `ROI and marginal ROI per channel with ${level} intervals`,
      description: f.channels.map((c) => `${c.name}: ROI ${iv(c.roi, n2)}`).join('; '),
      data: perChannel,
      columns: [
        { label: 'Channel', value: (r) => r.channel },
        { label: 'Measure', value: (r) => r.measure },
        { label: 'Mean', value: (r) => r.mean },
        { label: 'Lower', value: (r) => r.lower },
        { label: 'Upper', value: (r) => r.upper },
      ],
      plot: ({ plot, marginLeft }) =>
        plot({
          height: 60 + 46 * channels.length,
          marginLeft: marginLeft(channels),
          x: { label: 'KPI per spend unit →', grid: true },
          y: { label: null, domain: channels },
          color: { legend: true },
          marks: [
            Plot.ruleX([0]),
            ...(['ROI', 'Marginal ROI (+1% spend)'] as const).flatMap((measure, k) => {
              const rows = perChannel.filter((r) => r.measure === measure);
              const dy = k === 0 ? -5 : 5;
              return [
                Plot.ruleY(rows, {
                  y: 'channel',
                  x1: 'lower',
                  x2: 'upper',
                  stroke: 'measure',
                  strokeWidth: 3,
                  dy,
                }),
                Plot.dot(rows, { y: 'channel', x: 'mean', fill: 'measure', dy }),
              ];
            }),
          ],
        }),
    });
    doc.figure({
      id: 'shares',
      caption: `Share of media’s contribution per channel with ${level} intervals, beside its share of spend`,
      description: f.channels
        .map((c) => `${c.name}: ${iv(c.share, (x) => pct(x))} of contribution`)
        .join('; '),
      data: f.channels.map((c) => ({
        channel: c.name,
        spendShare: c.spend / f.channels.reduce((a, x) => a + x.spend, 0),
        ...c.share,
      })),
      columns: [
        { label: 'Channel', value: (r) => r.channel },
        { label: 'Share of contribution', value: (r) => r.mean },
        { label: 'Lower', value: (r) => r.lower },
        { label: 'Upper', value: (r) => r.upper },
        { label: 'Share of spend', value: (r) => r.spendShare },
      ],
      plot: ({ plot, marginLeft }) => {
        const rows = f.channels.map((c) => ({
          channel: c.name,
          spendShare: c.spend / f.channels.reduce((a, x) => a + x.spend, 0),
          ...c.share,
        }));
        return plot({
          height: 60 + 34 * channels.length,
          marginLeft: marginLeft(channels),
          x: { label: 'share (%) →', percent: true, grid: true },
          y: { label: null, domain: channels },
          marks: [
            Plot.barX(rows, { y: 'channel', x: 'spendShare', fill: '#ccc', title: () => 'share of spend' }),
            Plot.ruleY(rows, { y: 'channel', x1: 'lower', x2: 'upper', strokeWidth: 3 }),
            Plot.dot(rows, { y: 'channel', x: 'mean', fill: 'currentColor' }),
          ],
        });
      },
    });
    doc.table(`Per channel (${level} intervals)`, f.channels, [
      { label: 'Channel', value: (c) => c.name },
      { label: 'Spend', value: (c) => num(c.spend, 0) },
      { label: 'Contribution', value: (c) => iv(c.contribution, (x) => num(x, 0)) },
      { label: 'ROI', value: (c) => iv(c.roi, n2) },
      { label: 'Marginal ROI', value: (c) => iv(c.marginalRoi, n2) },
      { label: 'Share', value: (c) => iv(c.share, (x) => pct(x)) },
    ]);

    doc.section(
      'Response curves',
      `Steady-state KPI per period each channel brings at a constant spend per period, from nothing to 2.5× today’s (today = its mean spend per period over the fitted data, marked with a dot); bands are ${level} intervals. Where a curve flattens, the next unit of spend buys less.`,
    );
    const today = curves.filter((p) => p.multiple === 1);
    doc.figure({
      id: 'response',
      caption: 'Response curves per channel, today’s spend marked',
      description: today
        .map((p) => `${p.channel}: ${n2(p.mean)} per period at today’s ${num(p.spend, 2)}`)
        .join('; '),
      data: curves,
      columns: [
        { label: 'Channel', value: (p) => p.channel },
        { label: 'Spend per period', value: (p) => p.spend },
        { label: '× today', value: (p) => p.multiple },
        { label: 'KPI per period', value: (p) => p.mean },
        { label: 'Lower', value: (p) => p.lower },
        { label: 'Upper', value: (p) => p.upper },
      ],
      plot: ({ plot }) =>
        plot({
          height: 300,
          x: { label: 'spend per period, as a multiple of today’s →' },
          y: { label: '↑ KPI per period', grid: true },
          color: { legend: true, domain: channels, range: CHANNEL_COLOURS },
          marks: [
            Plot.areaY(curves, {
              x: 'multiple',
              y1: 'lower',
              y2: 'upper',
              fill: 'channel',
              fillOpacity: 0.15,
            }),
            Plot.line(curves, { x: 'multiple', y: 'mean', stroke: 'channel' }),
            Plot.ruleX([1], { stroke: '#999', strokeDasharray: '4 3' }),
            Plot.dot(today, { x: 'multiple', y: 'mean', fill: 'channel', r: 4 }),
          ],
        }),
    });

    doc.section(
      'Carry-over (adstock)',
      `The weight each period’s spend keeps in later periods (${f.model.adstock} adstock over up to ${f.model.maxLag} periods), posterior mean with ${level} intervals.`,
    );
    const decay = f.channels.flatMap((c) =>
      c.adstock.weights.map((w, lag) => ({ channel: c.name, lag, ...w })),
    );
    doc.figure({
      id: 'adstock',
      caption: 'Adstock weight by lag per channel',
      description: f.channels
        .map((c) => `${c.name}: mean lag ${iv(c.adstock.meanLag, (x) => num(x, 1))} periods`)
        .join('; '),
      data: decay,
      columns: [
        { label: 'Channel', value: (r) => r.channel },
        { label: 'Lag', value: (r) => r.lag },
        { label: 'Weight', value: (r) => r.mean },
        { label: 'Lower', value: (r) => r.lower },
        { label: 'Upper', value: (r) => r.upper },
      ],
      plot: ({ plot }) =>
        plot({
          height: 260,
          x: { label: 'lag (periods) →' },
          y: { label: '↑ weight', grid: true },
          color: { legend: true, domain: channels, range: CHANNEL_COLOURS },
          marks: [
            Plot.areaY(decay, { x: 'lag', y1: 'lower', y2: 'upper', fill: 'channel', fillOpacity: 0.12 }),
            Plot.line(decay, { x: 'lag', y: 'mean', stroke: 'channel', marker: 'dot' }),
            Plot.ruleY([0]),
          ],
        }),
    });

    doc.section(
      'Where the same budget would go',
      `The optimizer spreads today’s total spend per period over the channels to maximise the expected KPI over the posterior draws, then scores the proposal and today’s allocation on every draw (${level} intervals).`,
    );
    if (!proposal) doc.callout('info', 'No proposal', 'the optimizer could not place today’s budget.');
    else {
      doc.cards([
        {
          label: 'Expected KPI from media per period',
          value: iv(proposal.kpi, (x) => num(x, 1)),
          note: `today ${iv(proposal.currentKpi, (x) => num(x, 1))}`,
        },
        {
          label: 'Uplift per period',
          value: iv(proposal.uplift, (x) => num(x, 1)),
          note: `better than today in ${pct(proposal.chanceBetter, 0)} of draws`,
          tone: proposal.chanceBetter >= 0.9 ? 'good' : 'warn',
        },
      ]);
      const bars = proposal.allocations.flatMap((a) => [
        { channel: a.channel, allocation: 'today', spend: a.current },
        { channel: a.channel, allocation: 'proposed', spend: a.proposed },
      ]);
      doc.figure({
        id: 'proposal',
        caption: 'Spend per period per channel: today and proposed',
        description: proposal.allocations
          .map((a) => `${a.channel}: ${num(a.current, 2)} → ${num(a.proposed, 2)}`)
          .join('; '),
        data: bars,
        columns: [
          { label: 'Channel', value: (r) => r.channel },
          { label: 'Allocation', value: (r) => r.allocation },
          { label: 'Spend per period', value: (r) => r.spend },
        ],
        plot: ({ plot, marginLeft }) =>
          plot({
            height: 40 + 50 * channels.length,
            marginLeft: marginLeft(['proposed']),
            marginRight: marginLeft(channels),
            x: { label: 'spend per period →', grid: true },
            y: { label: null, domain: ['today', 'proposed'] },
            fy: { label: null, domain: channels },
            color: { legend: true, domain: ['today', 'proposed'] },
            marks: [
              Plot.barX(bars, { fy: 'channel', y: 'allocation', x: 'spend', fill: 'allocation' }),
              Plot.ruleX([0]),
            ],
          }),
      });
      doc.table('The proposal per channel', proposal.allocations, [
        { label: 'Channel', value: (a) => a.channel },
        { label: 'Today', value: (a) => num(a.current, 2) },
        { label: 'Proposed', value: (a) => num(a.proposed, 2) },
        { label: 'KPI per period', value: (a) => iv(a.kpi, (x) => num(x, 1)) },
        { label: 'Marginal ROI there', value: (a) => iv(a.marginalRoi, n2) },
      ]);
      for (const note of proposal.notes) doc.callout('info', 'Note', note);
    }

    doc.section('Diagnostics', 'How far the sampler can be trusted, as measured on this run.');
    doc.table(
      'Sampler and fit',
      [
        [
          'Chains × draws (warm-up)',
          `${chains} × ${f.sampling.draws} (${f.sampling.warmup}), seed ${f.sampling.seed}`,
        ],
        ['R-hat, max over parameters (rank-normalised, split)', n3(d.rhatMax)],
        ['Bulk / tail ESS, min over parameters', `${int(d.essBulkMin)} / ${int(d.essTailMin)}`],
        ['Divergent transitions', int(d.divergences)],
        ['Tree depth, max (hits of the limit)', `${d.treeDepthMax} (${d.treeDepthHits})`],
        ['Posterior predictive coverage of the observed KPI', pct(f.fit.ppcCoverage)],
        ['Sampling time, gradients', `${num(d.seconds, 1)} s; ${d.backend}`],
        ['Warnings', d.warnings.length ? d.warnings.join('; ') : 'none'],
      ] as [string, string][],
      [
        { label: 'Check', value: (r) => r[0] },
        { label: 'Value', value: (r) => r[1] },
      ],
    );

    doc.section('What this model assumes');
    const roiPriors = Object.entries(f.model.priors.roi);
    doc.list([
      `KPI per period = baseline (intercept, a linear trend, ${DEFAULT_OPTIONS.harmonics} yearly Fourier harmonics and the controls) + the sum over channels of β × saturation(adstock(spend)), with Normal noise of one constant size.`,
      `Carry-over is ${f.model.adstock} adstock over at most ${f.model.maxLag} periods; diminishing returns are ${f.model.saturation} saturation. Both are the same every period: a channel’s effectiveness does not change over the data window.`,
      ...saturationPriorInWords(f.model),
      `Channels add up: no channel changes another’s effect (no synergy), and price, promotions and events enter only as the controls given.`,
      roiPriors.length
        ? `ROI priors from experiments calibrate ${roiPriors.map(([c, p]) => `${c} (mean ${p.mean}, sd ${p.sd})`).join(', ')}; the other channels share one weak prior: media drive a median ${pct(f.model.priors.contributionFraction.median, 0)} of the KPI, split in proportion to spend.`
        : `Every channel has the same weak ROI prior: media drive a median ${pct(f.model.priors.contributionFraction.median, 0)} of the KPI, split in proportion to spend. No experiment calibrates a channel.`,
      'The model reads how the KPI moved when spend moved. Spend that barely moves gives wide intervals; anything that drives both spend and the KPI (a season the budget follows, demand the bidding chases) and is not a control is credited to media. A lift test’s ROI as a prior is the remedy.',
      `Response curves and the proposal assume spend per period held constant long enough for carry-over to build up, and read the model outside the spend it has seen with less certainty than the intervals show.`,
      `Intervals are ${level} equal-tailed credible intervals over ${int(chains * f.sampling.draws)} posterior draws; the response draws kept for curves and the optimizer are a thinned ${int(fit.response.draws.length)}.`,
    ]);
    return { subtitle: `${v.status}, fitted ${v.createdAt.slice(0, 10)} on "${fit.dataset}"` };
  },
});

/** The Hill prior in words (fits recorded before it existed have none to state). */
function saturationPriorInWords(model: { saturation: string; priors: Partial<Priors> }): string[] {
  const p = model.priors.saturationLogit;
  if (model.saturation !== 'hill' || !p) return [];
  const at = (z: number) => pct(1 / (1 + Math.exp(-(p.mean + z * p.sd))), 0);
  return [
    `Before the data, a channel’s saturation at the spend it usually gets is ${at(0)} (median), ${at(-1.645)}–${at(1.645)} with 90% prior probability; the data move it where they can.`,
  ];
}
