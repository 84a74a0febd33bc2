// The engine's input and per-arm result types, apart from analyze.ts so that verdict.ts and the
// engine's other parts depend on them without importing the engine (no import cycle).
import type { MetricType, SufficientStats } from './moments.js';
import type { Difference, EffectError } from './effect.js';
import type { TestDirection } from './frequentist.js';
import type { Prior } from './bayesian.js';
import type { Correction } from './correction.js';
import type { CostPerOutcome, IncrementalCost } from './cost.js';

export type AnalysisSettings = {
  engine: 'frequentist' | 'bayesian';
  difference: Difference;
  alpha: number;
  test: TestDirection;
  sequential: { tuning: number } | null;
  prior: Prior | null;
  cuped: boolean;
  correction: Correction;
};

export type VariationInput = SufficientStats & { name: string; spend?: number | undefined };

export type AnalysisInput = {
  /** `level`: the quantile (0–1) of a quantile metric. */
  metric: { type: MetricType; inverse: boolean; level?: number | undefined };
  analysis: AnalysisSettings;
  weights?: number[] | undefined;
  variations: VariationInput[];
};

export type VariationResult = {
  name: string;
  n: number;
  mean: number;
  stddev: number;
  estimate: number | null;
  ciLower: number | null;
  ciUpper: number | null;
  se: number | null;
  pValue: number | null;
  adjustedPValue: number | null;
  adjustedCi: { ciLower: number | null; ciUpper: number | null } | null;
  dof: number | null;
  chanceToWin: number | null;
  risk: { control: number; variation: number } | null;
  cupedTheta: number | null;
  /** CUPED or post-stratification: 1 − the adjusted effect's variance / the plain one's. */
  varianceReduction: number | null;
  cost: CostPerOutcome | null;
  incrementalCost: IncrementalCost | null;
  error: EffectError | null;
};
