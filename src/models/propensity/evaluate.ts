// Everything the model card and the gate read about one set of validation scores.
import {
  averagePrecision,
  bootstrapInterval,
  brier,
  calibration,
  gainsByDecile,
  logLoss,
  rocAuc,
  type GainRow,
  type Interval,
  type ReliabilityBin,
} from '../../ml/metrics/index.js';

export type Evaluation = {
  rows: number;
  positives: number;
  auc: number;
  prAuc: number;
  logLoss: number;
  brier: number;
  ece: number;
  intervals: { auc: Interval; prAuc: Interval; logLoss: Interval; brier: Interval };
  reliability: ReliabilityBin[];
  gains: GainRow[];
};

export function evaluate(
  y: number[],
  p: ArrayLike<number>,
  options: { resamples?: number } = {},
): Evaluation {
  const cal = calibration(y, p);
  const b = { resamples: options.resamples ?? 200 };
  return {
    rows: y.length,
    positives: y.reduce((s, v) => s + v, 0),
    auc: rocAuc(y, p),
    prAuc: averagePrecision(y, p),
    logLoss: logLoss(y, p),
    brier: brier(y, p),
    ece: cal.ece,
    intervals: {
      auc: bootstrapInterval(rocAuc, y, p, b),
      prAuc: bootstrapInterval(averagePrecision, y, p, b),
      logLoss: bootstrapInterval(logLoss, y, p, b),
      brier: bootstrapInterval(brier, y, p, b),
    },
    reliability: cal.bins,
    gains: gainsByDecile(y, p),
  };
}
