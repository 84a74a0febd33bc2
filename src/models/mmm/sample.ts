// The NUTS driver: several chains advance in lockstep, every leapfrog step of every chain is
// evaluated in one batched call of the log density (one tensor of shape [chains, dim]), warm-up
// adapts each chain's step size and a pooled diagonal mass matrix, and the seed fixes everything.
import { transition, kinetic, type Gradient, type Point, type Step, type TransitionResult } from './nuts.js';
import { createDualAveraging, createWelford, slowWindowEnds, windowStart } from './adapt.js';
import { createRandom, type Random } from './random.js';

/** Log density and its gradient for `chains` positions packed row by row. */
export type BatchedLogDensity = (
  q: Float64Array,
  chains: number,
) => { logp: Float64Array; grad: Float64Array };

export type SampleProgress = {
  iteration: number;
  total: number;
  phase: 'warmup' | 'sampling';
  chains: { divergences: number; stepSize: number; meanTreeDepth: number }[];
};

export type SampleOptions = {
  dim: number;
  chains?: number;
  draws?: number;
  warmup?: number;
  seed?: number;
  maxTreeDepth?: number;
  targetAccept?: number;
  /** Starting point of a chain; default uniform(-2, 2) per coordinate, as Stan does. */
  init?: (chain: number, random: Random) => Float64Array;
  /** Starting diagonal of the inverse mass matrix (default all ones), e.g. from the curvature at the MAP. */
  initialInvMass?: Float64Array;
  onProgress?: (p: SampleProgress) => void;
  progressEvery?: number;
  /**
   * `diag` (default): a diagonal mass matrix. `dense`: the full warm-up covariance, applied as the
   * linear change of variables q = L·z (L its Cholesky factor) with a unit mass in z, which is the
   * same dynamics as a dense mass matrix Σ⁻¹. Needed where a few parameters are tightly tied
   * together (an MMM's intercept and channel effects share one well-determined KPI level).
   */
  metric?: 'diag' | 'dense';
};

export type ChainDraws = {
  draws: Float64Array[];
  divergent: boolean[];
  treeDepth: number[];
  leapfrogs: number[];
  acceptStat: number[];
  energy: number[];
  stepSize: number;
  warmupDivergences: number;
};

export type Samples = { dim: number; chains: ChainDraws[]; invMass: Float64Array; maxTreeDepth: number };

/** Run NUTS to the end in one go; progress goes to `options.onProgress`. */
export function sampleNuts(density: BatchedLogDensity, options: SampleOptions): Samples {
  return runSteps(nutsSteps(density, options), options.onProgress);
}

/**
 * Run NUTS and yield to the event loop at every progress tick (`pause`), so a server or a job
 * worker stays responsive and can record progress while a fit runs in its process.
 */
export async function sampleNutsAsync(
  density: BatchedLogDensity,
  options: SampleOptions,
  pause: () => Promise<void> = () => new Promise((resolve) => setImmediate(resolve)),
): Promise<Samples> {
  return runStepsAsync(nutsSteps(density, options), options.onProgress, pause);
}

/** Drive a stepwise computation to its result, handing each progress report to `onProgress`. */
export function runSteps<R>(
  steps: Generator<SampleProgress, R>,
  onProgress?: (p: SampleProgress) => void,
): R {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    onProgress?.(r.value);
  }
}

export async function runStepsAsync<R>(
  steps: Generator<SampleProgress, R>,
  onProgress: ((p: SampleProgress) => void) | undefined,
  pause: () => Promise<void>,
): Promise<R> {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    onProgress?.(r.value);
    await pause();
  }
}

