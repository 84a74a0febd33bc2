// Newton's method (iteratively reweighted least squares) for L2-penalised logistic regression, with
// the n×d work in tfjs and the d×d solve in plain float64 arithmetic.
//
// Cost on wasm is per operation and per read-back as much as per flop, so:
// - the rows (X and Xᵀ) go to the device once for a penalty search and its refit, with labels and
//   weights as separate small tensors (a row left out of the search weighs 0);
// - a Newton step is one tidy: the scores as a row (bᵀXᵀ), then XᵀSX as a plain product with S
//   folded into Xᵀ, and [r; u]·X for the gradient and, through X's column of ones, the loss; all of
//   it packed into one tensor and read with one dataSync. (Plain products run on XNNPACK; a
//   transposed operand takes wasm's naive loop, several times slower. Columns are never
//   concatenated: that is a strided copy, 20 ms at 100k rows.)
// - iterations stop on the Newton decrement gᵀH⁻¹g/2 (the predicted fall of the objective), after
//   taking that last step, so a converged fit costs no extra evaluation.
import { reserveWorkingMemory, tf } from '../runtime/index.js';
import { solveSpd } from './solve.js';
import type { Matrix } from './types.js';

/** The rows on the device: X (n×d, the intercept's column of ones first) and its transpose. */
export type DeviceRows = { n: number; d: number; X: tf.Tensor2D; Xt: tf.Tensor2D };

/** The rows with labels and weights: what a Newton step reads. */
export type Design = DeviceRows & {
  /** Rows (1×n), so they meet the scores without a transpose: the label's sign 2y − 1, −w and −(2y − 1)w. */
  sign: tf.Tensor2D;
  negW: tf.Tensor2D;
  negSignW: tf.Tensor2D;
  /** Example weights (positiveWeight for positives, 1 for negatives, 0 for rows left out); null when all are 1. */
  w: tf.Tensor2D | null;
  /** logit of the weighted share of positives: where the intercept starts when nothing better is known. */
  baseLogit: number;
};

/** Upload the rows once (a leading 1 on each); the transpose is made on the device (20 ms at 1M × 16, 250 ms in JavaScript). */
export function uploadRows(X: Matrix): DeviceRows {
  const n = X.length;
  const d = (X[0]?.length ?? 0) + 1;
  // Filled by hand: tfjs flattens nested arrays slowly (0.45 s against 0.02 s at 100k × 15).
  const flat = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const row = X[i]!;
    flat[i * d] = 1;
    for (let j = 1; j < d; j++) flat[i * d + j] = row[j - 1]!;
  }
  // X, Xᵀ, XNNPACK's packed copies, Xᵀ·S, and rows of scores and weights, with room to spare.
  reserveWorkingMemory(4 * (6 * n * d + 16 * n));
  const Xd = tf.tensor2d(flat, [n, d]);
  return { n, d, X: Xd, Xt: tf.transpose(Xd) };
}

export function disposeRows(rows: DeviceRows): void {
  tf.dispose([rows.X, rows.Xt]);
}

/**
 * Labels and weights for uploaded rows; rows with `include[i]` false weigh 0, so a penalty search
 * on part of the rows and the refit on all of them share one upload.
 */
export function weighRows(
  rows: DeviceRows,
  y: readonly number[],
  positiveWeight = 1,
  include?: ArrayLike<boolean | number>,
): Design {
  const { n } = rows;
  const sv = new Float32Array(n);
  const wv = new Float32Array(n);
  let pos = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    sv[i] = y[i] === 1 ? 1 : -1;
    wv[i] = include && !include[i] ? 0 : y[i] === 1 ? positiveWeight : 1;
    if (y[i] === 1) pos += wv[i]!;
    total += wv[i]!;
  }
  const rate = Math.min(1 - 1e-6, Math.max(1e-6, pos / Math.max(total, 1)));
  return {
    ...rows,
    sign: tf.tensor2d(sv, [1, n]),
    negW: tf.tensor2d(
      wv.map((v) => -v),
      [1, n],
    ),
    negSignW: tf.tensor2d(
      wv.map((v, i) => -v * sv[i]!),
      [1, n],
    ),
    w: positiveWeight === 1 && !include ? null : tf.tensor2d(wv, [1, n]),
    baseLogit: Math.log(rate / (1 - rate)),
  };
}

/** Disposes the labels and weights, not the rows they were made for. */
export function disposeWeights(design: Design): void {
  const { sign, negW, negSignW, w } = design;
  tf.dispose([sign, negW, negSignW, ...(w ? [w] : [])]);
}

