// A MAP search (Adam on the log density, every chain from its own start, batched): used only to
// start the chains near the posterior's bulk and as a quick preview, never as the reported answer.
import { tf } from './tf.js';

export function findMap(
  logDensity: (q: tf.Tensor2D) => tf.Tensor1D,
  starts: Float64Array[],
  steps = 300,
  learningRate = 0.05,
): Float64Array[] {
  const dim = starts[0]!.length;
  const flat = new Float32Array(starts.length * dim);
  starts.forEach((s, i) => flat.set(s, i * dim));
  const q = tf.variable(tf.tensor2d(flat, [starts.length, dim]));
  const optimizer = tf.train.adam(learningRate);
  for (let i = 0; i < steps; i++) {
    const loss = optimizer.minimize(
      () =>
        logDensity(q as unknown as tf.Tensor2D)
          .sum()
          .neg() as tf.Scalar,
      true,
      [q],
    );
    loss?.dispose();
  }
  const out = q.dataSync();
  const result = starts.map((_, i) => Float64Array.from(out.subarray(i * dim, (i + 1) * dim)));
  const finite = result.every((r) => r.every(Number.isFinite));
  optimizer.dispose();
  q.dispose();
  return finite ? result : starts;
}

/**
 * −∂²log p/∂q_i² at `points`, one coordinate at a time (finite differences of the gradient), averaged
 * over the points: each coordinate's precision given all the others.
 */
function diagonalCurvature(
  density: (q: Float64Array, chains: number) => { logp: Float64Array; grad: Float64Array },
  points: Float64Array[],
  h = 1e-3,
): Float64Array {
  const dim = points[0]!.length;
  const k = points.length;
  const packed = new Float64Array(k * dim);
  points.forEach((p, c) => packed.set(p, c * dim));
  const g0 = density(packed, k).grad;
  const out = new Float64Array(dim);
  for (let i = 0; i < dim; i++) {
    const moved = packed.slice();
    for (let c = 0; c < k; c++) moved[c * dim + i]! += h;
    const g1 = density(moved, k).grad;
    for (let c = 0; c < k; c++) out[i]! += -(g1[c * dim + i]! - g0[c * dim + i]!) / h / k;
  }
  return out;
}

/**
 * Posterior variance guesses from the curvature at `points`: the warm-up's first mass matrix, so the
 * first window does not crawl with a tiny step where scales differ by orders of magnitude.
 */
export function curvatureVariances(
  density: (q: Float64Array, chains: number) => { logp: Float64Array; grad: Float64Array },
  points: Float64Array[],
  h = 1e-3,
): Float64Array {
  return diagonalCurvature(density, points, h).map((curvature) =>
    curvature > 0 ? Math.min(1, Math.max(1e-6, 1 / curvature)) : 1,
  );
}
