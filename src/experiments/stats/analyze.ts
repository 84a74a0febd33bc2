// The engine's one entry point: sufficient statistics per arm in, every comparison against the first
// arm (the control) out, with the SRM check, multiple-testing correction, cost per outcome and a
// verdict. Pure: no I/O, no clock.
import { armMoments } from './moments.js';
import { cupedEffect, plainEffect, type Difference, type Effect } from './effect.js';
import { ratioCupedEffect } from './cuped-ratio.js';
import { strataCells, stratifiedEffect } from './post-stratification.js';
import { fixedHorizon, sequential } from './frequentist.js';
import { posterior } from './bayesian.js';
import { sampleRatioMismatch, type SrmResult } from './srm.js';
import { adjustPValues, adjustedInterval, type Correction } from './correction.js';
import { costPerOutcome, incrementalCostPerOutcome } from './cost.js';
import { decideVerdict, type Verdict } from './verdict.js';
import type { AnalysisInput, AnalysisSettings, VariationInput, VariationResult } from './types.js';

export type { AnalysisInput, AnalysisSettings, VariationInput, VariationResult } from './types.js';

export type AnalysisResult = {
  srm: SrmResult & { weights: number[]; assumedEqualWeights: boolean };
  variations: VariationResult[];
  verdict: Verdict;
};

const EMPTY: Omit<VariationResult, 'name' | 'n' | 'mean' | 'stddev' | 'cost'> = {
  estimate: null,
  ciLower: null,
  ciUpper: null,
  se: null,
  pValue: null,
  adjustedPValue: null,
  adjustedCi: null,
  dof: null,
  chanceToWin: null,
  risk: null,
  cupedTheta: null,
  varianceReduction: null,
  incrementalCost: null,
  error: null,
};

/** The comparison the settings ask for: CUPED, post-stratified or plain. */
function effectOf(
  input: AnalysisInput,
  control: VariationInput,
  v: VariationInput,
  difference: Difference,
): Effect {
  const { type, level } = input.metric;
  const plain = () => plainEffect(armMoments(type, control, level), armMoments(type, v, level), difference);
  if (type === 'quantile') return plain();
  if (input.analysis.cuped)
    return type === 'ratio'
      ? (ratioCupedEffect(control, v, difference) ?? plain())
      : cupedEffect(type, control, v, difference);
  if (type !== 'ratio' && control.strata?.length && v.strata?.length) {
    const cells = strataCells(type, control.strata, v.strata);
    const whole = { a: armMoments(type, control), b: armMoments(type, v) };
    return stratifiedEffect(cells, whole, difference) ?? plain();
  }
  return plain();
}

/** 1 − Var(adjusted)/Var(plain): what CUPED or the strata took out of the effect's variance. */
function varianceReduction(input: AnalysisInput, control: VariationInput, v: VariationInput, e: Effect) {
  if (!e.ok || (!input.analysis.cuped && !(control.strata?.length && v.strata?.length))) return null;
  const { type, level } = input.metric;
  const plain = plainEffect(
    armMoments(type, control, level),
    armMoments(type, v, level),
    input.analysis.difference,
  );
  return plain.ok ? 1 - e.se ** 2 / plain.se ** 2 : null;
}

/**
 * Multiple-testing correction over a family of comparisons (the variations of one metric here; every
 * goal metric × variation for an experiment): sets each one's adjusted p-value and, for fixed-horizon
 * two-sided tests, the adjusted interval.
 */
export function correctFamily(
  family: VariationResult[],
  analysis: AnalysisSettings,
  correction: Correction,
): void {
  if (analysis.engine !== 'frequentist' || correction === 'none') return;
  const tested = family.filter((r) => r.pValue !== null);
  const adjusted = adjustPValues(
    tested.map((r) => r.pValue!),
    correction,
  );
  tested.forEach((r, i) => {
    r.adjustedPValue = adjusted[i]!;
    if (analysis.test === 'two-sided' && !analysis.sequential)
      r.adjustedCi = adjustedInterval(r.estimate!, r.adjustedPValue, analysis.alpha, r);
  });
}

export function analyze(input: AnalysisInput): AnalysisResult {
  const { analysis, metric } = input;
  const [control, ...treatments] = input.variations;
  if (!control || treatments.length === 0)
    throw new Error('analyze needs a control and at least one variation');

  const moments = input.variations.map((v) => armMoments(metric.type, v, metric.level));
  const results: VariationResult[] = input.variations.map((v, i) => ({
    name: v.name,
    n: v.n,
    mean: moments[i]!.mean,
    stddev: Math.sqrt(Math.max(moments[i]!.variance, 0)),
    ...EMPTY,
    cost:
      v.spend === undefined || metric.type === 'quantile'
        ? null
        : costPerOutcome(v.spend, v.n, v.sum, moments[i]!.variance, analysis.alpha),
  }));

  treatments.forEach((v, k) => {
    const r = results[k + 1]!;
    const e = effectOf(input, control, v, analysis.difference);
    if (!e.ok) {
      r.error = e.error;
      return;
    }
    r.se = e.se;
    r.cupedTheta = e.cupedTheta;
    r.varianceReduction = varianceReduction(input, control, v, e);
    if (analysis.engine === 'bayesian') {
      const post = posterior(e, {
        prior: analysis.prior,
        difference: analysis.difference,
        alpha: analysis.alpha,
        inverse: metric.inverse,
      });
      Object.assign(r, {
        se: post.sd, // the posterior's: with a proper prior it is narrower than the data's
        estimate: post.estimate,
        ciLower: post.ciLower,
        ciUpper: post.ciUpper,
        chanceToWin: post.chanceToWin,
        risk: post.risk,
      });
    } else {
      const iv = analysis.sequential
        ? sequential(
            { ...e, totalUnits: control.n + v.n },
            analysis.alpha,
            analysis.test,
            analysis.sequential.tuning,
          )
        : fixedHorizon(e, analysis.alpha, analysis.test);
      Object.assign(r, {
        estimate: e.estimate,
        ciLower: iv.ciLower,
        ciUpper: iv.ciUpper,
        pValue: iv.pValue,
        dof: e.dof,
      });
    }
    if (control.spend !== undefined && v.spend !== undefined) {
      // Outcomes per unit, in absolute terms and at a fixed horizon: the cost question is about the arms' own scale.
      const abs = plainEffect(moments[0]!, moments[k + 1]!, 'absolute');
      if (abs.ok) {
        const iv = fixedHorizon(abs, analysis.alpha, 'two-sided');
        r.incrementalCost = incrementalCostPerOutcome(
          control as { spend: number; n: number },
          v as { spend: number; n: number },
          { estimate: abs.estimate, ciLower: iv.ciLower!, ciUpper: iv.ciUpper! },
        );
      }
    }
  });

  correctFamily(results.slice(1), analysis, analysis.correction);

  const assumedEqualWeights = !input.weights;
  const weights = input.weights ?? input.variations.map(() => 1 / input.variations.length);
  const srm = {
    ...sampleRatioMismatch(
      input.variations.map((v) => v.n),
      weights,
    ),
    weights,
    assumedEqualWeights,
  };
  return {
    srm,
    variations: results,
    verdict: decideVerdict(results, { srm, analysis, inverse: metric.inverse }),
  };
}
