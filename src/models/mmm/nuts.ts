// One No-U-Turn transition (multinomial sampling with the generalised U-turn criterion and Stan's
// extra checks across merged subtrees, Betancourt 2017) written as a generator: every leapfrog step
// yields the position it needs a gradient for, so a driver can evaluate all chains' requests as one
// batched tensor call while each chain builds its own tree.

export type Point = { q: Float64Array; p: Float64Array; logp: number; grad: Float64Array };
export type Gradient = { logp: number; grad: Float64Array };
export type Step = Generator<Float64Array, TransitionResult, Gradient>;
export type TransitionResult = {
  point: Point;
  treeDepth: number;
  leapfrogs: number;
  divergent: boolean;
  /** Mean Metropolis acceptance over the trajectory (the dual-averaging statistic). */
  acceptStat: number;
  energy: number;
};

/** An energy error past this marks the trajectory divergent (as in Stan). */
const MAX_ENERGY_ERROR = 1000;

type Tree = {
  first: Point;
  last: Point;
  sample: Point;
  logWeight: number;
  rho: Float64Array;
  invalid: boolean;
  divergent: boolean;
  acceptSum: number;
  n: number;
};

const dot = (a: Float64Array, b: Float64Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};
const add = (a: Float64Array, b: Float64Array) => a.map((v, i) => v + b[i]!);
const logAddExp = (a: number, b: number) => {
  const m = Math.max(a, b);
  return m === -Infinity ? -Infinity : m + Math.log(Math.exp(a - m) + Math.exp(b - m));
};

export function kinetic(p: Float64Array, invMass: Float64Array): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) s += p[i]! * p[i]! * invMass[i]!;
  return 0.5 * s;
}

function* leapfrog(z: Point, eps: number, invMass: Float64Array): Generator<Float64Array, Point, Gradient> {
  const p = z.p.map((v, i) => v + 0.5 * eps * z.grad[i]!);
  const q = z.q.map((v, i) => v + eps * invMass[i]! * p[i]!);
  const g = yield q;
  for (let i = 0; i < p.length; i++) p[i]! += 0.5 * eps * g.grad[i]!;
  return { q, p, logp: g.logp, grad: g.grad };
}

type Ctx = { eps: number; invMass: Float64Array; h0: number; uniform: () => number };

const sharp = (z: Point, invMass: Float64Array) => z.p.map((v, i) => v * invMass[i]!);

function* buildTree(z: Point, depth: number, ctx: Ctx): Generator<Float64Array, Tree, Gradient> {
  if (depth === 0) {
    const next = yield* leapfrog(z, ctx.eps, ctx.invMass);
    let h = -next.logp + kinetic(next.p, ctx.invMass);
    if (!Number.isFinite(h)) h = Infinity;
    const divergent = h - ctx.h0 > MAX_ENERGY_ERROR;
    return {
      first: next,
      last: next,
      sample: next,
      logWeight: ctx.h0 - h,
      rho: next.p.slice(),
      invalid: divergent,
      divergent,
      acceptSum: Math.min(1, Math.exp(ctx.h0 - h)),
      n: 1,
    };
  }
  const left = yield* buildTree(z, depth - 1, ctx);
  if (left.invalid) return left;
  const right = yield* buildTree(left.last, depth - 1, ctx);
  const stats = { acceptSum: left.acceptSum + right.acceptSum, n: left.n + right.n };
  if (right.invalid) return { ...right, ...stats, first: left.first };
  const logWeight = logAddExp(left.logWeight, right.logWeight);
  const sample = Math.log(ctx.uniform()) < right.logWeight - logWeight ? right.sample : left.sample;
  const rho = add(left.rho, right.rho);
  const im = ctx.invMass;
  const turning =
    uTurn(sharp(left.first, im), sharp(right.last, im), rho) ||
    uTurn(sharp(left.first, im), sharp(right.first, im), add(left.rho, right.first.p)) ||
    uTurn(sharp(left.last, im), sharp(right.last, im), add(right.rho, left.last.p));
  return {
    first: left.first,
    last: right.last,
    sample,
    logWeight,
    rho,
    invalid: turning,
    divergent: false,
    ...stats,
  };
}

const uTurn = (sharpA: Float64Array, sharpB: Float64Array, rho: Float64Array) =>
  dot(sharpA, rho) <= 0 || dot(sharpB, rho) <= 0;

/** A NUTS transition from `start`; `start.p` is ignored (momentum is drawn here). */
export function* transition(
  start: Point,
  eps: number,
  invMass: Float64Array,
  maxDepth: number,
  random: { uniform(): number; normal(): number },
): Step {
  const p0 = invMass.map((m) => random.normal() / Math.sqrt(m));
  const z0: Point = { ...start, p: p0 };
  const h0 = -z0.logp + kinetic(p0, invMass);
  let forward = z0;
  let backward = z0;
  let sample = z0;
  let logWeight = 0;
  let rho = p0.slice();
  let depth = 0;
  let leapfrogs = 0;
  let acceptSum = 0;
  let divergent = false;
  while (depth < maxDepth) {
    const dirForward = random.uniform() < 0.5;
    const ctx: Ctx = { eps: dirForward ? eps : -eps, invMass, h0, uniform: () => random.uniform() };
    const tree = yield* buildTree(dirForward ? forward : backward, depth, ctx);
    leapfrogs += tree.n;
    acceptSum += tree.acceptSum;
    depth++;
    if (tree.divergent) divergent = true;
    if (tree.invalid) break;
    // Trajectory order: backward edge … forward edge.
    const [minus, plus] = dirForward ? [backward, tree.last] : [tree.last, forward];
    const [innerOld, innerNew] = dirForward ? [forward, tree.first] : [backward, tree.first];
    if (dirForward) forward = tree.last;
    else backward = tree.last;
    // Biased progressive sampling favours the new subtree.
    if (Math.log(random.uniform()) < tree.logWeight - logWeight) sample = tree.sample;
    logWeight = logAddExp(logWeight, tree.logWeight);
    const oldRho = rho;
    rho = add(rho, tree.rho);
    const im = invMass;
    const turning = dirForward
      ? uTurn(sharp(minus, im), sharp(plus, im), rho) ||
        uTurn(sharp(minus, im), sharp(innerNew, im), add(oldRho, innerNew.p)) ||
        uTurn(sharp(innerOld, im), sharp(plus, im), add(tree.rho, innerOld.p))
      : uTurn(sharp(minus, im), sharp(plus, im), rho) ||
        uTurn(sharp(innerNew, im), sharp(plus, im), add(oldRho, innerNew.p)) ||
        uTurn(sharp(minus, im), sharp(innerOld, im), add(tree.rho, innerOld.p));
    if (turning) break;
  }
  return {
    point: sample,
    treeDepth: depth,
    leapfrogs,
    divergent,
    acceptStat: leapfrogs > 0 ? acceptSum / leapfrogs : 0,
    energy: -sample.logp + kinetic(sample.p, invMass),
  };
}
