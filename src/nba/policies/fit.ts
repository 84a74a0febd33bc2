// Fitting the per-action Bayesian linear models from a log of (x, y) rows in one pass: XᵀX and Xᵀy
// are n×d products computed in tfjs (src/ml/runtime); A = λI + XᵀX is then inverted in plain
// arithmetic (d is small), and σ² is estimated from the residuals, never below a floor.
import { tf } from '../../ml/runtime/index.js';
import {
  DEFAULT_NOISE_VARIANCE,
  DEFAULT_PRIOR_PRECISION,
  invert,
  priorModel,
  type LinearModel,
} from './linear-model.js';

/** σ² never falls below this: a few rows with identical outcomes must not make the model certain. */
export const MIN_NOISE_VARIANCE = 0.01;

/** Call initRuntime() once before the first fit. */
export function fitLinearModel(
  xs: readonly (readonly number[])[],
  ys: readonly number[],
  d: number,
  lambda = DEFAULT_PRIOR_PRECISION,
): LinearModel {
  if (!xs.length) return priorModel(d, lambda);
  const { xtx, xty, yy } = tf.tidy(() => {
    const X = tf.tensor2d(xs as number[][], [xs.length, d], 'float32');
    const y = tf.tensor2d(ys as number[], [ys.length, 1], 'float32');
    return {
      xtx: tf.matMul(X, X, true, false).arraySync() as number[][],
      xty: (tf.matMul(X, y, true, false).arraySync() as number[][]).map((r) => r[0]!),
      yy: tf.sum(tf.square(y)).arraySync() as number,
    };
  });
  const a = xtx.map((row, i) => row.map((v, j) => v + (i === j ? lambda : 0)));
  const aInv = invert(a);
  const mu = aInv.map((row) => row.reduce((s, v, j) => s + v * xty[j]!, 0));
  // Residual sum of squares = yᵀy − 2μᵀXᵀy + μᵀXᵀXμ.
  const xtxMu = xtx.map((row) => row.reduce((s, v, j) => s + v * mu[j]!, 0));
  const rss =
    yy - 2 * mu.reduce((s, m, i) => s + m * xty[i]!, 0) + mu.reduce((s, m, i) => s + m * xtxMu[i]!, 0);
  const dof = Math.max(1, xs.length - d);
  const sigma2 = xs.length > d ? Math.max(MIN_NOISE_VARIANCE, rss / dof) : DEFAULT_NOISE_VARIANCE;
  return { aInv, b: xty, mu, sigma2, n: xs.length };
}
