// `attune propensity fit`: the same candidates on a table an analyst brings (a row per customer),
// with a train and a test file. The logistic penalty is chosen on a held-back fifth of the training
// rows; the test file is touched only to report.
import { initRuntime } from '../../ml/runtime/index.js';
import {
  LogisticRegression,
  disposeRows,
  Mlp,
  RandomForest,
  type Classifier,
  type ClassifierKind,
} from '../../ml/classifiers/index.js';
import { fitStandardizer, standardize, type Standardizer } from '../../ml/preprocess.js';
import {
  averagePrecision,
  brier,
  calibration,
  logLoss,
  rocAuc,
  seededRandom,
} from '../../ml/metrics/index.js';
import { encode, fitEncoder, parseCsvTable, type Encoder } from '../../ml/table/index.js';
import { bestPenalty, penaltyPath, type PenaltyChoice } from './train.js';

export type TableModelResult = {
  kind: ClassifierKind;
  auc: number;
  prAuc: number;
  logLoss: number;
  brier: number;
  fitSeconds: number;
  backend: string;
};

export type TableFit = {
  rows: { train: number; test: number };
  features: number;
  models: TableModelResult[];
  best: { kind: ClassifierKind; auc: number };
  winner: { classifier: Classifier; standardizer: Standardizer; encoder: Encoder; ece: number };
};

export type TableFitOptions = {
  label: string;
  positive?: string;
  drop?: string[];
  candidates?: ClassifierKind[];
  seed?: number;
  onProgress?: (fraction: number, note: string) => void;
};

/**
 * The logistic penalty chosen on a held-back fifth of the training rows, then the refit on all of
 * them from the chosen solution; the rows go to the device once for both (the held-back fifth
 * weighs 0 during the search).
 */
async function fitLogistic(X: number[][], y: number[], seed: number): Promise<LogisticRegression> {
  const rand = seededRandom(seed);
  const inSearch = new Uint8Array(X.length);
  const check = { X: [] as number[][], y: [] as number[] };
  for (let i = 0; i < X.length; i++) {
    if (rand() < 0.2) {
      check.X.push(X[i]!);
      check.y.push(y[i]!);
    } else inSearch[i] = 1;
  }
  const rows = await LogisticRegression.upload(X);
  try {
    const pos = check.y.reduce((s, v) => s + v, 0);
    let choice: PenaltyChoice = { l2: 1 };
    if (pos > 0 && pos < check.y.length) {
      const scores = await penaltyPath(
        rows,
        y,
        1,
        (m) => Promise.resolve(rocAuc(check.y, m.logits(check.X))), // AUC ranks: logits suffice
        inSearch,
      );
      choice = bestPenalty(scores, 1);
    }
    const model = new LogisticRegression(choice);
    model.fitRows(rows, y);
    return model;
  } finally {
    disposeRows(rows);
  }
}

export async function fitTable(
  train: { text: string; name: string },
  test: { text: string; name: string },
  options: TableFitOptions,
): Promise<TableFit> {
  const runtime = await initRuntime();
  const progress = options.onProgress ?? (() => undefined);
  const seed = options.seed ?? 7;
  const trainTable = parseCsvTable(train.text, train.name);
  const testTable = parseCsvTable(test.text, test.name);
  const encoder = fitEncoder(trainTable, options);
  const tr = encode(encoder, trainTable);
  const te = encode(encoder, testTable);
  const standardizer = fitStandardizer(tr.X);
  const Xtr = standardize(standardizer, tr.X);
  const Xte = standardize(standardizer, te.X);
  const kinds = options.candidates ?? ['logistic', 'mlp', 'forest'];
  const models: (TableModelResult & { classifier: Classifier; ece: number })[] = [];
  for (const [i, kind] of kinds.entries()) {
    progress(i / kinds.length, `fitting ${kind}`);
    const t0 = performance.now();
    let classifier: Classifier;
    if (kind === 'logistic') classifier = await fitLogistic(Xtr, tr.y, seed);
    else {
      classifier = kind === 'mlp' ? new Mlp({ hidden: [32, 16], epochs: 40 }) : new RandomForest();
      await classifier.fit(Xtr, tr.y, { seed });
    }
    const fitSeconds = (performance.now() - t0) / 1000;
    const p = await classifier.predict(Xte);
    models.push({
      kind,
      auc: rocAuc(te.y, p),
      prAuc: averagePrecision(te.y, p),
      logLoss: logLoss(te.y, p),
      brier: brier(te.y, p),
      fitSeconds,
      backend: runtime.backend,
      classifier,
      ece: calibration(te.y, p).ece,
    });
  }
  progress(1, 'done');
  const best = [...models].sort((a, b) => b.auc - a.auc)[0]!;
  for (const m of models) if (m !== best) m.classifier.dispose();
  return {
    rows: { train: tr.y.length, test: te.y.length },
    features: encoder.features.length,
    models: models.map(({ classifier: _c, ece: _e, ...m }) => m),
    best: { kind: best.kind, auc: best.auc },
    winner: { classifier: best.classifier, standardizer, encoder, ece: best.ece },
  };
}