/** XᵀSX (d×d, row-major), the gradient Xᵀw(p − y) and the weighted log loss at beta: one read-back. */
export function evaluate(
  design: Design,
  beta: Float64Array,
): { H: Float64Array; g: Float64Array; loss: number } {
  const { X, Xt, sign, negW, negSignW, w, n, d } = design;
  const packed = tf.tidy(() => {
    // X·b as a column has the memory layout of a row: the reshape is free, and X, not Xᵀ, meets
    // XNNPACK as its input (its weights operand is packed, and cached, once per tensor).
    const b = tf.tensor2d(Float32Array.from(beta), [d, 1]);
    const z = tf.matMul(X, b).reshape([1, n]);
    // q = P(the observed label) = σ((2y − 1)z): then p − y = −(2y − 1)(1 − q), p(1 − p) = q(1 − q),
    // and the loss −log q, with no softplus (the slowest op on wasm) and accurate in float32.
    const q = tf.sigmoid(tf.mul(sign, z));
    const c = tf.sub(1, q);
    const qc = tf.mul(q, c);
    const s = w ? tf.mul(w, qc) : qc;
    const r = tf.mul(negSignW, c);
    const u = tf.mul(negW, tf.log(tf.maximum(q, 1e-30))); // 0 · log 0 would be NaN
    const H = tf.matMul(tf.mul(Xt, s), X);
    const GL = tf.matMul(tf.concat([r, u], 0), X); // row 0: gradient; row 1, column 0: Σu
    return tf.concat([H.reshape([d * d]), GL.reshape([2 * d])]);
  });
  const v = packed.dataSync();
  packed.dispose();
  return {
    H: Float64Array.from(v.subarray(0, d * d)),
    g: Float64Array.from(v.subarray(d * d, d * d + d)),
    loss: v[d * d + d]!,
  };
}

/**
 * Solve A x = b for the Newton step; if float32 sums have left A short of positive-definite (a
 * one-hot column set beside the intercept under a weak penalty, at 100k+ rows), add a ridge,
 * growing tenfold, until Cholesky succeeds. The ridge shortens the step, not the point Newton
 * converges to (where the gradient is zero).
 */
export function solveWithRidge(
  A: Float64Array,
  b: Float64Array,
  d: number,
): { x: Float64Array; ridge: number } {
  let ridge = 0;
  let top = 0;
  for (let j = 0; j < d; j++) top = Math.max(top, Math.abs(A[j * d + j]!));
  for (let attempt = 0; attempt < 16; attempt++) {
    const M = ridge === 0 ? A : A.map((v, k) => (k % (d + 1) === 0 ? v + ridge : v));
    try {
      return { x: solveSpd(M, b, d), ridge };
    } catch {
      ridge = ridge === 0 ? 1e-9 * Math.max(top, 1) : ridge * 10;
    }
  }
  throw new Error('the Newton system stays singular under a ridge of 1e+6 × its largest diagonal');
}

export type NewtonOptions = {
  l2: number;
  start?: Float64Array | undefined;
  maxIterations: number;
  /** Stop when the predicted fall of the objective is below tolerance × max(1, |objective|). */
  tolerance: number;
  onIteration?: (iteration: number) => void;
};

export type NewtonResult = { beta: Float64Array; iterations: number; converged: boolean; ridged: number };

export function newton(design: Design, options: NewtonOptions): NewtonResult {
  const { d } = design;
  const { l2 } = options;
  let beta = options.start?.length === d ? Float64Array.from(options.start) : new Float64Array(d);
  if (options.start?.length !== d) beta[0] = design.baseLogit;
  // Damped: a step that raises the penalised objective beyond float32 noise is halved from the last
  // accepted point (a warm start or separable data can overshoot).
  let accepted: { beta: Float64Array; objective: number; step: Float64Array; t: number } | null = null;
  let iterations = 0;
  let ridged = 0;
  for (let it = 0; it < options.maxIterations; it++) {
    const { H, g, loss } = evaluate(design, beta);
    iterations = it + 1;
    options.onIteration?.(iterations);
    let penalty = 0;
    for (let j = 1; j < d; j++) penalty += 0.5 * l2 * beta[j]! ** 2;
    const objective = loss + penalty;
    const scale = Math.max(1, Math.abs(objective));
    if (
      accepted &&
      !(objective <= accepted.objective + 1e-5 * scale) && // NaN too
      accepted.t > 1e-3
    ) {
      accepted.t /= 2;
      const { beta: b0, step, t } = accepted;
      beta = b0.map((v, j) => v - t * step[j]!);
      continue;
    }
    for (let j = 1; j < d; j++) {
      H[j * d + j]! += l2;
      g[j]! += l2 * beta[j]!;
    }
    const { x: step, ridge } = solveWithRidge(H, g, d);
    if (ridge > 0) ridged++;
    let decrement = 0;
    for (let j = 0; j < d; j++) decrement += g[j]! * step[j]!;
    accepted = { beta, objective, step, t: 1 };
    beta = beta.map((v, j) => v - step[j]!);
    if (decrement / 2 <= options.tolerance * scale) return { beta, iterations, converged: true, ridged };
  }
  return { beta, iterations, converged: false, ridged };
}
