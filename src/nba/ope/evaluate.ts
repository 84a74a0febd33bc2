// Off-policy evaluation of a target policy over a log: IPW, self-normalised IPW, the direct method
// and doubly robust, with bootstrap intervals and warnings when the weights make them unreliable.
// Slates are evaluated per position as the Open Bandit Dataset does: each row is one (impression,
// position) pair, its weight uses the target's and the logger's probabilities for that position, and
// the value is the mean reward per row (per position shown).
import { bootstrapIntervals } from './bootstrap.js';
import { estimatesOf, rowTerms } from './estimators.js';
import { fitRewardModel } from './reward-model.js';
import {
  ESTIMATORS,
  type EvaluateOptions,
  type Evaluation,
  type LoggedRow,
  type TargetPolicy,
} from './types.js';

export const DEFAULT_BOOTSTRAP_SAMPLES = 1000;
export const DEFAULT_CONFIDENCE = 0.95;
export const DEFAULT_SEED = 1;
/** Below this share of the rows, the effective sample size is too small to trust IPW or DR intervals. */
export const ESS_WARNING_SHARE = 0.1;

export class EmptyLogError extends Error {}

export function evaluatePolicy(
  rows: readonly LoggedRow[],
  target: TargetPolicy,
  options: EvaluateOptions = {},
): Evaluation {
  if (rows.length === 0) throw new EmptyLogError('The log has no rows to evaluate.');
  const samples = options.bootstrapSamples ?? DEFAULT_BOOTSTRAP_SAMPLES;
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  const terms = rowTerms(rows, target, fitRewardModel(rows), options.clip);
  const point = estimatesOf(terms);
  const intervals = bootstrapIntervals(rows, target, {
    samples,
    confidence,
    seed: options.seed ?? DEFAULT_SEED,
    ...(options.clip === undefined ? {} : { clip: options.clip }),
  });

  let sum = 0,
    sumSq = 0,
    max = 0;
  for (const w of terms.weight) {
    sum += w;
    sumSq += w * w;
    if (w > max) max = w;
  }
  const effectiveSampleSize = sumSq > 0 ? (sum * sum) / sumSq : 0;
  return {
    rows: rows.length,
    estimates: Object.fromEntries(
      ESTIMATORS.map((e) => [e, { value: point[e], ciLower: intervals[e][0], ciUpper: intervals[e][1] }]),
    ) as Evaluation['estimates'],
    weights: { mean: sum / rows.length, max, effectiveSampleSize },
    warnings: warningsFor(rows, target, sum, effectiveSampleSize, options.clip),
  };
}

function warningsFor(
  rows: readonly LoggedRow[],
  target: TargetPolicy,
  weightSum: number,
  ess: number,
  clip: number | undefined,
): string[] {
  const warnings: string[] = [];
  if (weightSum === 0)
    warnings.push(
      'The target policy gives probability 0 to every logged action: IPW and SNIPW read 0 and say nothing.',
    );
  else if (ess < ESS_WARNING_SHARE * rows.length)
    warnings.push(
      `Effective sample size ${ess.toFixed(1)} of ${rows.length} rows: the weights are extreme, so IPW and DR are noisy and SNIPW biased; consider clipping (clip) or a log closer to the target.`,
    );
  const seen = new Set(rows.map((r) => `${r.position}\u0000${r.action}`));
  let unseen = 0;
  for (const r of rows)
    for (const [a, p] of target.probabilities(r)) if (!seen.has(`${r.position}\u0000${a}`)) unseen += p;
  const share = unseen / rows.length;
  if (share > 1e-9)
    warnings.push(
      `The target puts ${(share * 100).toFixed(1)}% of its probability on (action, position) pairs the log never shows: IPW and SNIPW cannot see them, and DM and DR extrapolate there from the position's mean.`,
    );
  if (clip !== undefined) warnings.push(`Weights clipped at ${clip}: the estimates trade bias for variance.`);
  return warnings;
}

/** The same evaluation for each position on its own (a slate's per-slot view). */
export function evaluateByPosition(
  rows: readonly LoggedRow[],
  target: TargetPolicy,
  options: EvaluateOptions = {},
): { position: number; evaluation: Evaluation }[] {
  const positions = [...new Set(rows.map((r) => r.position))].sort((a, b) => a - b);
  return positions.map((position) => ({
    position,
    evaluation: evaluatePolicy(
      rows.filter((r) => r.position === position),
      target,
      options,
    ),
  }));
}
