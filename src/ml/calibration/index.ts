// Recalibrating predicted probabilities: Platt scaling (a logistic regression on the score's logit)
// and isotonic regression (pool adjacent violators), and a cross-fitted choice between them and
// leaving the scores alone, so a calibrator is kept only where it helps on rows it did not see.
import { logLoss } from '../metrics/index.js';
import { seededRandom } from '../metrics/index.js';

export type Calibrator =
  { method: 'platt'; a: number; b: number } | { method: 'isotonic'; thresholds: number[]; values: number[] };

const EPS = 1e-12;
const logit = (p: number) => {
  const q = Math.min(1 - 1e-9, Math.max(1e-9, p));
  return Math.log(q / (1 - q));
};
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * Platt scaling on logit(p): maximum likelihood for (a, b) in σ(a·logit(p) + b) by Newton's method,
 * with Platt's smoothed targets (N₊ + 1)/(N₊ + 2) and 1/(N₋ + 2) against overfitting small sets.
 */
export function fitPlatt(p: ArrayLike<number>, y: ArrayLike<number>): Calibrator {
  const n = p.length;
  let pos = 0;
  for (let i = 0; i < n; i++) pos += y[i]!;
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (n - pos + 2);
  const x = Array.from({ length: n }, (_, i) => logit(p[i]!));
  const t = Array.from({ length: n }, (_, i) => (y[i] === 1 ? hi : lo));
  // Negative log-likelihood of the smoothed targets; Newton steps are halved until it falls.
  const nll = (a: number, b: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const z = a * x[i]! + b;
      // log(1 + e^z) − t·z, computed without overflow
      s += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - t[i]! * z;
    }
    return s;
  };
  let a = 1;
  let b = 0;
  let f = nll(a, b);
  for (let iter = 0; iter < 100; iter++) {
    let g0 = 0;
    let g1 = 0;
    let h00 = 1e-12;
    let h01 = 0;
    let h11 = 1e-12;
    for (let i = 0; i < n; i++) {
      const q = sigmoid(a * x[i]! + b);
      const r = q - t[i]!;
      const w = q * (1 - q);
      g0 += r * x[i]!;
      g1 += r;
      h00 += w * x[i]! * x[i]!;
      h01 += w * x[i]!;
      h11 += w;
    }
    const det = h00 * h11 - h01 * h01;
    if (!(Math.abs(det) > 0)) break;
    const da = (h11 * g0 - h01 * g1) / det;
    const db = (h00 * g1 - h01 * g0) / det;
    let step = 1;
    while (step > 1e-10 && !(nll(a - step * da, b - step * db) <= f)) step /= 2;
    if (step <= 1e-10) break;
    a -= step * da;
    b -= step * db;
    const next = nll(a, b);
    const done = Math.abs(f - next) < 1e-12 * Math.max(1, Math.abs(f));
    f = next;
    if (done) break;
  }
  return { method: 'platt', a, b };
}

/** Isotonic regression of y on p (non-decreasing), by pooling adjacent violators over sorted scores. */
export function fitIsotonic(p: ArrayLike<number>, y: ArrayLike<number>): Calibrator {
  const order = Array.from({ length: p.length }, (_, i) => i).sort((i, j) => p[i]! - p[j]!);
  // Tied scores first become one point carrying their mean (as scikit-learn does), then PAV.
  const points: { x: number; sum: number; count: number }[] = [];
  for (const i of order) {
    const last = points[points.length - 1];
    if (last && last.x === p[i]) {
      last.sum += y[i]!;
      last.count++;
    } else points.push({ x: p[i]!, sum: y[i]!, count: 1 });
  }
  const blocks: { sum: number; count: number; lo: number; hi: number }[] = [];
  for (const pt of points) {
    blocks.push({ sum: pt.sum, count: pt.count, lo: pt.x, hi: pt.x });
    // A block whose mean is not below its successor's is merged with it.
    while (blocks.length > 1) {
      const last = blocks[blocks.length - 1]!;
      const prev = blocks[blocks.length - 2]!;
      if (prev.sum / prev.count < last.sum / last.count) break;
      blocks.pop();
      prev.sum += last.sum;
      prev.count += last.count;
      prev.hi = last.hi;
    }
  }
  // Each block is a step from its lowest to its highest score; between steps the value is interpolated.
  const thresholds: number[] = [];
  const values: number[] = [];
  for (const b of blocks) {
    const v = b.sum / b.count;
    thresholds.push(b.lo);
    values.push(v);
    if (b.hi > b.lo) {
      thresholds.push(b.hi);
      values.push(v);
    }
  }
  return { method: 'isotonic', thresholds, values };
}

