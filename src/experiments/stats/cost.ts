// Cost per outcome. The outcome count is normal with variance n·s² (delta method); its interval is
// mapped through spend/x, which is monotone, so the bounds stay positive and an interval that reaches
// zero outcomes is honestly unbounded (null) instead of negative.
import { normalQuantile } from './distributions.js';

export type CostPerOutcome = {
  spend: number;
  outcomes: number;
  value: number | null;
  ciLower: number | null;
  ciUpper: number | null;
};

export function costPerOutcome(
  spend: number,
  n: number,
  outcomes: number,
  unitVariance: number,
  alpha: number,
): CostPerOutcome {
  if (!(outcomes > 0)) return { spend, outcomes, value: null, ciLower: null, ciUpper: null };
  const z = normalQuantile(1 - alpha / 2);
  const half = z * Math.sqrt(n * Math.max(unitVariance, 0));
  const low = outcomes - half;
  return {
    spend,
    outcomes,
    value: spend / outcomes,
    ciLower: spend / (outcomes + half),
    ciUpper: low > 0 ? spend / low : null,
  };
}

export type IncrementalCost = {
  costDifferencePerUnit: number;
  value: number | null;
  ciLower: number | null;
  ciUpper: number | null;
};

/**
 * Incremental cost per incremental outcome against the control: the extra spend per unit divided by the
 * extra outcomes per unit. The spend is known, so the interval is the outcome lift's interval mapped
 * through Δcost/x; when that interval includes zero the ratio is unbounded and its bounds are null.
 */
export function incrementalCostPerOutcome(
  control: { spend: number; n: number },
  variation: { spend: number; n: number },
  lift: { estimate: number; ciLower: number; ciUpper: number },
): IncrementalCost {
  const costDifferencePerUnit = variation.spend / variation.n - control.spend / control.n;
  const value = lift.estimate === 0 ? null : costDifferencePerUnit / lift.estimate;
  const excludesZero = lift.ciLower > 0 || lift.ciUpper < 0;
  if (!excludesZero || value === null) return { costDifferencePerUnit, value, ciLower: null, ciUpper: null };
  const a = costDifferencePerUnit / lift.ciLower;
  const b = costDifferencePerUnit / lift.ciUpper;
  return { costDifferencePerUnit, value, ciLower: Math.min(a, b), ciUpper: Math.max(a, b) };
}
