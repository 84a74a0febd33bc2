// `attune propensity fit`: train the propensity candidates on a table an analyst brings (a CRM
// export) and compare them on a test file; `--save NAME` registers the winner in the registry.
import {
  JSON_FLAG,
  UsageError,
  printJson,
  printTable,
  readInputText,
  requireString,
  type Command,
} from '../command.js';
import { withDatabase } from '../context.js';
import { createProgress } from '../progress.js';
import { fitTable, type TableFit } from '../../models/propensity/fit-table.js';
import { TableError, encode, parseCsvTable, type Encoder } from '../../ml/table/index.js';
import { loadClassifier, type Artifact } from '../../ml/classifiers/index.js';
import { standardize, type Standardizer } from '../../ml/preprocess.js';
import { calibration, rocAuc } from '../../ml/metrics/index.js';
import { champion, decidePromotion, recordVersion } from '../../models/registry/index.js';
import { runtimeInfo } from '../../ml/runtime/index.js';

const list = (v: unknown) =>
  typeof v === 'string'
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;
const f4 = (x: number) => x.toFixed(4);

type TableArtifact = { classifier: Artifact; standardizer: Standardizer; encoder: Encoder };

async function save(name: string, fit: TableFit, testText: string, testName: string, started: number) {
  return withDatabase('attune propensity fit --save', async (database) => {
    const current = await champion(database, name);
    let previous: { version: number; auc: number; ece: number } | null = null;
    if (current) {
      // The champion re-scored on this test table, with its own encoder, so the gate compares like with like.
      const a = current.artifact as unknown as TableArtifact;
      try {
        const t = encode(a.encoder, parseCsvTable(testText, testName));
        const model = await loadClassifier(a.classifier);
        const p = await model.predict(standardize(a.standardizer, t.X));
        model.dispose();
        previous = { version: current.version, auc: rocAuc(t.y, p), ece: calibration(t.y, p).ece };
      } catch (err) {
        if (!(err instanceof TableError)) throw err;
        previous = { version: current.version, auc: Number.NEGATIVE_INFINITY, ece: Number.POSITIVE_INFINITY };
      }
    }
    const best = fit.models.find((m) => m.kind === fit.best.kind)!;
    const decision = decidePromotion({ auc: best.auc, ece: fit.winner.ece }, previous);
    const info = runtimeInfo();
    return recordVersion(database, {
      kind: name,
      algorithm: best.kind,
      reason: decision.reason,
      promote: decision.promote,
      dataWindow: { trainRows: fit.rows.train, testRows: fit.rows.test, source: 'table' },
      features: { names: fit.winner.encoder.features, setVersion: 0 },
      params: fit.winner.classifier.describe(),
      metrics: {
        auc: best.auc,
        prAuc: best.prAuc,
        logLoss: best.logLoss,
        brier: best.brier,
        ece: fit.winner.ece,
        candidates: fit.models,
      },
      runtime: {
        backend: info?.backend ?? 'unknown',
        device: info?.device ?? 'unknown',
        threads: info?.threads ?? 0,
      },
      durationMs: Math.round(performance.now() - started),
      artifact: {
        classifier: await fit.winner.classifier.save(),
        standardizer: fit.winner.standardizer,
        encoder: fit.winner.encoder,
      },
      trainedBy: 'cli',
    });
  });
}

export const propensityCommand: Command = {
  name: 'propensity',
  summary: 'Train propensity candidates on your own table (a row per customer) and compare them.',
  usage:
    'propensity fit --train FILE.csv --test FILE.csv --label COL [--positive VALUE] [--drop COL,...] [--save NAME] [--json]',
  help: 'Numeric and categorical columns are detected and encoded, missing values imputed with an indicator. --json prints {rows, models: [{kind, auc, prAuc, logLoss, brier, fitSeconds, backend}], best: {kind, auc}}.',
  flags: {
    train: { type: 'string', description: 'CSV to train on' },
    test: { type: 'string', description: 'CSV to compare on' },
    label: { type: 'string', description: 'the 0/1 (or two-valued) column to predict' },
    positive: { type: 'string', description: 'which label value is the positive class' },
    drop: { type: 'string', description: 'comma-separated columns to ignore (ids, leaks)' },
    candidates: { type: 'string', description: 'logistic, mlp, forest (default: all)' },
    save: { type: 'string', description: 'register the winner under this model name' },
    ...JSON_FLAG,
  },
  async run({ values, positionals }) {
    if (positionals[0] !== 'fit') throw new UsageError('propensity needs an action: fit.');
    const trainFile = requireString(values, 'train');
    const testFile = requireString(values, 'test');
    const label = requireString(values, 'label');
    const name = typeof values.save === 'string' ? values.save : undefined;
    if (name !== undefined && !/^[a-z][a-z0-9-]{0,39}$/.test(name))
      throw new UsageError(
        '--save needs a model name of lower-case letters, digits and dashes, e.g. crm-churn.',
      );
    const candidates = list(values.candidates);
    const bad = candidates?.filter((c) => !['logistic', 'mlp', 'forest'].includes(c)) ?? [];
    if (bad.length) throw new UsageError(`--candidates: unknown ${bad.join(', ')} (logistic, mlp, forest).`);
    const started = performance.now();
    const progress = createProgress(process.stderr);
    let fit: TableFit;
    const testText = readInputText(testFile);
    try {
      fit = await fitTable(
        { text: readInputText(trainFile), name: trainFile },
        { text: testText, name: testFile },
        {
          label,
          ...(typeof values.positive === 'string' ? { positive: values.positive } : {}),
          ...(list(values.drop) ? { drop: list(values.drop)! } : {}),
          ...(candidates ? { candidates: candidates as ('logistic' | 'mlp' | 'forest')[] } : {}),
          onProgress: (f, note) => progress.update(f, `propensity fit: ${Math.round(f * 100)}% ${note}`),
        },
      );
    } catch (err) {
      progress.done();
      if (err instanceof TableError) throw new UsageError(err.message);
      throw err;
    }
    progress.done();
    const saved = name ? await save(name, fit, testText, testFile, started) : null;
    fit.winner.classifier.dispose();
    if (values.json) {
      printJson({
        rows: fit.rows,
        models: fit.models,
        best: fit.best,
        ...(saved ? { saved: { name, version: saved.version, status: saved.status } } : {}),
      });
      return 0;
    }
    process.stdout.write(
      `${fit.rows.train.toLocaleString('en-US')} training rows, ${fit.rows.test.toLocaleString('en-US')} test rows, ${fit.features} encoded features\n\n`,
    );
    printTable(
      fit.models.map((m) => ({
        model: m.kind,
        auc: f4(m.auc),
        prAuc: f4(m.prAuc),
        logLoss: f4(m.logLoss),
        brier: f4(m.brier),
        fit: `${m.fitSeconds.toFixed(2)} s`,
        backend: m.backend,
      })),
      ['model', 'auc', 'prAuc', 'logLoss', 'brier', 'fit', 'backend'],
    );
    process.stdout.write(`\nbest: ${fit.best.kind} (AUC ${f4(fit.best.auc)})\n`);
    if (saved)
      process.stdout.write(`saved as ${name} v${saved.version}: ${saved.status} (${saved.reason})\n`);
    return 0;
  },
};
