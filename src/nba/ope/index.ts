// Off-policy evaluation: pure functions over logged rows and target policies.
export * from './types.js';
export { evaluatePolicy, evaluateByPosition, EmptyLogError } from './evaluate.js';
export { uniformTarget, empiricalTarget, parseTableTarget } from './targets.js';
export {
  parseLog,
  parseAttuneLog,
  parseObdLog,
  problemWarnings,
  toLoggedRow,
  LOG_FORMATS,
  type LogFormat,
} from './formats.js';
export { fitRewardModel } from './reward-model.js';
