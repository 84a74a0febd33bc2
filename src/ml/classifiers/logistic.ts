// L2-regularised logistic regression fitted by Newton's method (iteratively reweighted least
// squares, in ./newton.ts: the n×d work in tfjs, the d×d solve in plain arithmetic). The intercept
// is not penalised, as in scikit-learn. `fitPath` fits a grid of penalties on one upload of the
// rows, strongest first, each run starting from the previous solution.
import { initRuntime } from '../runtime/index.js';
import {
  disposeRows,
  disposeWeights,
  newton,
  uploadRows,
  weighRows,
  type Design,
  type DeviceRows,
} from './newton.js';

export type { DeviceRows };
export { disposeRows };
import type { Artifact, Classifier, FitOptions, Matrix } from './types.js';

export type LogisticOptions = {
  l2?: number;
  maxIterations?: number;
  /** Stop when the Newton decrement (predicted fall of the objective) is below this × |objective|. */
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
    const rows = await LogisticRegression.upload(X);
    try {
      this.fitRows(rows, y, options);
    } finally {
      disposeRows(rows);
    }
  }

  /** Fit on rows already on the device (`LogisticRegression.upload`), all of them or those `include` marks. */
  fitRows(
    rows: DeviceRows,
    y: readonly number[],
    options: FitOptions & { include?: ArrayLike<boolean | number> } = {},
  ): void {
    const design = weighRows(rows, y, options.positiveWeight ?? 1, options.include);
    try {
      this.fitOn(design, this.start, (it) => options.onProgress?.(Math.min(1, it / 10)));
    } finally {
      disposeWeights(design);
    }
  }

  private fitOn(design: Design, start: Float64Array | undefined, onIteration?: (it: number) => void): void {
    const result = newton(design, {
      l2: this.l2,
      start,
      maxIterations: this.maxIterations,
      tolerance: this.tolerance,
      ...(onIteration ? { onIteration } : {}),
    });
    this.coefficients = result.beta;
    this.iterations = result.iterations;
  }

  /** Put the rows on the device once, for several fits (a penalty search and its refit); dispose with `disposeRows`. */
  static async upload(X: Matrix): Promise<DeviceRows> {
    await initRuntime(); // a no-op once a backend is chosen; picks one if nothing has yet
    return uploadRows(X);
  }

  /**
   * One model per penalty (in the order given), fitted on one upload of the rows from the strongest
   * penalty to the weakest, each Newton run starting from the previous solution: the path moves
   * little between neighbours, so each takes a few steps, not a full fit.
   */
  static async fitPath(
    X: Matrix | DeviceRows,
    y: readonly number[],
    penalties: readonly number[],
    options: FitOptions & Omit<LogisticOptions, 'l2'> & { include?: ArrayLike<boolean | number> } = {},
  ): Promise<LogisticRegression[]> {
    const rows = Array.isArray(X) ? await LogisticRegression.upload(X as Matrix) : (X as DeviceRows);
    const design = weighRows(rows, y, options.positiveWeight ?? 1, options.include);
    const models = penalties.map((l2) => new LogisticRegression({ ...options, l2 }));
    try {
      let start = options.start;
      const order = [...models].sort((a, b) => b.l2 - a.l2);
      for (const [k, m] of order.entries()) {
        m.fitOn(design, start);
        start = m.coefficients;
        options.onProgress?.((k + 1) / order.length);
      }
    } finally {
      disposeWeights(design);
      if (rows !== X) disposeRows(rows);
    }
    return models;
  }

  /** The linear score (log-odds) of each row. */
  logits(X: Matrix): Float64Array {
    const b = this.coefficients;
    const out = new Float64Array(X.length);
    for (let i = 0; i < X.length; i++) {
      const row = X[i]!;
      let s = b[0]!;
      for (let j = 0; j < row.length; j++) s += row[j]! * b[j + 1]!;
      out[i] = s;
    }
    return out;
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
