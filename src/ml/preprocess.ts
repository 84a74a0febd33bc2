// Standardisation fitted on training rows only and applied unchanged to validation and serving rows,
// so no statistic of later data leaks into a model. Constant columns are centred and left unscaled.
import type { Matrix } from './classifiers/types.js';

export type Standardizer = { mean: number[]; scale: number[] };

export function fitStandardizer(X: Matrix): Standardizer {
  const d = X[0]?.length ?? 0;
  const n = X.length;
  const mean = new Array<number>(d).fill(0);
  const sq = new Array<number>(d).fill(0);
  for (const row of X) for (let j = 0; j < d; j++) mean[j]! += row[j]! / n;
  for (const row of X) for (let j = 0; j < d; j++) sq[j]! += (row[j]! - mean[j]!) ** 2 / n;
  return { mean, scale: sq.map((v) => (v > 1e-12 ? Math.sqrt(v) : 1)) };
}

export function standardize(s: Standardizer, X: Matrix): number[][] {
  return X.map((row) => row.map((v, j) => (v - s.mean[j]!) / s.scale[j]!));
}
