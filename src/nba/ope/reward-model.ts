// The direct method's reward model, fitted on the log: the mean reward of each (action, position)
// cell, shrunk towards its position's mean by PRIOR_ROWS pseudo-rows, so a cell seen rarely (or
// never) borrows from the position's overall rate instead of reading 0 or 1 from a handful of rows.
import type { LoggedRow } from './types.js';

/** Pseudo-rows of the position mean added to every cell; small next to the log, large next to one click. */
export const PRIOR_ROWS = 10;

export type RewardModel = (action: string, position: number) => number;

const key = (action: string, position: number) => `${position}\u0000${action}`;

export function fitRewardModel(rows: readonly LoggedRow[], priorRows = PRIOR_ROWS): RewardModel {
  const cells = new Map<string, { n: number; sum: number }>();
  const positions = new Map<number, { n: number; sum: number }>();
  let total = 0;
  for (const r of rows) {
    const c = cells.get(key(r.action, r.position)) ?? { n: 0, sum: 0 };
    c.n++;
    c.sum += r.reward;
    cells.set(key(r.action, r.position), c);
    const p = positions.get(r.position) ?? { n: 0, sum: 0 };
    p.n++;
    p.sum += r.reward;
    positions.set(r.position, p);
    total += r.reward;
  }
  const overall = rows.length ? total / rows.length : 0;
  return (action, position) => {
    const p = positions.get(position);
    const prior = p ? p.sum / p.n : overall;
    const c = cells.get(key(action, position));
    return c ? (c.sum + priorRows * prior) / (c.n + priorRows) : prior;
  };
}
