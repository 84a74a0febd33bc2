// The vocabulary of off-policy evaluation: a logged row, a target policy, an estimate.

/** One logged impression: the action shown in one position, its logging probability and its reward. */
export type LoggedRow = {
  action: string;
  /** Slot in a slate, 0-based (a single-action decision is position 0). */
  position: number;
  reward: number;
  /** Probability the logging policy gave this action in this position (0 < p ≤ 1). */
  propensity: number;
};

/** A target policy's probability of every action in a row's position (actions it omits get 0). */
export type TargetPolicy = {
  describe: string;
  probabilities: (row: LoggedRow) => ReadonlyMap<string, number>;
};

export type Estimate = { value: number; ciLower: number; ciUpper: number };

export const ESTIMATORS = ['ipw', 'snipw', 'dm', 'dr'] as const;
export type EstimatorName = (typeof ESTIMATORS)[number];

export type Evaluation = {
  rows: number;
  estimates: Record<EstimatorName, Estimate>;
  weights: { mean: number; max: number; effectiveSampleSize: number };
  warnings: string[];
};

export type EvaluateOptions = {
  /** Bootstrap resamples for the intervals. */
  bootstrapSamples?: number;
  /** Two-sided interval level, e.g. 0.95. */
  confidence?: number;
  seed?: number;
  /** Largest importance weight; undefined = no clipping (the plain estimators stay unbiased). */
  clip?: number;
};
