// Seeded uniform and standard-normal draws for the policies (the service seeds from crypto; tests fix seeds).
import { createRandom, type Random } from '../ope/rng.js';

export type { Random };
export { createRandom };

/** Two independent standard normal draws from one Box–Muller step. */
export function normalPair(random: Random): [number, number] {
  let u = random();
  while (u <= Number.EPSILON) u = random();
  const r = Math.sqrt(-2 * Math.log(u));
  const t = 2 * Math.PI * random();
  return [r * Math.cos(t), r * Math.sin(t)];
}
