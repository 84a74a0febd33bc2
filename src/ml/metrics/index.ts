// Metrics shared by every model: ranking, probability quality, calibration, intervals.
export {
  rocAuc,
  averagePrecision,
  gainsByDecile,
  type GainRow,
  type Labels,
  type Scores,
} from './ranking.js';
export { logLoss, brier, calibration, type ReliabilityBin } from './probability.js';
export { bootstrapInterval, seededRandom, type Interval } from './bootstrap.js';
