// Seeded uniform and standard-normal draws for the policies (the service seeds from crypto; tests fix seeds).
import { createRandom, type Random } from '../ope/rng.js';

export type { Random };
export { createRandom };

/** A standard normal draw by Box–Muller. */
export function normal(random: Random): number {
  let u = random();
  while (u <= Number.EPSILON) u = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
