// `attune mmm fit` and `attune mmm optimize`: a Bayesian marketing-mix model sampled by NUTS on
// tfjs, and the budget optimizer over its posterior draws. See README "Marketing-mix model".
import fs from 'node:fs';
import path from 'node:path';
import {
  JSON_FLAG,
  UsageError,
  printJson,
  printTable,
  readInputText,
  requireString,
  type Command,
} from '../command.js';
import { readMmmData } from '../../models/mmm/data.js';
import { withDatabase } from '../context.js';
import { importDataset, listDatasets } from '../../models/mmm/store.js';
import { FitRequestSchema } from '../../models/mmm/schemas.js';
import { championVersion, fitDataset, loadFit } from '../../models/mmm/train.js';
import type { SampleProgress } from '../../models/mmm/sample.js';
import type { SavedModel } from '../../models/mmm/result.js';
import { fitMmm, type MmmFit } from '../../models/mmm/fit.js';
import { optimizeBudget, parseBounds } from '../../models/mmm/optimizer.js';
import {
  DEFAULT_OPTIONS,
  DEFAULT_PRIORS,
  minimumRows,
  type AdstockKind,
  type SaturationKind,
} from '../../models/mmm/spec.js';
import { toFitJson, toSavedModel, parseSavedModel } from '../../models/mmm/result.js';
import { useBackend, type BackendName } from '../../models/mmm/tf.js';

