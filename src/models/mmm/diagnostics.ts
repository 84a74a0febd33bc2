// Convergence diagnostics of Vehtari, Gelman, Simpson, Carpenter & Bürkner (2021), as ArviZ computes
// them: split R-hat on rank-normalised and folded draws, bulk ESS, tail ESS (5% and 95% quantile
// indicators), each from chains given as arrays of one parameter's draws.
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';

type Chains = readonly (readonly number[])[];

/** Each chain cut into its first and second half (an odd middle draw is dropped, as ArviZ does). */
export function splitChains(chains: Chains): number[][] {
  return chains.flatMap((c) => {
    const half = Math.floor(c.length / 2);
    return [c.slice(0, half), c.slice(c.length - half)];
  });
}

/** Ranks over all chains (ties averaged), mapped to normal scores with Blom's offset. */
export function rankNormalize(chains: Chains): number[][] {
  const flat = chains.flatMap((c, i) => c.map((v, j) => ({ v, i, j })));
  flat.sort((a, b) => a.v - b.v);
  const s = flat.length;
  const out = chains.map((c) => new Array<number>(c.length).fill(0));
  for (let k = 0; k < s;) {
    let e = k;
    while (e + 1 < s && flat[e + 1]!.v === flat[k]!.v) e++;
    const rank = (k + e) / 2 + 1;
    for (let m = k; m <= e; m++)
      out[flat[m]!.i]![flat[m]!.j] = normalQuantile((rank - 0.375) / (s + 0.25), 0, 1);
    k = e + 1;
  }
  return out;
}

const mean = (x: readonly number[]) => x.reduce((a, b) => a + b, 0) / x.length;
const variance = (x: readonly number[]) => {
  const m = mean(x);
  return x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1);
};

/** Classic R-hat of the given (already split) chains. */
export function rhatOf(chains: Chains): number {
  const n = chains[0]!.length;
  const means = chains.map(mean);
  const w = mean(chains.map(variance));
  const b = n * variance(means);
  return Math.sqrt(((n - 1) / n) * w + b / n) / Math.sqrt(w);
}

/** Rank-normalised split R-hat: the larger of the bulk and the folded (tail) value. */
export function rhat(chains: Chains): number {
  const split = splitChains(chains);
  if (split[0]!.length < 2) return NaN;
  const all = split.flat();
  if (new Set(all).size === 1) return NaN;
  const med = quantile(all, 0.5);
  const bulk = rhatOf(rankNormalize(split));
  const tail = rhatOf(rankNormalize(split.map((c) => c.map((v) => Math.abs(v - med)))));
  return Math.max(bulk, tail);
}

/** Autocovariance at lags 0..n-1 of one chain (biased, divided by n). */
function autocovariance(x: readonly number[]): number[] {
  const n = x.length;
  const m = mean(x);
  const d = x.map((v) => v - m);
  const out = new Array<number>(n).fill(0);
  for (let lag = 0; lag < n; lag++) {
    let s = 0;
    for (let t = 0; t + lag < n; t++) s += d[t]! * d[t + lag]!;
    out[lag] = s / n;
  }
  return out;
}

/** Effective sample size over chains by Geyer's initial monotone sequence (Stan's estimator). */
export function essOf(chains: Chains): number {
  const m = chains.length;
  const n = chains[0]!.length;
  const acov = chains.map(autocovariance);
  const chainMean = chains.map(mean);
  const meanVar = mean(acov.map((a) => (a[0]! * n) / (n - 1)));
  let varPlus = (meanVar * (n - 1)) / n;
  if (m > 1) varPlus += variance(chainMean);
  if (!(varPlus > 0)) return NaN;
  const rho = (t: number) => 1 - (meanVar - mean(acov.map((a) => a[t]!))) / varPlus;
  const rhoHat: number[] = [1, rho(1)];
  let t = 1;
  while (t < n - 3) {
    const a = rho(t + 1);
    const b = rho(t + 2);
    rhoHat.push(a, b);
    if (a + b < 0) break;
    t += 2;
  }
  // Pairs of autocorrelations, kept positive and non-increasing.
  let sum = 0;
  let prev = Infinity;
  for (let k = 0; k + 1 < rhoHat.length; k += 2) {
    let pair = rhoHat[k]! + rhoHat[k + 1]!;
    if (pair < 0) break;
    pair = Math.min(pair, prev);
    prev = pair;
    sum += pair;
  }
  const tau = Math.max(-1 + 2 * sum, 1 / Math.log10(m * n));
  return (m * n) / tau;
}

export function essBulk(chains: Chains): number {
  return essOf(rankNormalize(splitChains(chains)));
}

export function essTail(chains: Chains): number {
  const split = splitChains(chains);
  const all = split.flat();
  const q05 = quantile(all, 0.05);
  const q95 = quantile(all, 0.95);
  const lower = essOf(split.map((c) => c.map((v) => (v <= q05 ? 1 : 0))));
  const upper = essOf(split.map((c) => c.map((v) => (v <= q95 ? 1 : 0))));
  return Math.min(lower, upper);
}

/** Linear-interpolation quantile (type 7, numpy's default). */
export function quantile(values: readonly number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(s.length - 1, lo + 1);
  return s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
}
