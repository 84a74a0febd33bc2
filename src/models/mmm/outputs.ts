// The fit's answers with credible intervals: per channel ROI, contribution share, marginal ROI,
// adstock and saturation; contributions over time; fit quality in-sample and on the hold-out; a
// posterior predictive check. ROI = a channel's contribution summed over the fitted periods divided
// by its spend over the same periods (KPI units per spend unit); share = its part of all channels'
// contribution; intervals are equal-tailed at `level`.
import type { Design } from './design.js';
import type { MmmData } from './data.js';
import { intervalOf, type Interval } from './interval.js';
import { MARGINAL_STEP, type PosteriorDraws } from './posterior.js';
import type { ModelOptions } from './spec.js';
import { createRandom } from './random.js';

export type ChannelResult = {
  name: string;
  spend: number;
  roi: Interval;
  share: Interval;
  marginalRoi: Interval;
  contribution: Interval;
  adstock: { kind: string; decay?: Interval; weights: Interval[]; meanLag: Interval };
  saturation: { kind: string; halfSaturation?: Interval; shape?: Interval; rate?: Interval };
};

export type FitQuality = { r2: number; mape: number; nrmse: number };

export type MmmOutputs = {
  channels: ChannelResult[];
  fit: FitQuality & { holdout: (FitQuality & { periods: number }) | null; ppcCoverage: number };
  /** Per period: date, observed KPI, expected KPI and each channel's contribution (intervals). */
  timeline: { date: string; kpi: number; expected: Interval; baseline: number; contributions: Interval[] }[];
};

const sum = (x: ArrayLike<number>, end = x.length) => {
  let s = 0;
  for (let i = 0; i < end; i++) s += x[i]!;
  return s;
};

export function quality(observed: number[], predicted: number[]): FitQuality {
  const m = sum(observed) / observed.length;
  const ssRes = observed.reduce((a, y, i) => a + (y - predicted[i]!) ** 2, 0);
  const ssTot = observed.reduce((a, y) => a + (y - m) ** 2, 0);
  const rmse = Math.sqrt(ssRes / observed.length);
  const range = Math.max(...observed) - Math.min(...observed);
  const mape =
    observed.reduce((a, y, i) => a + (y === 0 ? 0 : Math.abs((y - predicted[i]!) / y)), 0) / observed.length;
  return { r2: 1 - ssRes / ssTot, mape, nrmse: range > 0 ? rmse / range : 0 };
}

export function summarizeOutputs(
  data: MmmData,
  design: Design,
  options: ModelOptions,
  post: PosteriorDraws,
  level: number,
  seed: number,
): MmmOutputs {
  const F = design.fitted;
  const T = design.periods;
  const C = data.channels.length;
  const totals = post.contributions.map((cs) => cs.map((x) => sum(x, F)));
  const channels: ChannelResult[] = data.channels.map((name, c) => {
    const spend = design.spendTotal[c]!;
    const total = totals.map((t) => t[c]!);
    const weights = Array.from({ length: options.maxLag }, (_, l) =>
      intervalOf(
        post.weights.map((w) => w[c]![l]!),
        level,
      ),
    );
    const meanLag = post.weights.map((w) => {
      const ws = w[c]!;
      return sum(ws.map((x, l) => x * l)) / sum(ws);
    });
    const sat = post.channels.map((d) => d[c]!.saturation);
    const scale = design.spendScale[c]!;
    return {
      name,
      spend,
      roi: intervalOf(
        total.map((x) => x / spend),
        level,
      ),
      share: intervalOf(
        totals.map((t) => t[c]! / sum(t)),
        level,
      ),
      marginalRoi: intervalOf(
        post.raised.map((r, d) => (r[c]! - total[d]!) / (MARGINAL_STEP * spend)),
        level,
      ),
      contribution: intervalOf(total, level),
      adstock: {
        kind: options.adstock,
        ...(options.adstock === 'weibull'
          ? {}
          : {
              decay: intervalOf(
                post.weights.map((w) => w[c]![1]! / w[c]![0]!),
                level,
              ),
            }),
        weights,
        meanLag: intervalOf(meanLag, level),
      },
      saturation:
        options.saturation === 'hill'
          ? {
              kind: 'hill',
              halfSaturation: intervalOf(
                sat.map((s) => s[0]! * scale),
                level,
              ),
              shape: intervalOf(
                sat.map((s) => s[1]!),
                level,
              ),
            }
          : {
              kind: 'logistic',
              rate: intervalOf(
                sat.map((s) => s[0]! / scale),
                level,
              ),
            },
    };
  });
  const expected = Array.from({ length: T }, (_, t) => post.mu.map((m) => m[t]!));
  const meanPred = expected.map((e) => sum(e) / e.length);
  const holdout = F < T ? { ...quality(data.kpi.slice(F), meanPred.slice(F)), periods: T - F } : null;
  // Posterior predictive check: share of fitted periods inside the predictive interval at `level`.
  const random = createRandom(seed, 99);
  let inside = 0;
  for (let t = 0; t < F; t++) {
    const rep = post.mu.map((m, d) => m[t]! + post.noise[d]! * random.normal());
    const iv = intervalOf(rep, level);
    if (data.kpi[t]! >= iv.lower && data.kpi[t]! <= iv.upper) inside++;
  }
  const timeline = data.dates.map((date, t) => {
    const contributions = Array.from({ length: C }, (_, c) =>
      intervalOf(
        post.contributions.map((d) => d[c]![t]!),
        level,
      ),
    );
    const exp = intervalOf(expected[t]!, level);
    return {
      date,
      kpi: data.kpi[t]!,
      expected: exp,
      baseline: exp.mean - sum(contributions.map((x) => x.mean)),
      contributions,
    };
  });
  return {
    channels,
    fit: { ...quality(data.kpi.slice(0, F), meanPred.slice(0, F)), holdout, ppcCoverage: inside / F },
    timeline,
  };
}
