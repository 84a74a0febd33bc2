// Training the purchase-propensity model on the stored events: features as of monthly snapshots
// (train on the older ones, validate on the latest complete one, never random rows), three candidate
// classifiers, the best on validation as the candidate, the gate against the champion re-scored on
// the same rows, and a registry record either way.
import type { Database } from '../../platform/db/client.js';
import {
  FEATURE_NAMES,
  FEATURE_SET_VERSION,
  buildTrainingSet,
  latestEventTime,
  TrainingSetError,
  type TrainingRow,
} from '../../features/index.js';
import { initRuntime } from '../../ml/runtime/index.js';
import {
  LogisticRegression,
  Mlp,
  RandomForest,
  type Classifier,
  type ClassifierKind,
  type DeviceRows,
} from '../../ml/classifiers/index.js';
import { fitStandardizer, standardize } from '../../ml/preprocess.js';
import { rocAuc } from '../../ml/metrics/index.js';
import { chooseCalibration } from '../../ml/calibration/index.js';
import {
  champion as currentChampion,
  decidePromotion,
  recordVersion,
  type ModelVersion,
} from '../registry/index.js';
import { PropensityModel, decileCuts, type PropensityArtifact } from './model.js';
import { evaluate, type Evaluation } from './evaluate.js';
import { permutationImportance, type Importance } from './explain.js';

export const KIND = 'propensity';
const DAY_MS = 86_400_000;

export type CandidateResult = {
  kind: ClassifierKind;
  auc: number;
  prAuc: number;
  logLoss: number;
  brier: number;
  ece: number;
  fitSeconds: number;
  backend: string;
};

export type TrainOptions = {
  horizonDays?: number;
  /** How many monthly snapshots before the validation one to train on. */
  trainSnapshots?: number;
  candidates?: ClassifierKind[];
  margin?: number;
  actor?: string;
  seed?: number;
  /** The known true probability of each user (simulated worlds): gives the ceiling AUC. */
  truth?: Map<string, number>;
  onProgress?: (fraction: number, note: string) => void;
};

export type TrainResult = {
  version: number;
  promoted: boolean;
  reason: string;
  algorithm: ClassifierKind;
  metrics: { auc: number; prAuc: number; logLoss: number; brier: number; ece: number };
  ceilingAuc?: number;
  candidates: CandidateResult[];
  evaluation: Evaluation;
  importance: Importance[];
  champion: { version: number; auc: number; ece: number } | null;
  dataWindow: {
    trainSnapshots: string[];
    validationSnapshot: string;
    horizonDays: number;
    trainRows: number;
    validationRows: number;
  };
  registered: ModelVersion;
};

export class PropensityTrainingError extends Error {}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** The latest snapshot whose label window is surely complete: the midnight (UTC) at or before the newest event, minus the horizon. */
export function validationSnapshot(latest: Date, horizonDays: number): Date {
  const midnightBefore = Math.floor(latest.getTime() / DAY_MS) * DAY_MS;
  return new Date(midnightBefore - horizonDays * DAY_MS);
}

function newClassifier(kind: ClassifierKind, logistic: PenaltyChoice): Classifier {
  if (kind === 'logistic')
    return new LogisticRegression({ l2: logistic.l2, ...(logistic.start ? { start: logistic.start } : {}) });
  if (kind === 'mlp') return new Mlp({ hidden: [32, 16], epochs: 40 });
  return new RandomForest();
}

export const L2_GRID = [0.1, 1, 10, 100, 1000];

export type PenaltyScore = { l2: number; score: number; coefficients: Float64Array };
/** The chosen penalty, and its coefficients on the search rows as a warm start for the refit. */
export type PenaltyChoice = { l2: number; start?: Float64Array };

/**
 * Fits every penalty of the grid on one upload of the rows (`LogisticRegression.fitPath`; rows
 * already on the device and an `include` mask let the refit share that upload) and scores each.
 */
export async function penaltyPath(
  X: number[][] | DeviceRows,
  y: number[],
  positiveWeight: number,
  score: (m: LogisticRegression) => Promise<number>,
  include?: ArrayLike<boolean | number>,
): Promise<PenaltyScore[]> {
  const models = await LogisticRegression.fitPath(X, y, L2_GRID, {
    positiveWeight,
    ...(include ? { include } : {}),
  });
  const out: PenaltyScore[] = [];
  for (const m of models) out.push({ l2: m.l2, score: await score(m), coefficients: m.coefficients });
  return out;
}

/** The smallest penalty with the best score (ties go to the weaker penalty, as the grid was read before). */
export function bestPenalty(path: readonly PenaltyScore[], fallback: number): PenaltyChoice {
  let best: PenaltyScore | null = null;
  for (const l2 of L2_GRID) {
    const s = path.find((p) => p.l2 === l2);
    if (s && (!best || s.score > best.score)) best = s;
  }
  return best ? { l2: best.l2, start: best.coefficients } : { l2: fallback };
}

