// What a sampler run says about itself: per-quantity posterior summaries with R-hat and ESS, and
// the run's diagnostics with a plain warning when they fail.
import { essBulk, essTail, quantile, rhat } from './diagnostics.js';
import type { Samples } from './sample.js';
export type { Interval };

import type { Interval } from './interval.js';
export type QuantitySummary = Interval & {
  sd: number;
  median: number;
  rhat: number;
  essBulk: number;
  essTail: number;
};

/** R-hat above this, or fewer effective draws than ESS_MIN per chain, fails the run (Vehtari et al. 2021). */
export const RHAT_MAX = 1.01;
export const ESS_MIN_PER_CHAIN = 100;

/** Summarise one scalar quantity given per chain as arrays of draws. */
export function summarize(chains: number[][], interval = 0.9): QuantitySummary {
  const all = chains.flat();
  const m = all.reduce((a, b) => a + b, 0) / all.length;
  const sd = Math.sqrt(all.reduce((a, b) => a + (b - m) ** 2, 0) / (all.length - 1));
  const tail = (1 - interval) / 2;
  return {
    mean: m,
    sd,
    median: quantile(all, 0.5),
    lower: quantile(all, tail),
    upper: quantile(all, 1 - tail),
    rhat: rhat(chains),
    essBulk: essBulk(chains),
    essTail: essTail(chains),
  };
}

/** Coordinate `i` of the unconstrained draws, per chain. */
export function coordinate(samples: Samples, i: number): number[][] {
  return samples.chains.map((c) => c.draws.map((d) => d[i]!));
}

export type Diagnostics = {
  rhatMax: number;
  essBulkMin: number;
  essTailMin: number;
  divergences: number;
  treeDepthMax: number;
  treeDepthHits: number;
  warnings: string[];
};

export function diagnose(samples: Samples): Diagnostics {
  const per = Array.from({ length: samples.dim }, (_, i) => summarize(coordinate(samples, i)));
  const finite = (xs: number[]) => xs.filter(Number.isFinite);
  const rhatMax = Math.max(...finite(per.map((s) => s.rhat)));
  const essBulkMin = Math.min(...finite(per.map((s) => s.essBulk)));
  const essTailMin = Math.min(...finite(per.map((s) => s.essTail)));
  const divergences = samples.chains.reduce((a, c) => a + c.divergent.filter(Boolean).length, 0);
  const depths = samples.chains.flatMap((c) => c.treeDepth);
  const treeDepthHits = depths.filter((d) => d >= samples.maxTreeDepth).length;
  const warnings: string[] = [];
  const nChains = samples.chains.length;
  if (rhatMax > RHAT_MAX)
    warnings.push(`R-hat ${rhatMax.toFixed(3)} > ${RHAT_MAX}: chains disagree; run longer or reparameterise`);
  if (essBulkMin < ESS_MIN_PER_CHAIN * nChains || essTailMin < ESS_MIN_PER_CHAIN * nChains)
    warnings.push(
      `effective sample size low (bulk ${essBulkMin.toFixed(0)}, tail ${essTailMin.toFixed(0)} < ${ESS_MIN_PER_CHAIN * nChains}): intervals are unreliable; draw more`,
    );
  if (divergences > 0)
    warnings.push(
      `${divergences} divergent transitions: the posterior has regions the sampler cannot explore; results may be biased (raise --target-accept or reparameterise)`,
    );
  if (treeDepthHits > 0)
    warnings.push(`${treeDepthHits} transitions hit the maximum tree depth ${samples.maxTreeDepth}`);
  return {
    rhatMax,
    essBulkMin,
    essTailMin,
    divergences,
    treeDepthMax: Math.max(...depths),
    treeDepthHits,
    warnings,
  };
}