export function applyCalibrator(c: Calibrator | null, p: number): number {
  if (!c) return p;
  if (c.method === 'platt') return sigmoid(c.a * logit(p) + c.b);
  const { thresholds: t, values: v } = c;
  if (p <= t[0]!) return v[0]!;
  if (p >= t[t.length - 1]!) return v[v.length - 1]!;
  let lo = 0;
  let hi = t.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (t[mid]! <= p) lo = mid;
    else hi = mid;
  }
  const span = t[hi]! - t[lo]!;
  const out = span > 0 ? v[lo]! + ((p - t[lo]!) / span) * (v[hi]! - v[lo]!) : v[hi]!;
  return Math.min(1 - EPS, Math.max(EPS, out));
}

export type CalibrationChoice = {
  method: 'none' | 'platt' | 'isotonic';
  /** Log loss of each option on cross-fitted predictions (each row scored by a map fitted without it). */
  crossFittedLogLoss: Record<'none' | 'platt' | 'isotonic', number>;
  /** The chosen option's cross-fitted probabilities: honest out-of-sample scores for evaluation. */
  crossFitted: Float64Array;
  /** Fitted on every row, for serving; null when the scores are kept as they are. */
  calibrator: Calibrator | null;
};

/**
 * Choose between the raw scores, Platt and isotonic by log loss on `folds`-fold cross-fitted
 * predictions; a map is kept only when it lowers the log loss by at least `minGain` (relative).
 */
export function chooseCalibration(
  p: ArrayLike<number>,
  y: ArrayLike<number>,
  options: { folds?: number; seed?: number; minGain?: number } = {},
): CalibrationChoice {
  const folds = options.folds ?? 5;
  const minGain = options.minGain ?? 0.01;
  const rand = seededRandom(options.seed ?? 11);
  const fold = Array.from({ length: p.length }, () => Math.floor(rand() * folds));
  const fits = { platt: fitPlatt, isotonic: fitIsotonic } as const;
  const predicted = {
    none: Float64Array.from(p),
    platt: new Float64Array(p.length),
    isotonic: new Float64Array(p.length),
  };
  for (const method of ['platt', 'isotonic'] as const)
    for (let k = 0; k < folds; k++) {
      const fitP: number[] = [];
      const fitY: number[] = [];
      for (let i = 0; i < p.length; i++)
        if (fold[i] !== k) {
          fitP.push(p[i]!);
          fitY.push(y[i]!);
        }
      const c = fitP.length ? fits[method](fitP, fitY) : null;
      for (let i = 0; i < p.length; i++) if (fold[i] === k) predicted[method][i] = applyCalibrator(c, p[i]!);
    }
  const ys = Array.from(y);
  const loss = {
    none: logLoss(ys, predicted.none),
    platt: logLoss(ys, predicted.platt),
    isotonic: logLoss(ys, predicted.isotonic),
  };
  const best = (['platt', 'isotonic'] as const).reduce((a, b) => (loss[b] < loss[a] ? b : a));
  const method = loss[best] < loss.none * (1 - minGain) ? best : 'none';
  return {
    method,
    crossFittedLogLoss: loss,
    crossFitted: predicted[method],
    calibrator: method === 'none' ? null : fits[method](Array.from(p), ys),
  };
}