/** NUTS as steps: yields a progress report every `progressEvery` iterations, returns the samples. */
export function* nutsSteps(
  density: BatchedLogDensity,
  options: SampleOptions,
): Generator<SampleProgress, Samples> {
  const { dim } = options;
  const nChains = options.chains ?? 4;
  const nDraws = options.draws ?? 1000;
  const nWarmup = options.warmup ?? 1000;
  const maxDepth = options.maxTreeDepth ?? 10;
  const seed = options.seed ?? 1;
  const randoms = Array.from({ length: nChains }, (_, c) => createRandom(seed, c));
  const dense = options.metric === 'dense';
  // Dense metric: the sampler moves z, the density sees q = L·z, the gradient in z is Lᵀ·∇q.
  let chol = dense ? diagonalFactor(options.initialInvMass ?? new Float64Array(dim).fill(1)) : undefined;
  const toQ = (z: Float64Array) => (chol ? lowerTimes(chol, z) : z);
  const evaluate = (zs: Float64Array[]): Gradient[] => {
    const packed = new Float64Array(nChains * dim);
    zs.forEach((z, c) => packed.set(toQ(z), c * dim));
    const { logp, grad } = density(packed, nChains);
    return zs.map((_, c) => {
      const g = grad.slice(c * dim, (c + 1) * dim);
      return { logp: logp[c]!, grad: chol ? lowerTransposeTimes(chol, g) : g };
    });
  };

  let points = initialPoints(
    evaluate,
    nChains,
    dim,
    randoms,
    options.init && chol ? (c, r) => lowerSolve(chol!, options.init!(c, r)) : options.init,
  );
  let invMass: Float64Array = dense
    ? new Float64Array(dim).fill(1)
    : (options.initialInvMass ?? new Float64Array(dim).fill(1));
  let covariance = dense ? createCovariance(dim) : undefined;
  let eps = findStepSizes(evaluate, points, invMass, randoms);
  const averagers = eps.map((e) => createDualAveraging(e, options.targetAccept ?? 0.8));
  const windowEnds = new Set(slowWindowEnds(nWarmup));
  const firstWindow = windowStart(nWarmup);
  let welford = createWelford(dim);
  const out: ChainDraws[] = randoms.map(() => ({
    draws: [],
    divergent: [],
    treeDepth: [],
    leapfrogs: [],
    acceptStat: [],
    energy: [],
    stepSize: 0,
    warmupDivergences: 0,
  }));
  const total = nWarmup + nDraws;
  for (let it = 0; it < total; it++) {
    const warm = it < nWarmup;
    const results = lockstep(
      evaluate,
      points.map((z, c) => transition(z, eps[c]!, invMass, maxDepth, randoms[c]!)),
      points,
    );
    points = results.map((r) => r.point);
    results.forEach((r, c) => {
      const chain = out[c]!;
      if (warm) {
        if (r.divergent) chain.warmupDivergences++;
        eps[c] = averagers[c]!.update(r.acceptStat);
        return;
      }
      chain.draws.push(toQ(r.point.q));
      chain.divergent.push(r.divergent);
      chain.treeDepth.push(r.treeDepth);
      chain.leapfrogs.push(r.leapfrogs);
      chain.acceptStat.push(r.acceptStat);
      chain.energy.push(r.energy);
    });
    if (warm && it >= firstWindow)
      for (const z of points) {
        if (covariance) covariance.add(toQ(z.q));
        else welford.add(z.q);
      }
    if (warm && windowEnds.has(it + 1)) {
      if (covariance) {
        // Move every chain to the new coordinates (same q), then re-evaluate there.
        const qs = points.map((z) => toQ(z.q));
        chol = cholesky(covariance.regularised(), dim);
        covariance = createCovariance(dim);
        const zs = qs.map((q) => lowerSolve(chol!, q));
        const g = evaluate(zs);
        points = zs.map((q, c) => ({ q, p: new Float64Array(dim), logp: g[c]!.logp, grad: g[c]!.grad }));
      } else invMass = welford.variance();
      welford = createWelford(dim);
      eps = findStepSizes(evaluate, points, invMass, randoms, eps);
      eps.forEach((e, c) => averagers[c]!.restart(e));
    }
    if (it + 1 === nWarmup) eps = averagers.map((a) => a.final());
    const every = options.progressEvery ?? 100;
    if ((it + 1) % every === 0 || it + 1 === total)
      yield {
        iteration: it + 1,
        total,
        phase: warm ? 'warmup' : 'sampling',
        chains: out.map((c, i) => ({
          divergences: c.warmupDivergences + c.divergent.filter(Boolean).length,
          stepSize: eps[i]!,
          meanTreeDepth: c.treeDepth.length ? c.treeDepth.reduce((a, b) => a + b, 0) / c.treeDepth.length : 0,
        })),
      };
  }
  out.forEach((c, i) => (c.stepSize = eps[i]!));
  // The reported inverse mass is the diagonal of the metric in q (Σ's diagonal when dense).
  const factor = chol;
  const qInvMass = factor
    ? Float64Array.from({ length: dim }, (_, i) => rowNormSquared(factor, i, dim))
    : invMass;
  return { dim, chains: out, invMass: qInvMass, maxTreeDepth: maxDepth };
}

