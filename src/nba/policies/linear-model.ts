// A Bayesian linear model of the response to one action: prior θ ~ N(0, σ²/λ · I), Gaussian noise
// with variance σ². After rows (x, y) the posterior is N(μ, σ² A⁻¹) with A = λI + XᵀX, μ = A⁻¹Xᵀy.
// Serving needs only x·μ and xᵀA⁻¹x, so the model keeps A⁻¹ itself; one new row updates it by
// Sherman–Morrison (O(d²)), a whole log is fitted in tfjs (fit.ts). Pure: plain arrays.

export type LinearModel = {
  /** A⁻¹, d×d, row-major rows. */
  aInv: number[][];
  /** Xᵀy. */
  b: number[];
  /** A⁻¹ b. */
  mu: number[];
  /** Noise variance σ². */
  sigma2: number;
  /** Rows seen. */
  n: number;
};

/** Ridge strength of the prior: the same as one pseudo-row of evidence for θ = 0 per direction. */
export const DEFAULT_PRIOR_PRECISION = 1;
/** Noise variance of a 0/1 response at p = 0.5; an upper bound until a fit estimates it. */
export const DEFAULT_NOISE_VARIANCE = 0.25;

export function priorModel(
  d: number,
  lambda = DEFAULT_PRIOR_PRECISION,
  sigma2 = DEFAULT_NOISE_VARIANCE,
): LinearModel {
  const aInv = Array.from({ length: d }, (_, i) =>
    Array.from({ length: d }, (_, j) => (i === j ? 1 / lambda : 0)),
  );
  return { aInv, b: new Array<number>(d).fill(0), mu: new Array<number>(d).fill(0), sigma2, n: 0 };
}

export const dot = (a: readonly number[], b: readonly number[]) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * (b[i] ?? 0);
  return s;
};

function matVec(m: readonly number[][], x: readonly number[]): number[] {
  return m.map((row) => dot(row, x));
}

/** Posterior mean of x·θ and the variance factor xᵀA⁻¹x (the posterior variance is σ² times it). */
export function predict(model: LinearModel, x: readonly number[]): { mean: number; spread: number } {
  // xᵀA⁻¹x without the intermediate vector (once per candidate per decision).
  let mean = 0;
  let spread = 0;
  for (let i = 0; i < x.length; i++) {
    const row = model.aInv[i];
    let ax = 0;
    if (row) for (let j = 0; j < row.length; j++) ax += row[j]! * (x[j] ?? 0);
    spread += x[i]! * ax;
    mean += x[i]! * (model.mu[i] ?? 0);
  }
  return { mean, spread: Math.max(0, spread) };
}

/** The model after one more row (x, y): Sherman–Morrison on A⁻¹, then μ = A⁻¹b. Returns a new model. */
export function update(model: LinearModel, x: readonly number[], y: number): LinearModel {
  const ax = matVec(model.aInv, x);
  const denom = 1 + dot(x, ax);
  const aInv = model.aInv.map((row, i) => row.map((v, j) => v - (ax[i]! * ax[j]!) / denom));
  const b = model.b.map((v, i) => v + x[i]! * y);
  return { aInv, b, mu: matVec(aInv, b), sigma2: model.sigma2, n: model.n + 1 };
}

/** Inverse of a symmetric positive-definite matrix by Gauss–Jordan with partial pivoting. */
export function invert(m: readonly number[][]): number[][] {
  const d = m.length;
  const a = m.map((row, i) => [...row, ...Array.from({ length: d }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    if (Math.abs(a[p]![c]!) < 1e-12) throw new Error('matrix is singular');
    [a[c], a[p]] = [a[p]!, a[c]!];
    const pivot = a[c]![c]!;
    for (let j = 0; j < 2 * d; j++) a[c]![j]! /= pivot;
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const f = a[r]![c]!;
      if (f !== 0) for (let j = 0; j < 2 * d; j++) a[r]![j]! -= f * a[c]![j]!;
    }
  }
  return a.map((row) => row.slice(d));
}
