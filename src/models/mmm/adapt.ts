// Warm-up adaptation as in Stan: dual averaging of the step size towards a target acceptance
// (Hoffman & Gelman 2014) and a diagonal mass matrix from the draws of doubling slow windows.

export type DualAveraging = {
  update(acceptStat: number): number;
  final(): number;
  restart(eps: number): void;
};

export function createDualAveraging(eps0: number, target = 0.8): DualAveraging {
  const gamma = 0.05;
  const t0 = 10;
  const kappa = 0.75;
  let mu = Math.log(10 * eps0);
  let hBar = 0;
  let logEpsBar = 0;
  let t = 0;
  return {
    update(acceptStat) {
      t++;
      const a = Number.isFinite(acceptStat) ? Math.min(1, acceptStat) : 0;
      hBar = (1 - 1 / (t + t0)) * hBar + (target - a) / (t + t0);
      const logEps = mu - (Math.sqrt(t) / gamma) * hBar;
      const w = Math.pow(t, -kappa);
      logEpsBar = w * logEps + (1 - w) * logEpsBar;
      return Math.exp(logEps);
    },
    final: () => Math.exp(logEpsBar),
    restart(eps) {
      mu = Math.log(10 * eps);
      hBar = 0;
      logEpsBar = 0;
      t = 0;
    },
  };
}

/** Running mean and variance (Welford) per coordinate. */
export function createWelford(dim: number) {
  let n = 0;
  const mean = new Float64Array(dim);
  const m2 = new Float64Array(dim);
  return {
    add(x: Float64Array) {
      n++;
      for (let i = 0; i < dim; i++) {
        const d = x[i]! - mean[i]!;
        mean[i]! += d / n;
        m2[i]! += d * (x[i]! - mean[i]!);
      }
    },
    /** Stan's regularised variance: shrunk towards 1e-3 while the window is short. */
    variance(): Float64Array {
      return m2.map((v) => (n / (n + 5)) * (v / Math.max(1, n - 1)) + 1e-3 * (5 / (n + 5)));
    },
    count: () => n,
  };
}

/** Ends of Stan's slow windows (iteration indices, exclusive) for a warm-up of `warmup` iterations. */
export function slowWindowEnds(warmup: number): number[] {
  if (warmup < 20) return [];
  let initBuffer = 75;
  let termBuffer = 50;
  let base = 25;
  if (warmup < initBuffer + termBuffer + base) {
    initBuffer = Math.floor(0.15 * warmup);
    termBuffer = Math.floor(0.1 * warmup);
    base = warmup - initBuffer - termBuffer;
  }
  const ends: number[] = [];
  let start = initBuffer;
  let size = base;
  const last = warmup - termBuffer;
  while (start < last) {
    let end = start + size;
    // A window that would leave less than twice the next size is stretched to the end.
    if (end + 2 * size > last) end = last;
    ends.push(end);
    start = end;
    size *= 2;
  }
  return ends;
}

export function windowStart(warmup: number): number {
  return warmup < 150 ? Math.floor(0.15 * warmup) : 75;
}
