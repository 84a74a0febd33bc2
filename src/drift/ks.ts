// Two-sample Kolmogorov–Smirnov test with SciPy's conventions (scipy.stats.ks_2samp, method "auto"):
// the exact p-value when both samples have at most 10,000 values, else the asymptotic one from the
// one-sample Kolmogorov distribution at n = round(n₁n₂/(n₁+n₂)). The algorithms follow SciPy's
// (BSD-licensed): Hodges' inside method with Viehmann's 1 − p recursion, Marsaglia–Tsang–Wang's Durbin
// matrix, Pelz–Good, and Birnbaum–Tingey for the one-sided tail.

export const KS_EXACT_MAX_N = 10_000;

export type KsResult = { statistic: number; pValue: number; method: 'exact' | 'asymptotic' };

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** The largest gap between the two empirical CDFs (ties handled by evaluating after each value). */
export function ksStatistic(sortedA: Float64Array, sortedB: Float64Array): number {
  const n1 = sortedA.length;
  const n2 = sortedB.length;
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n1 && j < n2) {
    const x = Math.min(sortedA[i]!, sortedB[j]!);
    while (i < n1 && sortedA[i] === x) i++;
    while (j < n2 && sortedB[j] === x) j++;
    d = Math.max(d, Math.abs(i / n1 - j / n2));
  }
  return d;
}

/** P(D ≥ h/lcm) for two samples of sizes m, n with gcd g: the share of lattice paths that leave the band. */
function exactTwoSided(m: number, n: number, h: number): number {
  if (m === n) return probOutsideSquare(n, h);
  if (m < n) [m, n] = [n, m];
  const g = gcd(m, n);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const A = new Float64Array(Math.min(2 * maxj + 2, n + 1)).fill(1);
  A.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj]! * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return A[maxj - minj - 1]!;
}

/** Equal sample sizes: the alternating binomial sum, evaluated Horner-style to avoid cancellation. */
function probOutsideSquare(n: number, h: number): number {
  let P = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    P = p1 * (1 - P);
  }
  return 2 * P;
}

function logFactorial(n: number): number {
  let s = 0;
  for (let i = 2; i <= n; i++) s += Math.log(i);
  return s;
}

/** One-sided Smirnov tail P(D⁺ₙ ≥ x), exact (Birnbaum–Tingey), summed in logs. */
export function smirnov(n: number, x: number): number {
  if (x <= 0) return 1;
  if (x >= 1) return 0;
  const lf = new Float64Array(n + 1);
  for (let i = 1; i <= n; i++) lf[i] = lf[i - 1]! + Math.log(i);
  let sum = 0;
  const last = Math.floor(n * (1 - x));
  for (let j = 0; j <= last; j++) {
    const a = 1 - x - j / n;
    const b = x + j / n;
    if (a <= 0) continue;
    sum += Math.exp(lf[n]! - lf[j]! - lf[n - j]! + (n - j) * Math.log(a) + (j - 1) * Math.log(b));
  }
  return Math.min(1, x * sum);
}

/** Durbin's matrix method as Marsaglia, Tsang and Wang compute it: P(Dₙ ≤ d), exact. */
function kolmogorovCdfDurbin(n: number, d: number): number {
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const H = new Float64Array(m * m);
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1 - h ** j) * fac;
  }
  v[m - 1] = (1 + Math.max(2 * h - 1, 0) ** m - 2 * h ** m) * fac;
  for (let i = 1; i < m; i++) for (let r = i - 1; r < m; r++) H[r * m + i] = w[r - i + 1]!;
  for (let r = 0; r < m; r++) H[r * m] = v[r]!;
  for (let c = 0; c < m; c++) H[(m - 1) * m + c] = v[m - 1 - c]!;

  const multiply = (a: Float64Array, b: Float64Array) => {
    const out = new Float64Array(m * m);
    for (let i = 0; i < m; i++) {
      for (let l = 0; l < m; l++) {
        const ail = a[i * m + l]!;
        if (ail === 0) continue;
        for (let j = 0; j < m; j++) out[i * m + j]! += ail * b[l * m + j]!;
      }
    }
    return out;
  };
  let power = new Float64Array(m * m);
  for (let i = 0; i < m; i++) power[i * m + i] = 1;
  let base = H;
  let exponent = 0;
  let baseExponent = 0;
  const BIG = 2 ** 128;
  for (let nn = n; nn > 0; nn = Math.floor(nn / 2)) {
    if (nn % 2) {
      power = multiply(power, base);
      exponent += baseExponent;
    }
    base = multiply(base, base);
    baseExponent *= 2;
    if (Math.abs(base[(k - 1) * m + (k - 1)]!) > BIG) {
      for (let i = 0; i < base.length; i++) base[i]! /= BIG;
      baseExponent += 128;
    }
  }
  let p = power[(k - 1) * m + (k - 1)]!;
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < 2 ** -128) {
      p *= BIG;
      exponent -= 128;
    }
  }
  return p * 2 ** exponent;
}

