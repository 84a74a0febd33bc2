// The promotion gate, pure: a candidate replaces the champion only if it ranks better on the same
// validation rows by a margin and is not worse calibrated.

export type GateMetrics = { auc: number; ece: number };
export type Decision = { promote: boolean; reason: string };

export const DEFAULT_MARGIN = 0.002;
/** How much worse a candidate's expected calibration error may be before it is held back. */
export const ECE_TOLERANCE = 0.01;

export function decidePromotion(
  candidate: GateMetrics,
  champion: (GateMetrics & { version: number }) | null,
  margin = DEFAULT_MARGIN,
): Decision {
  const f = (x: number) => x.toFixed(4);
  if (!champion) return { promote: true, reason: 'no champion yet: the first version serves' };
  if (!(candidate.auc >= champion.auc + margin))
    return {
      promote: false,
      reason: `AUC ${f(candidate.auc)} does not beat champion v${champion.version}'s ${f(champion.auc)} on the same validation rows by the margin ${margin}`,
    };
  if (candidate.ece > champion.ece + ECE_TOLERANCE)
    return {
      promote: false,
      reason: `calibration is worse: ECE ${f(candidate.ece)} against champion v${champion.version}'s ${f(champion.ece)}`,
    };
  return {
    promote: true,
    reason: `AUC ${f(candidate.auc)} beats champion v${champion.version}'s ${f(champion.auc)} by ≥ ${margin}, ECE ${f(candidate.ece)} vs ${f(champion.ece)}`,
  };
}
