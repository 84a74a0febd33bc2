// The numbers a fit works on: scaled KPI and spend, the baseline's design matrix (intercept, trend,
// Fourier terms, standardised controls) and each channel's lagged spend for the adstock.
import type { MmmData } from './data.js';
import type { ModelOptions } from './spec.js';

export type Design = {
  periods: number;
  /** Periods in the likelihood (the rest is the hold-out). */
  fitted: number;
  kpiScale: number;
  spendScale: number[];
  /** Scaled KPI. */
  y: number[];
  /** Baseline design, row per period: [1, trend, sin/cos..., controls...]. */
  baseline: number[][];
  /** lagged[c][l][t] = scaled spend of channel c at period t - l (0 before the data). */
  lagged: number[][][];
  /** Total spend per channel over the fitted periods (unscaled), for ROI. */
  spendTotal: number[];
  controlMean: number[];
  controlSd: number[];
};

const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;

export function lagSpend(scaled: number[], maxLag: number): number[][] {
  return Array.from({ length: maxLag }, (_, l) => scaled.map((_, t) => (t - l >= 0 ? scaled[t - l]! : 0)));
}

export function buildDesign(data: MmmData, options: ModelOptions): Design {
  const periods = data.kpi.length;
  const fitted = periods - options.holdout;
  const kpiScale = mean(data.kpi.slice(0, fitted));
  const spendScale = data.spend.map((s) => mean(s.slice(0, fitted)) || 1);
  const controlMean = data.controls.map((c) => mean(c.slice(0, fitted)));
  const controlSd = data.controls.map((c, j) => {
    const m = controlMean[j]!;
    const v = mean(c.slice(0, fitted).map((x) => (x - m) ** 2));
    return Math.sqrt(v) || 1;
  });
  const baseline = data.dates.map((d, t) => {
    const date = new Date(d + 'T00:00:00Z');
    const dayOfYear = (date.getTime() - Date.UTC(date.getUTCFullYear(), 0, 1)) / 86_400_000;
    const angle = (2 * Math.PI * dayOfYear) / 365.25;
    const fourier = Array.from({ length: options.harmonics }, (_, k) => [
      Math.sin((k + 1) * angle),
      Math.cos((k + 1) * angle),
    ]).flat();
    const controls = data.controls.map((c, j) => (c[t]! - controlMean[j]!) / controlSd[j]!);
    return [1, periods > 1 ? t / (periods - 1) : 0, ...fourier, ...controls];
  });
  return {
    periods,
    fitted,
    kpiScale,
    spendScale,
    y: data.kpi.map((v) => v / kpiScale),
    baseline,
    lagged: data.spend.map((s, c) =>
      lagSpend(
        s.map((v) => v / spendScale[c]!),
        options.maxLag,
      ),
    ),
    spendTotal: data.spend.map((s) => s.slice(0, fitted).reduce((a, b) => a + b, 0)),
    controlMean,
    controlSd,
  };
}