/** Pelz–Good asymptotic series for P(Dₙ ≤ x), for large n. */
function kolmogorovCdfPelzGood(n: number, x: number): number {
  const PI2 = Math.PI ** 2;
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const qlog = -PI2 / 8 / z2;
  if (qlog < Math.log(Number.MIN_VALUE)) return 0;
  let q = Math.exp(qlog);
  const k1a = -z2,
    k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4,
    k2b = ((2 * z4 - 5 * z2) * PI2) / 4,
    k2c = (PI2 ** 2 * (1 - 2 * z2)) / 16;
  const k3d = (PI2 ** 3 * (5 - 30 * z2)) / 64,
    k3c = (PI2 ** 2 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4,
    k3a = -30 * z6 - 90 * z4 * z4;
  const K = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m * m,
      m4 = m2 * m2,
      m6 = m4 * m2;
    const qp = q ** (8 * k);
    const coeffs = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) K[i] = K[i]! * qp + coeffs[i]!;
  }
  const SQRT2PI = Math.sqrt(2 * Math.PI);
  const divisors = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) K[i] = (K[i]! * q * SQRT2PI) / divisors[i]!;
  q = Math.exp(-PI2 / 2 / z2);
  let k2extra = 0;
  let k3extra = 0;
  const sqrt3z = Math.sqrt(3) * z;
  for (let k = maxk; k > 0; k--) {
    const qk = q ** (k * k);
    k2extra += k * k * qk;
    k3extra += (sqrt3z + Math.PI * k) * (sqrt3z - Math.PI * k) * k * k * qk;
  }
  K[2]! += (k2extra * PI2 * SQRT2PI) / (-36 * z ** 3);
  K[3]! += (k3extra * PI2 * SQRT2PI) / (216 * z6);
  return K.reduce((s, kv, i) => s + kv / n ** (i / 2), 0);
}

/** P(Dₙ ≥ x) for the one-sample two-sided statistic, by Simard and L'Ecuyer's choice of method. */
export function kolmogorovSf(n: number, x: number): number {
  const clip = (p: number) => Math.min(1, Math.max(0, p));
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    const cdf = Math.exp(logFactorial(n) - n * Math.log(n) + n * Math.log(2 * t - 1));
    return clip(1 - cdf);
  }
  if (t >= n - 1) return clip(2 * (1 - x) ** n);
  if (x >= 0.5) return clip(2 * smirnov(n, x));
  const nx2 = t * x;
  if (n <= 140) return nx2 <= 4 ? clip(1 - kolmogorovCdfDurbin(n, x)) : clip(2 * smirnov(n, x));
  if (nx2 >= 370) return 0;
  if (nx2 >= 2.2) return clip(2 * smirnov(n, x));
  const cdf = n <= 100_000 && n * x ** 1.5 <= 1.4 ? kolmogorovCdfDurbin(n, x) : kolmogorovCdfPelzGood(n, x);
  return clip(1 - cdf);
}

export function ksTwoSample(a: readonly number[], b: readonly number[]): KsResult {
  return ksTwoSampleSorted(Float64Array.from(a).sort(), Float64Array.from(b).sort());
}

/** The same test on samples already sorted ascending. */
export function ksTwoSampleSorted(sa: Float64Array, sb: Float64Array): KsResult {
  const n1 = sa.length;
  const n2 = sb.length;
  if (n1 === 0 || n2 === 0) throw new Error('KS needs two non-empty samples');
  const d = ksStatistic(sa, sb);
  if (Math.max(n1, n2) <= KS_EXACT_MAX_N) {
    // As SciPy does: snap D onto the lattice of attainable values before the path count.
    const g = gcd(n1, n2);
    const lcm = (n1 / g) * n2;
    const h = Math.round(d * lcm);
    const p = h === 0 ? 1 : exactTwoSided(n1, n2, h);
    if (p >= 0 && p <= 1) return { statistic: d, pValue: p, method: 'exact' };
  }
  const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
  return { statistic: d, pValue: kolmogorovSf(Math.round((m * n) / (m + n)), d), method: 'asymptotic' };
}