async function chooseL2(
  rows: TrainingRow[],
  snapshots: Date[],
  positiveWeight: number,
): Promise<PenaltyChoice> {
  const last = snapshots[snapshots.length - 1]!.getTime();
  const inner = split(rows.filter((r) => r.snapshot.getTime() < last));
  const check = split(rows.filter((r) => r.snapshot.getTime() === last));
  const pos = inner.y.reduce((s, v) => s + v, 0);
  const checkPos = check.y.reduce((s, v) => s + v, 0);
  if (snapshots.length < 2 || pos === 0 || checkPos === 0 || checkPos === check.y.length) return { l2: 10 };
  const st = fitStandardizer(inner.X);
  const Xi = standardize(st, inner.X);
  const Xc = standardize(st, check.X);
  const aucs = await penaltyPath(Xi, inner.y, positiveWeight, async (m) =>
    rocAuc(check.y, await m.predict(Xc)),
  );
  // The search rows were standardised on their own: a start for the refit, which Newton corrects.
  return bestPenalty(aucs, 10);
}

const split = (rows: TrainingRow[]) => ({
  X: rows.map((r) => r.vector),
  y: rows.map((r): number => r.label),
});

export async function trainPropensity(database: Database, options: TrainOptions = {}): Promise<TrainResult> {
  const horizonDays = options.horizonDays ?? 30;
  const nTrain = options.trainSnapshots ?? 3;
  const kinds = options.candidates ?? ['logistic', 'mlp', 'forest'];
  const progress = options.onProgress ?? (() => undefined);
  const started = Date.now();
  const runtime = await initRuntime();

  const latest = await latestEventTime(database);
  if (!latest) throw new PropensityTrainingError('there are no events to train on');
  const validationAt = validationSnapshot(latest, horizonDays);
  const trainAt = Array.from(
    { length: nTrain },
    (_, k) => new Date(validationAt.getTime() - (nTrain - k) * horizonDays * DAY_MS),
  );
  progress(0.02, 'building training rows');
  let train: TrainingRow[];
  let validation: TrainingRow[];
  try {
    const set = await buildTrainingSet(database, {
      snapshots: [...trainAt, validationAt],
      horizonDays,
      onSnapshot: (done, total) =>
        progress(0.02 + 0.28 * (done / total), `features as of snapshot ${done}/${total}`),
    });
    train = set.rows.filter((r) => r.snapshot.getTime() < validationAt.getTime());
    validation = set.rows.filter((r) => r.snapshot.getTime() === validationAt.getTime());
  } catch (err) {
    if (err instanceof TrainingSetError) throw new PropensityTrainingError(err.message);
    throw err;
  }
  const tr = split(train);
  const va = split(validation);
  const trPos = tr.y.reduce((s, v) => s + v, 0);
  const vaPos = va.y.reduce((s, v) => s + v, 0);
  if (trPos === 0 || trPos === tr.y.length || vaPos === 0 || vaPos === va.y.length)
    throw new PropensityTrainingError(
      `need buyers and non-buyers in both windows: training ${trPos}/${tr.y.length}, validation ${vaPos}/${va.y.length}`,
    );

  const standardizer = fitStandardizer(tr.X);
  const Xtr = standardize(standardizer, tr.X);
  // Class imbalance: weight positives up to balance (capped), then correct probabilities back.
  const positiveWeight = Math.min(10, (tr.y.length - trPos) / trPos);
  const features = [...FEATURE_NAMES];

  // The logistic penalty is chosen on time too: fit on the older training snapshots, score the newest.
  progress(0.3, 'choosing the logistic penalty');
  const logistic = kinds.includes('logistic') ? await chooseL2(train, trainAt, positiveWeight) : { l2: 1 };

  const results: {
    kind: ClassifierKind;
    model: PropensityModel;
    scores: Float64Array;
    evaluation: Evaluation;
    fitSeconds: number;
  }[] = [];
  for (const [i, kind] of kinds.entries()) {
    const t0 = Date.now();
    const classifier = newClassifier(kind, logistic);
    // The forest samples classes at their own ratio, so it needs no weighting to correct.
    const w = kind === 'forest' ? 1 : positiveWeight;
    await classifier.fit(Xtr, tr.y, {
      positiveWeight: w,
      seed: options.seed ?? 7,
      onProgress: (f) => progress(0.3 + (0.5 * (i + f)) / kinds.length, `fitting ${kind}`),
    });
    const fitSeconds = (Date.now() - t0) / 1000;
    const model = new PropensityModel(classifier, standardizer, w, [], features);
    const scores = await model.score(va.X);
    results.push({ kind, model, scores, evaluation: evaluate(va.y, scores), fitSeconds });
  }
  results.sort((a, b) => b.evaluation.auc - a.evaluation.auc);
  const best = results[0]!;
  for (const r of results.slice(1)) r.model.classifier.dispose();

  // Recalibration where it helps: Platt or isotonic, chosen by cross-fitted log loss on the
  // validation rows, and the version evaluated on the cross-fitted probabilities (each row scored
  // by a map fitted without it), so the reported figures stay out of sample.
  progress(0.81, 'calibrating');
  const calibration = chooseCalibration(best.scores, va.y, { seed: options.seed ?? 7 });
  const uncalibrated = { logLoss: best.evaluation.logLoss, ece: best.evaluation.ece };
  if (calibration.calibrator) {
    best.model.calibration = calibration.calibrator;
    best.evaluation = evaluate(va.y, calibration.crossFitted);
  }
  best.model.decileCuts = decileCuts(await best.model.score(va.X));

  // The champion, re-scored on these validation rows, so the gate compares like with like.
  progress(0.82, 'comparing with the champion');
  const current = await currentChampion(database, KIND);
  let championOnSameRows: { version: number; auc: number; ece: number } | null = null;
  if (current) {
    const artifact = current.artifact as unknown as PropensityArtifact;
    if (artifact.features.join(',') === features.join(',')) {
      const old = await PropensityModel.load(artifact);
      const e = evaluate(va.y, await old.score(va.X), { resamples: 0 });
      championOnSameRows = { version: current.version, auc: e.auc, ece: e.ece };
      old.classifier.dispose();
    } else
      championOnSameRows = {
        version: current.version,
        auc: Number.NEGATIVE_INFINITY,
        ece: Number.POSITIVE_INFINITY,
      };
  }
  const decision = decidePromotion(best.evaluation, championOnSameRows, options.margin);

  progress(0.88, 'permutation importance');
  const importance = await permutationImportance(best.model, va.X, va.y, { top: 12 });
  let ceilingAuc: number | undefined;
  if (options.truth) {
    const known = validation.flatMap((r) => {
      const p = options.truth!.get(r.personId.replace(/^u:/, ''));
      return p === undefined ? [] : [{ p, y: r.label }];
    });
    if (known.length)
      ceilingAuc = rocAuc(
        known.map((k) => k.y),
        known.map((k) => k.p),
      );
  }
  const candidates: CandidateResult[] = results.map((r) => ({
    kind: r.kind,
    auc: r.evaluation.auc,
    prAuc: r.evaluation.prAuc,
    logLoss: r.evaluation.logLoss,
    brier: r.evaluation.brier,
    ece: r.evaluation.ece,
    fitSeconds: r.fitSeconds,
    backend: runtime.backend,
  }));
  const dataWindow = {
    trainSnapshots: trainAt.map(day),
    validationSnapshot: day(validationAt),
    horizonDays,
    trainRows: train.length,
    validationRows: validation.length,
  };
  const metrics = {
    auc: best.evaluation.auc,
    prAuc: best.evaluation.prAuc,
    logLoss: best.evaluation.logLoss,
    brier: best.evaluation.brier,
    ece: best.evaluation.ece,
  };
  progress(0.95, 'recording the version');
  const registered = await recordVersion(database, {
    kind: KIND,
    algorithm: best.kind,
    reason: decision.reason,
    promote: decision.promote,
    dataWindow,
    features: { names: features, setVersion: FEATURE_SET_VERSION },
    params: {
      ...best.model.classifier.describe(),
      positiveWeight: best.model.positiveWeight,
      seed: options.seed ?? 7,
    },
    metrics: {
      ...metrics,
      evaluation: best.evaluation,
      candidates,
      importance,
      champion: championOnSameRows,
      calibration: {
        method: calibration.method,
        crossFittedLogLoss: calibration.crossFittedLogLoss,
        uncalibrated,
      },
      ...(ceilingAuc !== undefined ? { ceilingAuc } : {}),
    },
    runtime: { backend: runtime.backend, device: runtime.device, threads: runtime.threads },
    durationMs: Date.now() - started,
    artifact: await best.model.save(),
    trainedBy: options.actor ?? 'cli',
  });
  best.model.classifier.dispose();
  progress(1, decision.promote ? 'promoted' : 'kept as challenger');
  return {
    version: registered.version,
    promoted: decision.promote,
    reason: decision.reason,
    algorithm: best.kind,
    metrics,
    ...(ceilingAuc !== undefined ? { ceilingAuc } : {}),
    candidates,
    evaluation: best.evaluation,
    importance,
    champion: championOnSameRows,
    dataWindow,
    registered,
  };
}