// Dense-metric helpers: L is lower triangular, row-major [dim × dim].
function diagonalFactor(variances: Float64Array): Float64Array {
  const n = variances.length;
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) L[i * n + i] = Math.sqrt(variances[i]!);
  return L;
}
function lowerTimes(L: Float64Array, z: Float64Array): Float64Array {
  const n = z.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j <= i; j++) s += L[i * n + j]! * z[j]!;
    out[i] = s;
  }
  return out;
}
function lowerTransposeTimes(L: Float64Array, g: Float64Array): Float64Array {
  const n = g.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) out[j]! += L[i * n + j]! * g[i]!;
  return out;
}
function lowerSolve(L: Float64Array, q: Float64Array): Float64Array {
  const n = q.length;
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = q[i]!;
    for (let j = 0; j < i; j++) s -= L[i * n + j]! * z[j]!;
    z[i] = s / L[i * n + i]!;
  }
  return z;
}
function rowNormSquared(L: Float64Array, i: number, n: number): number {
  let s = 0;
  for (let j = 0; j <= i; j++) s += L[i * n + j]! ** 2;
  return s;
}
function cholesky(A: Float64Array, n: number): Float64Array {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j]!;
      for (let k = 0; k < j; k++) s -= L[i * n + k]! * L[j * n + k]!;
      if (i === j) {
        if (!(s > 0)) throw new Error('Warm-up covariance is not positive definite');
        L[i * n + i] = Math.sqrt(s);
      } else L[i * n + j] = s / L[j * n + j]!;
    }
  return L;
}
/** Running covariance, regularised as Stan does for its dense metric: shrunk towards 1e-3·I. */
function createCovariance(n: number) {
  let count = 0;
  const mean = new Float64Array(n);
  const m2 = new Float64Array(n * n);
  return {
    add(x: Float64Array) {
      count++;
      const delta = x.map((v, i) => v - mean[i]!);
      for (let i = 0; i < n; i++) mean[i]! += delta[i]! / count;
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) m2[i * n + j]! += delta[i]! * (x[j]! - mean[j]!);
    },
    regularised(): Float64Array {
      const w = count / (count + 5);
      return m2.map(
        (v, k) => w * (v / Math.max(1, count - 1)) + (k % (n + 1) === 0 ? 1e-3 * (5 / (count + 5)) : 0),
      );
    },
  };
}

/** Run one transition per chain, feeding every pending request to one batched evaluation. */
function lockstep(
  evaluate: (qs: Float64Array[]) => Gradient[],
  steps: Step[],
  points: Point[],
): TransitionResult[] {
  const results: (TransitionResult | undefined)[] = steps.map(() => undefined);
  let requests = steps.map((s) => s.next());
  for (;;) {
    requests.forEach((r, c) => {
      if (r.done) results[c] = r.value;
    });
    if (results.every((r) => r !== undefined)) return results;
    // Finished chains are padded with their current position so the batch keeps its shape.
    const qs = requests.map((r, c) => (r.done ? points[c]!.q : r.value));
    const grads = evaluate(qs);
    requests = requests.map((r, c) => (r.done ? r : steps[c]!.next(grads[c]!)));
  }
}

function initialPoints(
  evaluate: (qs: Float64Array[]) => Gradient[],
  nChains: number,
  dim: number,
  randoms: Random[],
  init: SampleOptions['init'],
): Point[] {
  const draw = (c: number) =>
    init ? init(c, randoms[c]!) : Float64Array.from({ length: dim }, () => 4 * randoms[c]!.uniform() - 2);
  let qs = randoms.map((_, c) => draw(c));
  for (let attempt = 0; attempt < 100; attempt++) {
    const g = evaluate(qs);
    const bad = g.map((x) => !Number.isFinite(x.logp) || x.grad.some((v) => !Number.isFinite(v)));
    if (!bad.some(Boolean))
      return qs.map((q, c) => ({ q, p: new Float64Array(dim), logp: g[c]!.logp, grad: g[c]!.grad }));
    qs = qs.map((q, c) => (bad[c] ? draw(c) : q));
  }
  throw new Error('No starting point with a finite log density and gradient after 100 attempts');
}

/** Stan's heuristic: double or halve each chain's step until one leapfrog's acceptance crosses 0.5. */
function findStepSizes(
  evaluate: (qs: Float64Array[]) => Gradient[],
  points: Point[],
  invMass: Float64Array,
  randoms: Random[],
  start?: number[],
): number[] {
  const eps = points.map((_, c) => start?.[c] ?? 1);
  const direction: (number | undefined)[] = points.map(() => undefined);
  const done = points.map(() => false);
  for (let round = 0; round < 40 && !done.every(Boolean); round++) {
    const ps = points.map((z, c) => invMass.map((m) => randoms[c]!.normal() / Math.sqrt(m)));
    const h0 = points.map((z, c) => -z.logp + kinetic(ps[c]!, invMass));
    const half = points.map((z, c) => ps[c]!.map((v, i) => v + 0.5 * eps[c]! * z.grad[i]!));
    const qs = points.map((z, c) => z.q.map((v, i) => v + eps[c]! * invMass[i]! * half[c]![i]!));
    const g = evaluate(qs);
    points.forEach((_, c) => {
      if (done[c]) return;
      const p = half[c]!.map((v, i) => v + 0.5 * eps[c]! * g[c]!.grad[i]!);
      const h = -g[c]!.logp + kinetic(p, invMass);
      const logAccept = Number.isFinite(h) ? h0[c]! - h : -Infinity;
      const dir = logAccept > Math.log(0.8) ? 1 : -1;
      if (direction[c] === undefined) direction[c] = dir;
      if (direction[c] !== dir) done[c] = true;
      else eps[c] = dir > 0 ? eps[c]! * 2 : eps[c]! / 2;
    });
  }
  return eps;
}
