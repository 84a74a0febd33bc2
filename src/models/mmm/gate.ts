// The MMM's promotion rule, pure: a fit whose sampler diagnostics fail (R-hat above 1.01, any
// divergent transition, fewer than 100 effective draws per chain in the bulk or the tails) is never
// promoted, whatever else it shows, because its intervals cannot be trusted. A fit that passes
// becomes the champion: the newest sound fit on the newest data is the answer analysts read.
import { ESS_MIN_PER_CHAIN, RHAT_MAX } from './summary.js';

export type MmmGateInput = {
  rhatMax: number;
  essBulkMin: number;
  essTailMin: number;
  divergences: number;
  chains: number;
};

export type MmmDecision = { promote: boolean; reason: string; failures: string[] };

export function decideMmmPromotion(d: MmmGateInput): MmmDecision {
  const essMin = ESS_MIN_PER_CHAIN * d.chains;
  const failures: string[] = [];
  if (!(d.rhatMax <= RHAT_MAX)) failures.push(`R-hat ${d.rhatMax.toFixed(3)} > ${RHAT_MAX}`);
  if (d.divergences > 0) failures.push(`${d.divergences} divergent transition(s)`);
  if (!(d.essBulkMin >= essMin)) failures.push(`bulk ESS ${d.essBulkMin.toFixed(0)} < ${essMin}`);
  if (!(d.essTailMin >= essMin)) failures.push(`tail ESS ${d.essTailMin.toFixed(0)} < ${essMin}`);
  if (failures.length)
    return {
      promote: false,
      failures,
      reason: `diagnostics fail (${failures.join('; ')}): a fit that fails its diagnostics is never promoted`,
    };
  return {
    promote: true,
    failures,
    reason: `diagnostics pass (R-hat ${d.rhatMax.toFixed(3)}, ESS bulk ${d.essBulkMin.toFixed(0)} / tail ${d.essTailMin.toFixed(0)}, no divergences): the newest sound fit serves`,
  };
}
