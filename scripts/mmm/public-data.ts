// `npx tsx scripts/mmm/public-data.ts [--chains 4 --draws 1000 --warmup 1000] [--lift-sd 0.1]`: the MMM
// on PyMC-Marketing's two public data sets (fixtures/mmm/README.md), each against its published
// generating process, and on the confounded one with and without an ROI prior from a lift test.
//
// mmm_example.csv: y = A·(2 + trend + seasonality + 1.5·event_1 + 2.5·event_2 + 3·s1 + 2·s2 + ε),
// s1 = logistic(normalised geometric adstock(x1, α 0.4, 8 lags), λ 4), s2 the same with α 0.2, λ 3,
// ε ~ N(0, 0.25²) (the example notebook). The CSV keeps y after an unstated scale A, so A is
// estimated here by least squares on the known deterministic part; the residual sd / A ≈ 0.25
// confirms the reconstruction. True contribution of x1 = A·3·s1 (x2: A·2·s2).
// mmm_roas_data.csv: true contributions per week from the upstream columns x1_effect and x2_effect
// (= y − y01 and y − y02), kept in fixtures/mmm/mmm_roas_truth.csv.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { readMmmData, parseCsv, type MmmData } from '../../src/models/mmm/data.js';
import { fitMmm } from '../../src/models/mmm/fit.js';
import { useBackend } from '../../src/models/mmm/tf.js';
import type { ModelOptions } from '../../src/models/mmm/spec.js';
import { DEFAULT_PRIORS } from '../../src/models/mmm/spec.js';

const { values } = parseArgs({
  options: {
    chains: { type: 'string', default: '4' },
    draws: { type: 'string', default: '1000' },
    warmup: { type: 'string', default: '1000' },
    'lift-sd': { type: 'string', default: '0.1' },
    only: { type: 'string', default: 'example,roas,roas-lift' },
  },
});
const sampling = {
  chains: Number(values.chains),
  draws: Number(values.draws),
  warmup: Number(values.warmup),
  seed: 1,
};
const read = (f: string) => fs.readFileSync(new URL(`../../fixtures/mmm/${f}`, import.meta.url), 'utf8');
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

function normalisedGeometric(x: number[], alpha: number, lags: number): number[] {
  const w = Array.from({ length: lags }, (_, l) => alpha ** l);
  const total = sum(w);
  return x.map((_, t) => w.reduce((a, wl, l) => a + (t - l >= 0 ? wl * x[t - l]! : 0), 0) / total);
}
const logistic = (x: number, lam: number) => (1 - Math.exp(-lam * x)) / (1 + Math.exp(-lam * x));

/** The example's published process: the true weekly contribution of x1 and x2 (and A, the scale). */
function exampleTruth(data: MmmData) {
  const rows = parseCsv(read('mmm_example.csv')).slice(1);
  const n = rows.length;
  const doy = rows.map((r) => Number(r[6]));
  const s1 = normalisedGeometric(data.spend[0]!, 0.4, 8).map((x) => logistic(x, 4));
  const s2 = normalisedGeometric(data.spend[1]!, 0.2, 8).map((x) => logistic(x, 3));
  const det = rows.map((_, t) => {
    const trend = ((50 * t) / (n - 1) + 10) ** 0.25 - 1;
    const season =
      0.5 * (-Math.sin((2 * 2 * Math.PI * doy[t]!) / 365.5) + Math.cos((2 * Math.PI * doy[t]!) / 365.5));
    return (
      2 + trend + season + 1.5 * data.controls[0]![t]! + 2.5 * data.controls[1]![t]! + 3 * s1[t]! + 2 * s2[t]!
    );
  });
  const A = sum(det.map((d, t) => d * data.kpi[t]!)) / sum(det.map((d) => d * d));
  const residualSd = Math.sqrt(sum(det.map((d, t) => (data.kpi[t]! / A - d) ** 2)) / (n - 1));
  return { A, residualSd, contributions: [s1.map((s) => A * 3 * s), s2.map((s) => A * 2 * s)] };
}

