// Equal-tailed credible intervals of plain draws.
import { quantile } from './diagnostics.js';

export type Interval = { mean: number; lower: number; upper: number };

export function intervalOf(draws: readonly number[], level = 0.9): Interval {
  const tail = (1 - level) / 2;
  return {
    mean: draws.reduce((a, b) => a + b, 0) / draws.length,
    lower: quantile(draws, tail),
    upper: quantile(draws, 1 - tail),
  };
}
