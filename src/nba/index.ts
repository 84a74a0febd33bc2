// The next-best-action domain's public face.
export { registerNbaRoutes } from './routes.js';
export { NBA_ERASURE_STEPS } from './erasure.js';
export { nbaKind } from './kind.js';
export { putAction, putChannel, putPlacement, listActions } from './catalogue-store.js';
export {
  ActionInputSchema,
  ChannelInputSchema,
  PlacementInputSchema,
  type ActionInput,
} from './catalogue.js';
export { decide, type DecisionRequest } from './decide.js';
export { recordReward } from './rewards.js';
export { rewardedDecisions, toEvaluationRows, type RewardedDecision } from './reward-log.js';
export { refreshBandit } from './kind.js';
export { nbaReportData, policyValues, type NbaReportData } from './report-data.js';
