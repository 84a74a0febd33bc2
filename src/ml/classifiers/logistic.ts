// L2-regularised logistic regression fitted by Newton's method (iteratively reweighted least
// squares). The n×d work (Xw, XᵀWX, Xᵀ(p − y)) runs in tfjs; the d×d solve in plain arithmetic.
// The intercept is not penalised, as in scikit-learn.
import { initRuntime, tf } from '../runtime/index.js';
import { solveSpd } from './solve.js';
import type { Artifact, Classifier, FitOptions, Matrix } from './types.js';

export type LogisticOptions = {
  l2?: number;
  maxIterations?: number;
  tolerance?: number;
  /** Coefficients to start Newton from (e.g. the fit at a neighbouring penalty): fewer iterations. */
  start?: Float64Array;
};

export class LogisticRegression implements Classifier {
  readonly kind = 'logistic' as const;
  /** [intercept, w_1..w_d] */
  coefficients: Float64Array = new Float64Array(0);
  iterations = 0;
  readonly l2: number;
  readonly maxIterations: number;
  readonly tolerance: number;
  readonly start: Float64Array | undefined;

  constructor(options: LogisticOptions = {}) {
    this.start = options.start;
    this.l2 = options.l2 ?? 1;
    this.maxIterations = options.maxIterations ?? 50;
    this.tolerance = options.tolerance ?? 1e-8;
  }

  async fit(X: Matrix, y: readonly number[], options: FitOptions = {}): Promise<void> {
    await initRuntime(); // a no-op once a backend is chosen; picks one if nothing has yet
    const n = X.length;
    const d = (X[0]?.length ?? 0) + 1;
    const pw = options.positiveWeight ?? 1;
    // Filled by hand: tfjs flattens nested arrays slowly (0.45 s against 0.02 s at 100k × 15).
    const flat = new Float32Array(n * d);
    for (let i = 0; i < n; i++) {
      const row = X[i]!;
      flat[i * d] = 1;
      for (let j = 1; j < d; j++) flat[i * d + j] = row[j - 1]!;
    }
    // (Xᵀ kept once and multiplied untransposed was faster on wasm, but its float32 sums over 100k
    // rows lost positive-definiteness on near-collinear columns; the transposed product did not.)
    const Xt = tf.tensor2d(flat, [n, d]);
    const yt = tf.tensor1d(y as number[]);
    const wt = tf.tensor1d(y.map((v) => (v === 1 ? pw : 1)));
    try {
      let beta = this.start?.length === d ? Float64Array.from(this.start) : new Float64Array(d);
      let previous = Number.POSITIVE_INFINITY;
      for (let it = 0; it < this.maxIterations; it++) {
        const [H, g, loss] = tf.tidy(() => {
          const b = tf.tensor1d(Array.from(beta));
          const z = tf.matMul(Xt, b.reshape([d, 1])).reshape([n]);
          const p = tf.sigmoid(z);
          const s = tf.mul(wt, tf.mul(p, tf.sub(1, p)));
          const H = tf.matMul(tf.mul(Xt, s.reshape([n, 1])), Xt, true, false);
          const g = tf.matMul(Xt, tf.mul(wt, tf.sub(p, yt)).reshape([n, 1]), true, false).reshape([d]);
          // −Σ w [y log p + (1 − y) log(1 − p)], computed stably from z
          const nll = tf.sum(tf.mul(wt, tf.sub(tf.softplus(z), tf.mul(yt, z))));
          return [H, g, nll] as const;
        });
        const [Hv, gv, lv] = await Promise.all([H.data(), g.data(), loss.data()]);
        tf.dispose([H, g, loss]);
        const A = Float64Array.from(Hv);
        const grad = Float64Array.from(gv);
        let penalty = 0;
        for (let j = 1; j < d; j++) {
          A[j * d + j]! += this.l2;
          grad[j]! += this.l2 * beta[j]!;
          penalty += 0.5 * this.l2 * beta[j]! ** 2;
        }
        const objective = lv[0]! + penalty;
        const step = solveSpd(A, grad, d);
        beta = beta.map((v, j) => v - step[j]!);
        this.iterations = it + 1;
        options.onProgress?.(Math.min(1, (it + 1) / 10));
        if (Math.abs(previous - objective) <= this.tolerance * Math.max(1, Math.abs(objective))) break;
        previous = objective;
      }
      this.coefficients = beta;
    } finally {
      tf.dispose([Xt, yt, wt]);
    }
  }

  /** The linear score (log-odds) of each row. */
  logits(X: Matrix): Float64Array {
    const b = this.coefficients;
    return Float64Array.from(X, (row) => row.reduce((s, v, j) => s + v * b[j + 1]!, b[0]!));
  }

  predict(X: Matrix): Promise<Float64Array> {
    return Promise.resolve(this.logits(X).map((z) => 1 / (1 + Math.exp(-z))));
  }

  save(): Promise<Artifact> {
    return Promise.resolve({
      kind: this.kind,
      format: 1,
      body: { l2: this.l2, coefficients: Array.from(this.coefficients), iterations: this.iterations },
    });
  }

  static load(artifact: Artifact): LogisticRegression {
    const body = artifact.body as { l2: number; coefficients: number[]; iterations: number };
    const m = new LogisticRegression({ l2: body.l2 });
    m.coefficients = Float64Array.from(body.coefficients);
    m.iterations = body.iterations;
    return m;
  }

  describe(): Record<string, unknown> {
    return { l2: this.l2, iterations: this.iterations, coefficients: this.coefficients.length };
  }

  dispose(): void {}
}
