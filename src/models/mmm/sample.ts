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

export function sampleNuts(density: BatchedLogDensity, options: SampleOptions): Samples {
  const { dim } = options;
  const nChains = options.chains ?? 4;
  const nDraws = options.draws ?? 1000;
  const nWarmup = options.warmup ?? 1000;
  const maxDepth = options.maxTreeDepth ?? 10;
  const seed = options.seed ?? 1;
  const randoms = Array.from({ length: nChains }, (_, c) => createRandom(seed, c));
  const evaluate = (qs: Float64Array[]): Gradient[] => {
    const packed = new Float64Array(nChains * dim);
    qs.forEach((q, c) => packed.set(q, c * dim));
    const { logp, grad } = density(packed, nChains);
    return qs.map((_, c) => ({ logp: logp[c]!, grad: grad.slice(c * dim, (c + 1) * dim) }));
  };

  let points = initialPoints(evaluate, nChains, dim, randoms, options.init);
  let invMass: Float64Array = options.initialInvMass ?? new Float64Array(dim).fill(1);
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
      chain.draws.push(r.point.q);
      chain.divergent.push(r.divergent);
      chain.treeDepth.push(r.treeDepth);
      chain.leapfrogs.push(r.leapfrogs);
      chain.acceptStat.push(r.acceptStat);
      chain.energy.push(r.energy);
    });
    if (warm && it >= firstWindow) for (const z of points) welford.add(z.q);
    if (warm && windowEnds.has(it + 1)) {
      invMass = welford.variance();
      welford = createWelford(dim);
      eps = findStepSizes(evaluate, points, invMass, randoms, eps);
      eps.forEach((e, c) => averagers[c]!.restart(e));
    }
    if (it + 1 === nWarmup) eps = averagers.map((a) => a.final());
    const every = options.progressEvery ?? 100;
    if (options.onProgress && ((it + 1) % every === 0 || it + 1 === total))
      options.onProgress({
        iteration: it + 1,
        total,
        phase: warm ? 'warmup' : 'sampling',
        chains: out.map((c, i) => ({
          divergences: c.warmupDivergences + c.divergent.filter(Boolean).length,
          stepSize: eps[i]!,
          meanTreeDepth: c.treeDepth.length ? c.treeDepth.reduce((a, b) => a + b, 0) / c.treeDepth.length : 0,
        })),
      });
  }
  out.forEach((c, i) => (c.stepSize = eps[i]!));
  return { dim, chains: out, invMass, maxTreeDepth: maxDepth };
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