const list = (v: unknown) =>
  typeof v === 'string'
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
function int(values: Record<string, unknown>, name: string, fallback: number): number {
  const v = values[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(`--${name} must be a whole number, got "${v as string}".`);
  return n;
}
function number(values: Record<string, unknown>, name: string): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got "${v as string}".`);
  return n;
}

/** `search=2.1:0.4,social=...` → ROI priors (mean:sd in KPI units per spend unit). */
function parseRoiPriors(text: unknown) {
  const out: Record<string, { mean: number; sd: number }> = {};
  for (const part of list(text)) {
    const m = /^([^=]+)=([\d.]+):([\d.]+)$/.exec(part);
    if (!m || !(Number(m[2]) > 0) || !(Number(m[3]) > 0))
      throw new UsageError(`--roi-prior "${part}" should look like channel=mean:sd with both positive.`);
    out[m[1]!] = { mean: Number(m[2]), sd: Number(m[3]) };
  }
  return out;
}

function gradientOf(v: unknown): 'fused' | 'tfjs' {
  if (v === undefined) return 'fused';
  if (v === 'fused' || v === 'tfjs') return v;
  throw new UsageError(`--gradient must be fused or tfjs, got "${v as string}".`);
}

/** Spend per period: whole units when large, three significant digits when spend is scaled small. */
const spendText = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3));
const fmt = (x: { mean: number; lower: number; upper: number }, d = 2) =>
  `${x.mean.toFixed(d)} [${x.lower.toFixed(d)}, ${x.upper.toFixed(d)}]`;

/** One stderr line per progress tick: phase, iteration, and each chain's step size, depth and divergences. */
function chainProgress(started: number) {
  return (p: SampleProgress) => {
    const chains = p.chains
      .map(
        (c, i) =>
          `chain ${i + 1}: ε=${c.stepSize.toPrecision(2)} depth ${c.meanTreeDepth.toFixed(1)} div ${c.divergences}`,
      )
      .join(' | ');
    process.stderr.write(
      `\r${p.phase} ${p.iteration}/${p.total} ${((Date.now() - started) / 1000).toFixed(0)}s  ${chains}   `,
    );
  };
}

/** `mmm fit --dataset NAME`: the stored data, recorded in the model registry (kind mmm). */
async function fitStored(
  values: Record<string, string | boolean | undefined>,
  dataset: string,
): Promise<number> {
  const parsed = FitRequestSchema.safeParse({
    dataset,
    ...(values.adstock !== undefined ? { adstock: values.adstock } : {}),
    ...(values.saturation !== undefined ? { saturation: values.saturation } : {}),
    maxLag: int(values, 'max-lag', DEFAULT_OPTIONS.maxLag),
    holdout: int(values, 'holdout', 0),
    roiPriors: parseRoiPriors(values['roi-prior']),
    chains: int(values, 'chains', 4),
    draws: int(values, 'draws', 1000),
    warmup: int(values, 'warmup', 1000),
    seed: int(values, 'seed', 1),
    ...(values['target-accept'] ? { targetAccept: number(values, 'target-accept') } : {}),
    interval: number(values, 'interval') ?? 0.9,
  });
  if (!parsed.success)
    throw new UsageError(
      parsed.error.issues.map((i) => `--${String(i.path[0] ?? '')}: ${i.message}`).join('; '),
    );
  const started = Date.now();
  const r = await withDatabase('attune mmm fit', (database) =>
    fitDataset(database, parsed.data, { actor: 'cli', onSample: chainProgress(started) }),
  );
  process.stderr.write('\n');
  if (values.json) printJson(r);
  else {
    const m = r.metrics as { rhatMax: number; essBulkMin: number; divergences: number; r2: number };
    process.stdout.write(
      `mmm v${r.version}: ${r.promoted ? 'promoted' : 'kept as challenger'} (${r.reason}); R-hat ${m.rhatMax.toFixed(3)}, ESS bulk ${m.essBulkMin.toFixed(0)}, ${m.divergences} divergences, R² ${m.r2.toFixed(3)}\n` +
        `results: attune models show mmm ${r.version} · GET /v1/mmm/models/${r.version} · report mmm--${r.version}.html\n`,
    );
  }
  for (const w of r.warnings) process.stderr.write(`warning: ${w}\n`);
  return 0;
}

async function fit(values: Record<string, string | boolean | undefined>): Promise<number> {
  if (typeof values.dataset === 'string') return fitStored(values, values.dataset);
  const file = requireString(values, 'data');
  const channels = list(requireString(values, 'channels'));
  const controls = list(values.controls);
  const adstock = (values.adstock ?? 'geometric') as AdstockKind;
  if (!['geometric', 'geometric-normalized', 'weibull'].includes(adstock))
    throw new UsageError(`--adstock must be geometric, geometric-normalized or weibull, got "${adstock}".`);
  const saturation = (values.saturation ?? 'hill') as SaturationKind;
  if (!['hill', 'logistic'].includes(saturation))
    throw new UsageError(`--saturation must be hill or logistic.`);
  const roi = parseRoiPriors(values['roi-prior']);
  const unknownRoi = Object.keys(roi).filter((c) => !channels.includes(c));
  if (unknownRoi.length)
    throw new UsageError(`--roi-prior names ${unknownRoi.join(', ')}, not among --channels.`);
  const options = {
    ...DEFAULT_OPTIONS,
    adstock,
    saturation,
    maxLag: int(values, 'max-lag', DEFAULT_OPTIONS.maxLag),
    holdout: int(values, 'holdout', 0),
    priors: { ...DEFAULT_PRIORS, roi },
  };
  const interval = number(values, 'interval') ?? 0.9;
  if (!(interval > 0 && interval < 1)) throw new UsageError('--interval must be between 0 and 1, e.g. 0.9.');
  const data = readMmmData(
    readInputText(file),
    {
      dateColumn: requireString(values, 'date-column'),
      kpi: requireString(values, 'kpi'),
      channels,
      controls,
    },
    minimumRows(options, channels.length, controls.length),
  );
  await useBackend((values.backend ?? 'wasm') as BackendName);
  const sampling = {
    chains: int(values, 'chains', 4),
    draws: int(values, 'draws', 1000),
    warmup: int(values, 'warmup', 1000),
    seed: int(values, 'seed', 1),
    ...(values['target-accept'] ? { targetAccept: number(values, 'target-accept')! } : {}),
    gradient: gradientOf(values.gradient),
  };
  const started = Date.now();
  const result: MmmFit = fitMmm(data, options, sampling, chainProgress(started), interval);
  process.stderr.write('\n');
  const json = toFitJson(result);
  if (typeof values.out === 'string') {
    fs.mkdirSync(values.out, { recursive: true });
    fs.writeFileSync(
      path.join(values.out, 'fit.json'),
      JSON.stringify({ ...json, timeline: result.outputs.timeline }, null, 1),
    );
    fs.writeFileSync(path.join(values.out, 'model.json'), JSON.stringify(toSavedModel(result)));
  }
  if (values.json) printJson(json);
  else {
    printTable(
      json.channels.map((c) => ({
        channel: c.name,
        roi: fmt(c.roi),
        share: fmt(c.share),
        'marginal roi': fmt(c.marginalRoi),
      })),
      ['channel', 'roi', 'share', 'marginal roi'],
    );
    const d = json.diagnostics;
    process.stdout.write(
      `R-hat max ${d.rhatMax.toFixed(3)}, ESS bulk min ${d.essBulkMin.toFixed(0)}, tail min ${d.essTailMin.toFixed(0)}, ` +
        `${d.divergences} divergences, ${d.seconds.toFixed(0)} s, gradients ${d.backend}; R² ${json.fit.r2.toFixed(3)}, MAPE ${(100 * json.fit.mape).toFixed(1)}%\n`,
    );
  }
  for (const w of json.diagnostics.warnings) process.stderr.write(`warning: ${w}\n`);
  return 0;
}

/** `--model` is a registry version (a number, or `champion`) or a model.json written by `fit --out`. */
async function loadModel(ref: string): Promise<SavedModel> {
  if (!/^(\d+|champion)$/.test(ref)) return parseSavedModel(readInputText(ref));
  return withDatabase('attune mmm optimize', async (database) => {
    const version = ref === 'champion' ? await championVersion(database) : Number(ref);
    if (version === null) throw new UsageError('No MMM version is the champion yet; pass a version number.');
    return (await loadFit(database, version)).fit;
  });
}

async function optimize(values: Record<string, string | boolean | undefined>): Promise<number> {
  const saved = await loadModel(requireString(values, 'model'));
  const budget = number(values, 'budget');
  const targetRoi = number(values, 'target-roi');
  if (budget === undefined && targetRoi === undefined)
    throw new UsageError('Give --budget N (weekly) or --target-roi R.');
  let proposal;
  try {
    proposal = optimizeBudget(saved.response, saved.currentSpend, {
      ...(budget !== undefined ? { budget } : {}),
      ...(targetRoi !== undefined ? { targetRoi } : {}),
      bounds: parseBounds(typeof values.bounds === 'string' ? values.bounds : undefined),
      level: saved.interval,
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.json) printJson(proposal);
  else {
    printTable(
      proposal.allocations.map((a) => ({
        channel: a.channel,
        current: spendText(a.current),
        proposed: spendText(a.proposed),
        'weekly kpi': fmt(a.kpi, 1),
        'marginal roi': fmt(a.marginalRoi),
      })),
      ['channel', 'current', 'proposed', 'weekly kpi', 'marginal roi'],
    );
    process.stdout.write(
      `weekly KPI from media ${fmt(proposal.kpi, 1)} vs ${fmt(proposal.currentKpi, 1)} today; uplift ${fmt(proposal.uplift, 1)}, better in ${(100 * proposal.chanceBetter).toFixed(0)}% of draws\n`,
    );
    for (const n of proposal.notes) process.stdout.write(`note: ${n}\n`);
  }
  return 0;
}

/** `mmm import`: a CSV of weekly KPI and spend into a stored data set (checked as `fit` checks a file). */
async function importCsv(values: Record<string, string | boolean | undefined>): Promise<number> {
  const dataset = requireString(values, 'dataset');
  const file = requireString(values, 'data');
  const columns = {
    dateColumn: requireString(values, 'date-column'),
    kpi: requireString(values, 'kpi'),
    channels: list(requireString(values, 'channels')),
    controls: list(values.controls),
  };
  const r = await withDatabase('attune mmm import', (database) =>
    importDataset(database, dataset, readInputText(file), columns, {
      actor: 'cli',
      replace: values.replace === true,
    }),
  );
  if (values.json) printJson(r);
  else
    process.stdout.write(
      `${r.dataset.name}: ${r.inserted} period(s) added, ${r.updated} replaced; ${r.dataset.periods} stored from ${r.dataset.from} to ${r.dataset.to} ` +
        `(KPI ${r.dataset.kpi}; channels ${r.dataset.channels.join(', ')}${r.dataset.controls.length ? `; controls ${r.dataset.controls.join(', ')}` : ''})\n`,
    );
  return 0;
}

async function datasets(values: Record<string, string | boolean | undefined>): Promise<number> {
  const all = await withDatabase('attune mmm datasets', (database) => listDatasets(database));
  if (values.json) printJson({ datasets: all });
  else
    printTable(
      all.map((d) => ({
        dataset: d.name,
        periods: String(d.periods),
        from: d.from ?? '',
        to: d.to ?? '',
        kpi: d.kpi,
        channels: d.channels.join(','),
      })),
      ['dataset', 'periods', 'from', 'to', 'kpi', 'channels'],
    );
  return 0;
}

export const mmmCommand: Command = {
  name: 'mmm',
  summary: 'Fit a Bayesian marketing-mix model (NUTS on tfjs) and optimise a budget over its posterior.',
  usage:
    'mmm import --dataset NAME --data FILE.csv --date-column COL --kpi COL --channels a,b [--controls c,d] [--replace] [--json]\n' +
    '       mmm datasets [--json]\n' +
    '       mmm fit --dataset NAME [sampling and model flags as below] [--json]   (stored data; recorded in the model registry)\n' +
    '       mmm fit --data FILE.csv --date-column COL --kpi COL --channels a,b [--controls c,d] [--chains 4 --draws 1000 --warmup 1000 --seed N] [--interval 0.9] [--json] [--out DIR]\n' +
    '       mmm optimize --model (VERSION | champion | DIR/model.json) (--budget N | --target-roi R) [--bounds ch=min:max,...] [--json]',
  help: 'Spend columns hold spend per period; the budget is per period (week for weekly data). See README "Marketing-mix model".',
  flags: {
    data: { type: 'string', description: 'CSV with one row per week (or day)' },
    dataset: { type: 'string', description: 'import/fit: a stored data set name (lower-case, - or _)' },
    replace: { type: 'boolean', description: 'import: drop the stored rows and column roles first' },
    'date-column': { type: 'string', description: 'date column (ISO dates, no gaps)' },
    kpi: { type: 'string', description: 'KPI column (revenue or conversions)' },
    channels: { type: 'string', description: 'spend columns, comma-separated' },
    controls: { type: 'string', description: 'control columns (events, price, ...), comma-separated' },
    adstock: { type: 'string', description: 'geometric (default), geometric-normalized or weibull' },
    saturation: { type: 'string', description: 'hill (default) or logistic' },
    'max-lag': { type: 'string', description: 'longest carry-over in periods (default 8)' },
    'roi-prior': { type: 'string', description: 'channel=mean:sd,... ROI priors, e.g. from lift tests' },
    holdout: { type: 'string', description: 'final periods held out of the fit and predicted (default 0)' },
    chains: { type: 'string', description: 'chains (default 4)' },
    draws: { type: 'string', description: 'draws per chain after warm-up (default 1000)' },
    warmup: { type: 'string', description: 'warm-up iterations per chain (default 1000)' },
    seed: { type: 'string', description: 'random seed (default 1)' },
    'target-accept': { type: 'string', description: 'NUTS target acceptance (default 0.8)' },
    interval: { type: 'string', description: 'credible interval level (default 0.9)' },
    backend: { type: 'string', description: 'tfjs backend: wasm (default) or cpu' },
    gradient: {
      type: 'string',
      description: 'NUTS gradients: fused (default, hand-derived Float64) or tfjs (autodiff on --backend)',
    },
    out: { type: 'string', description: 'directory for fit.json and model.json' },
    model: {
      type: 'string',
      description: 'optimize: a registry version (or champion), or a model.json written by fit --out',
    },
    budget: { type: 'string', description: 'optimize: total spend per period' },
    'target-roi': { type: 'string', description: 'optimize: add spend while marginal ROI ≥ this' },
    bounds: { type: 'string', description: 'optimize: ch=min:max,... per-period spend bounds' },
    ...JSON_FLAG,
  },
  async run({ values, positionals }) {
    const [action] = positionals;
    if (action === 'fit') return fit(values);
    if (action === 'optimize') return optimize(values);
    if (action === 'import') return importCsv(values);
    if (action === 'datasets') return datasets(values);
    throw new UsageError(`Unknown action "${action ?? ''}": use mmm import, datasets, fit or optimize.`);
  },
};
