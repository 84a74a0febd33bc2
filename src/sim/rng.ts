// A seeded random generator (sfc32) and the distributions the simulator draws from. Pure
// integer arithmetic for the stream, so the same seed gives the same numbers on every machine.

export type Rng = {
  /** Uniform in [0, 1). */
  next: () => number;
  /** An independent generator derived from this one and a label, so adding draws in one part
   * of the world does not shift the numbers of another. */
  fork: (label: string) => Rng;
};

function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function createRng(seed: number | string): Rng {
  const s = typeof seed === 'number' ? `${seed}` : seed;
  let a = hashString(`a:${s}`),
    b = hashString(`b:${s}`),
    c = hashString(`c:${s}`),
    d = 1;
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 15; i++) next(); // warm up
  return { next, fork: (label) => createRng(`${s}/${label}`) };
}

export const bernoulli = (rng: Rng, p: number): boolean => rng.next() < p;

export function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng.next();
}

export function intBetween(rng: Rng, lo: number, hiInclusive: number): number {
  return lo + Math.floor(rng.next() * (hiInclusive - lo + 1));
}

export function normal(rng: Rng, mean = 0, sd = 1): number {
  // Box–Muller; 1 - u keeps log away from 0.
  const u = 1 - rng.next();
  const v = rng.next();
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export const logNormal = (rng: Rng, mu: number, sigma: number): number => Math.exp(normal(rng, mu, sigma));

export function poisson(rng: Rng, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 30) return Math.max(0, Math.round(normal(rng, lambda, Math.sqrt(lambda))));
  const l = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= rng.next();
  } while (p > l);
  return k - 1;
}

/** Marsaglia–Tsang gamma(shape, 1). */
export function gamma(rng: Rng, shape: number): number {
  if (shape < 1) return gamma(rng, shape + 1) * Math.pow(1 - rng.next(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal(rng);
    const v = Math.pow(1 + c * x, 3);
    if (v <= 0) continue;
    const u = 1 - rng.next();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

export function dirichlet(rng: Rng, alphas: number[]): number[] {
  const g = alphas.map((a) => gamma(rng, a));
  const sum = g.reduce((s, x) => s + x, 0);
  return g.map((x) => x / sum);
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng.next() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

export function pickWeighted<T>(rng: Rng, items: readonly T[], weights: readonly number[]): T {
  const total = weights.reduce((s, w) => s + w, 0);
  let r = rng.next() * total;
  for (let i = 0; i < items.length; i++) {
    r -= weights[i] ?? 0;
    if (r < 0) return items[i] as T;
  }
  return items[items.length - 1] as T;
}

/** A v4-shaped UUID from the generator (deterministic, unlike crypto.randomUUID). */
export function uuid(rng: Rng): string {
  const hex = (n: number) =>
    Math.floor(rng.next() * 16 ** n)
      .toString(16)
      .padStart(n, '0');
  const variant = (8 + Math.floor(rng.next() * 4)).toString(16);
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(6)}${hex(6)}`;
}

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