function roasTruth(data: MmmData) {
  const rows = parseCsv(read('mmm_roas_truth.csv')).slice(1);
  rows.forEach((r, t) => {
    if (r[0] !== data.dates[t])
      throw new Error(`mmm_roas_truth.csv row ${t + 2}: ${r[0]} ≠ ${data.dates[t]}`);
  });
  return { contributions: [rows.map((r) => Number(r[1])), rows.map((r) => Number(r[2]))] };
}

function report(name: string, data: MmmData, truth: number[][], options: Partial<ModelOptions>) {
  const started = performance.now();
  const fit = fitMmm(data, options, sampling, (p) =>
    process.stderr.write(`\r${name} ${p.phase} ${p.iteration}/${p.total}   `),
  );
  const wall = (performance.now() - started) / 1000;
  const d = fit.diagnostics;
  const totalTrue = sum(truth.map(sum));
  process.stdout.write(
    `\n${name}: ${wall.toFixed(0)} s, R-hat ${d.rhatMax.toFixed(3)}, ESS bulk/tail ${d.essBulkMin.toFixed(0)}/${d.essTailMin.toFixed(0)}, ` +
      `${d.divergences} divergences, R² ${fit.outputs.fit.r2.toFixed(3)}, MAPE ${(100 * fit.outputs.fit.mape).toFixed(1)}%\n`,
  );
  fit.outputs.channels.forEach((c, i) => {
    const trueRoi = sum(truth[i]!) / sum(data.spend[i]!);
    const trueShare = sum(truth[i]!) / totalTrue;
    const covered = c.roi.lower <= trueRoi && trueRoi <= c.roi.upper;
    process.stdout.write(
      `  | ${name} | ${c.name} | ${c.roi.mean.toFixed(2)} [${c.roi.lower.toFixed(2)}, ${c.roi.upper.toFixed(2)}] | ${trueRoi.toFixed(2)} | ${covered ? 'yes' : 'no'} | ` +
        `${c.share.mean.toFixed(3)} [${c.share.lower.toFixed(3)}, ${c.share.upper.toFixed(3)}] | ${trueShare.toFixed(3)} |\n`,
    );
  });
  return fit;
}

await useBackend('wasm');
const only = values.only.split(',');
if (only.includes('example')) {
  const data = readMmmData(read('mmm_example.csv'), {
    dateColumn: 'date_week',
    kpi: 'y',
    channels: ['x1', 'x2'],
    controls: ['event_1', 'event_2'],
  });
  const truth = exampleTruth(data);
  process.stdout.write(
    `mmm_example: scale A = ${truth.A.toFixed(1)}, residual sd / A = ${truth.residualSd.toFixed(3)} (the process says 0.25)\n`,
  );
  report('example (normalised geometric, logistic)', data, truth.contributions, {
    adstock: 'geometric-normalized',
    saturation: 'logistic',
  });
}
const roasData = readMmmData(read('mmm_roas_data.csv'), {
  dateColumn: 'date',
  kpi: 'y',
  channels: ['x1', 'x2'],
});
const roas = roasTruth(roasData);
if (only.includes('roas')) report('roas (no calibration)', roasData, roas.contributions, {});
if (only.includes('roas-lift')) {
  // A lift test on x1 that measured its true ROI with a relative standard error of --lift-sd.
  const trueRoi = sum(roas.contributions[0]!) / sum(roasData.spend[0]!);
  const sd = Number(values['lift-sd']) * trueRoi;
  process.stdout.write(`\nlift test on x1: ROI prior mean ${trueRoi.toFixed(1)}, sd ${sd.toFixed(1)}\n`);
  report('roas (x1 calibrated by a lift test)', roasData, roas.contributions, {
    priors: { ...DEFAULT_PRIORS, roi: { x1: { mean: trueRoi, sd } } },
  });
}
