// The propensity model's public face.
export {
  trainPropensity,
  validationSnapshot,
  PropensityTrainingError,
  KIND as PROPENSITY_KIND,
  type TrainResult,
  type TrainOptions,
  type CandidateResult,
} from './train.js';
export { scoreEveryone, scoreOf, type PersonScore, type BatchScoreResult } from './scoring.js';
export { PROPENSITY_ERASURE_STEPS } from './erasure.js';
export { PropensityModel } from './model.js';
