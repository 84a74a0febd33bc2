// Seeded uniform and standard-normal draws for the policies (the service seeds from crypto; tests fix seeds).
import { createRandom, type Random } from '../ope/rng.js';

export type { Random };
export { createRandom };

// Standard normals by the ziggurat method (Marsaglia & Tsang 2000, in Doornik's 2005 ZIGNOR form):
// exact, and nearly always one uniform, a table look-up and a compare per draw, where Box–Muller
// pays a logarithm, a square root and a sine or cosine. The Monte Carlo checks of Thompson sampling's
// computed probabilities (thompson.test.ts) draw them by the million. 128 blocks of equal area V; R is where the tail starts.
const BLOCKS = 128;
const R = 3.442619855899;
const V = 9.91256303526217e-3;
/** Right edges of the blocks (X[0] is the base block's equivalent width V / f(R)). */
const X = new Float64Array(BLOCKS + 1);
/** X[i + 1] / X[i]: below it a draw is inside block i's rectangle and accepted at once. */
const INNER = new Float64Array(BLOCKS);
{
  let f = Math.exp(-0.5 * R * R);
  X[0] = V / f;
  X[1] = R;
  for (let i = 2; i < BLOCKS; i++) {
    X[i] = Math.sqrt(-2 * Math.log(V / X[i - 1]! + f));
    f = Math.exp(-0.5 * X[i]! * X[i]!);
  }
  X[BLOCKS] = 0;
  for (let i = 0; i < BLOCKS; i++) INNER[i] = X[i + 1]! / X[i]!;
}

/** A uniform in (0, 1]: logarithms of it stay finite. */
const positive = (random: Random) => 1 - random();

/** Beyond ±R, by Marsaglia's exponential rejection. */
function tail(random: Random, negative: boolean): number {
  let x: number;
  let y: number;
  do {
    x = Math.log(positive(random)) / R;
    y = Math.log(positive(random));
  } while (-2 * y < x * x);
  return negative ? x - R : R - x;
}

/** One standard normal draw. */
export function normal(random: Random): number {
  // One 32-bit draw gives both the block (its low 7 bits) and u in (−1, 1) (the other 25).
  const bits = Math.floor(random() * 4294967296);
  const i = bits & (BLOCKS - 1);
  const u = ((bits >>> 7) + 0.5) / 16777216 - 1;
  // Inside block i's rectangle: 99% of draws end here.
  return Math.abs(u) < INNER[i]! ? u * X[i]! : outside(random, i, u);
}

/** A draw that fell outside its block's rectangle: the tail, the wedge's accept test, or a new draw. */
function outside(random: Random, i: number, u: number): number {
  if (i === 0) return tail(random, u < 0);
  const x = u * X[i]!;
  const f0 = Math.exp(-0.5 * (X[i]! * X[i]! - x * x));
  const f1 = Math.exp(-0.5 * (X[i + 1]! * X[i + 1]! - x * x));
  return f1 + random() * (f0 - f1) < 1 ? x : normal(random);
}
