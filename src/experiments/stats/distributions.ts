// The distributions the engine needs, at full double precision (@stdlib ports of Boost/Cephes).
// simple-statistics is not used here: it has no t or chi-square CDF and its normal CDF is a table.
// Tails are computed as survival functions, never as 1 − cdf, so small p-values keep their digits.
import tCdfImpl from '@stdlib/stats-base-dists-t-cdf';
import tQuantileImpl from '@stdlib/stats-base-dists-t-quantile';
import normalCdfImpl from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantileImpl from '@stdlib/stats-base-dists-normal-quantile';
import gammainc from '@stdlib/math-base-special-gammainc';

export function normalCdf(x: number): number {
  return normalCdfImpl(x, 0, 1);
}

/** P(Z > x). */
export function normalSf(x: number): number {
  return normalCdfImpl(-x, 0, 1);
}

export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

export function normalQuantile(p: number): number {
  return normalQuantileImpl(p, 0, 1);
}

export function tCdf(x: number, dof: number): number {
  return tCdfImpl(x, dof);
}

/** P(T > x) for Student's t with `dof` degrees of freedom. */
export function tSf(x: number, dof: number): number {
  return tCdfImpl(-x, dof);
}

export function tQuantile(p: number, dof: number): number {
  return tQuantileImpl(p, dof);
}

/** P(X > x) for chi-square with k degrees of freedom: the regularised upper incomplete gamma Q(k/2, x/2). */
export function chiSquareSf(x: number, k: number): number {
  if (x <= 0) return 1;
  return gammainc(x / 2, k / 2, true, true);
}
