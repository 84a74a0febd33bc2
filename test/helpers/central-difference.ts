// The derivative of a batched log density in one coordinate by central differences in float64: what
// hand-derived gradients (the fused MMM density, the sampler's changes of variables) are checked against.
import type { BatchedLogDensity } from '../../src/models/mmm/sample.js';

/** d log p / d z[i] for the chain that holds coordinate i of the packed [chains × dim] point z. */
export function centralDifference(
  density: BatchedLogDensity,
  z: Float64Array,
  chains: number,
  i: number,
  h = 1e-6,
): number {
  const chain = Math.floor(i / (z.length / chains));
  const up = z.slice();
  const down = z.slice();
  up[i]! += h;
  down[i]! -= h;
  return (density(up, chains).logp[chain]! - density(down, chains).logp[chain]!) / (2 * h);
}
