// The features domain's public face.
export {
  FEATURES,
  FEATURE_NAMES,
  FEATURE_SET_VERSION,
  toVector,
  toNamed,
  type RawFeatures,
} from './definition.js';
export { rawFeaturesAsOf } from './raw-sql.js';
export { refreshFeatures, materialisedFeatures, type RefreshResult } from './store.js';
export {
  buildTrainingSet,
  trainingSetCsv,
  latestEventTime,
  TrainingSetError,
  type TrainingSet,
  type TrainingRow,
} from './training-set.js';
export { featuresOf, type ServedFeatures } from './serving.js';
export { FEATURE_ERASURE_STEPS } from './erasure.js';
export { featuresRefreshJob, FEATURES_SCHEDULE } from './refresh-job.js';
