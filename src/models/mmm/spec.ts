// What the model is: its options, its priors (stated here, each overridable) and where each
// parameter sits in the sampler's unconstrained vector.
//
// Scaling: the KPI is divided by its mean over the fitted weeks and each channel's spend by its mean
// weekly spend, so coefficients are in "share of an average week's KPI" and half-saturation points
// in "multiples of average spend". Controls are centred and divided by their standard deviation;
// the trend runs from 0 to 1 over the data; seasonality is a Fourier series over the day of year.

export type AdstockKind = 'geometric' | 'geometric-normalized' | 'weibull';
export type SaturationKind = 'hill' | 'logistic';

/** A prior on a channel's ROI (KPI units per spend unit), e.g. from a lift test: its mean and sd. */
export type RoiPrior = { mean: number; sd: number };

export type Priors = {
  /** Normal(mean, sd) on the intercept, in scaled KPI units. */
  intercept: { mean: number; sd: number };
  /** Normal(0, sd) on the trend's change over the whole span. */
  trendSd: number;
  /** Normal(0, sd) on each Fourier coefficient. */
  seasonalitySd: number;
  /** Normal(0, sd) on each control's effect per standard deviation. */
  controlSd: number;
  /**
   * The default prior on each channel's ROI (replaced by its ROI prior where one is given): all media
   * together drive `median` of the KPI over the fitted periods, split in proportion to spend, with
   * `logSd` on the log scale. (A HalfNormal prior on β instead made a wall: β = ROI·spend/Σ saturation
   * grows like K^shape with the half-saturation K, and the sampler crawled along it.)
   */
  contributionFraction: { median: number; logSd: number };
  /** Beta(a, b) on geometric decay per period. */
  decay: { a: number; b: number };
  /**
   * Hill saturation: Normal(mean, sd) on the logit of saturation at an average week's adstocked
   * spend, a = shape·(log W − log K) (W = Σ adstock weights, 1 where they are normalised), i.e.
   * how saturated a channel is at the spend it usually gets. With the shape's own prior this is
   * a prior on the half-saturation K given the shape. (LogNormal(0, 1) on K itself made a funnel:
   * given the shape s, a's prior sd was s, so trajectories ran off where s is small; measured.)
   */
  saturationLogit: { mean: number; sd: number };
  /** LogNormal(0, sd) on the Hill shape. */
  hillShapeLogSd: number;
  /** LogNormal(0, sd) on the logistic saturation rate. */
  logisticRateLogSd: number;
  /** LogNormal(log mean, sd) on the Weibull shape and scale (scale in periods). */
  weibullShape: { mean: number; logSd: number };
  weibullScale: { mean: number; logSd: number };
  /** HalfNormal(sd) on the noise standard deviation (scaled KPI units). */
  noiseSd: number;
  /** Per-channel ROI priors (LogNormal with this mean and sd); a listed channel's β prior is replaced. */
  roi: Record<string, RoiPrior>;
};

export const DEFAULT_PRIORS: Priors = {
  intercept: { mean: 0.5, sd: 1 },
  trendSd: 0.5,
  seasonalitySd: 0.3,
  controlSd: 0.3,
  contributionFraction: { median: 0.2, logSd: 1 },
  decay: { a: 1, b: 3 },
  saturationLogit: { mean: 0, sd: 1.2 },
  hillShapeLogSd: 0.4,
  logisticRateLogSd: 1,
  weibullShape: { mean: 2, logSd: 0.5 },
  weibullScale: { mean: 2, logSd: 0.7 },
  noiseSd: 0.5,
  roi: {},
};

export type ModelOptions = {
  adstock: AdstockKind;
  saturation: SaturationKind;
  /** Longest carry-over, in periods. */
  maxLag: number;
  /** Fourier harmonics of the yearly cycle. */
  harmonics: number;
  /** Final periods kept out of the likelihood and predicted as a hold-out. */
  holdout: number;
  priors: Priors;
};

export const DEFAULT_OPTIONS: ModelOptions = {
  adstock: 'geometric',
  saturation: 'hill',
  maxLag: 8,
  harmonics: 2,
  holdout: 0,
  priors: DEFAULT_PRIORS,
};

/** Index ranges of each block in the unconstrained parameter vector. */
export type Layout = {
  dim: number;
  base: { start: number; size: number };
  /** Per channel: [log ROI, adstock params..., saturation params...]. */
  channel: { start: number; perChannel: number; adstock: number; saturation: number };
  logNoise: number;
};

export function layoutOf(options: ModelOptions, channels: number, controls: number): Layout {
  const baseSize = 2 + 2 * options.harmonics + controls;
  const adstock = options.adstock === 'weibull' ? 2 : 1;
  const saturation = options.saturation === 'hill' ? 2 : 1;
  const perChannel = 1 + adstock + saturation;
  return {
    dim: baseSize + channels * perChannel + 1,
    base: { start: 0, size: baseSize },
    channel: { start: baseSize, perChannel, adstock, saturation },
    logNoise: baseSize + channels * perChannel,
  };
}

/** The smallest number of fitted rows: ten per parameter block is too strict, two per parameter is the floor. */
export function minimumRows(options: ModelOptions, channels: number, controls: number): number {
  return Math.max(2 * layoutOf(options, channels, controls).dim, options.maxLag + 10) + options.holdout;
}
