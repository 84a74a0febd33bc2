// A plain-language verdict that respects the statistics: no winner inside the noise, and no "ship"
// while the sample ratio is off (a broken split makes every other number untrustworthy).
import type { SrmResult } from './srm.js';
import type { AnalysisSettings, VariationResult } from './types.js';

export type VerdictStatus =
  'srm' | 'not-enough-data' | 'ship' | 'keep-control' | 'no-difference' | 'inconclusive';

export type Verdict = { status: VerdictStatus; variation: string | null; text: string };

/** GrowthBook's floor: no verdict before 8 units per arm on average. */
export const MIN_UNITS_PER_ARM = 8;
/** Bayesian decision threshold on the chance to beat control. */
export const CHANCE_TO_WIN_THRESHOLD = 0.95;

const pct = (x: number) => `${(x * 100).toFixed(x < 0.001 ? 3 : 1)}%`;

export function decideVerdict(
  results: VariationResult[],
  ctx: { srm: SrmResult; analysis: AnalysisSettings; inverse: boolean },
): Verdict {
  const { srm, analysis } = ctx;
  if (srm.flagged) {
    return {
      status: 'srm',
      variation: null,
      text: `Sample ratio mismatch (p = ${srm.pValue.toExponential(2)} < ${srm.threshold}): the arms did not receive the traffic their weights promise, so no result here can be trusted. Find the cause (assignment, tracking, bots) before deciding.`,
    };
  }
  const total = results.reduce((s, r) => s + r.n, 0);
  const treatments = results.slice(1);
  if (total < MIN_UNITS_PER_ARM * results.length || treatments.every((r) => r.error !== null)) {
    return { status: 'not-enough-data', variation: null, text: 'Not enough data for a verdict yet.' };
  }
  // "Better" means higher unless the metric is inverse (lower is better, e.g. cost or churn).
  const better = (r: VariationResult) => (ctx.inverse ? -(r.estimate ?? 0) : (r.estimate ?? 0));
  if (analysis.engine === 'bayesian') {
    const winners = treatments
      .filter((r) => (r.chanceToWin ?? 0) >= CHANCE_TO_WIN_THRESHOLD)
      .sort((a, b) => better(b) - better(a));
    if (winners[0])
      return {
        status: 'ship',
        variation: winners[0].name,
        text: `${winners[0].name} beats the control with ${pct(winners[0].chanceToWin!)} probability; the expected loss of shipping it is ${winners[0].risk!.variation.toPrecision(2)}.`,
      };
    if (treatments.every((r) => r.chanceToWin !== null && r.chanceToWin <= 1 - CHANCE_TO_WIN_THRESHOLD))
      return {
        status: 'keep-control',
        variation: results[0]!.name,
        text: 'Every variation is probably worse than the control; keep the control.',
      };
    return {
      status: 'inconclusive',
      variation: null,
      text: `No variation reaches a ${pct(CHANCE_TO_WIN_THRESHOLD)} chance to beat the control; the differences are inside the noise.`,
    };
  }
  const p = (r: VariationResult) => r.adjustedPValue ?? r.pValue ?? 1;
  const significant = treatments.filter((r) => p(r) < analysis.alpha);
  const winners = significant.filter((r) => better(r) > 0).sort((a, b) => better(b) - better(a));
  if (winners[0])
    return {
      status: 'ship',
      variation: winners[0].name,
      text: `${winners[0].name} beats the control (p = ${p(winners[0]).toPrecision(2)} < ${analysis.alpha}).`,
    };
  if (significant.length > 0 && significant.length === treatments.length)
    return {
      status: 'keep-control',
      variation: results[0]!.name,
      text: 'Every variation is significantly worse than the control; keep the control.',
    };
  return {
    status: 'no-difference',
    variation: null,
    text: `No variation differs from the control at α = ${analysis.alpha}; the observed differences are inside the noise.`,
  };
}
