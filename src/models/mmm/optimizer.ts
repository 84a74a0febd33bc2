// Budget allocation over posterior draws. Budget mode: spread a weekly budget over channels (within
// bounds) to maximise the expected weekly KPI. Target-ROI mode: keep adding spend while the best
// channel's expected marginal ROI stays at or above the target. The search is greedy in small
// increments on the expected response (exact for concave responses, i.e. Hill shape ≤ 1 or logistic;
// near-optimal otherwise); the proposal then carries each draw's KPI, so it comes with an interval.
import { intervalOf, type Interval } from './interval.js';
import { allocationResponse, weeklyResponse, type ResponseModel } from './response.js';

export type Bounds = Record<string, { min?: number; max?: number }>;

export type Allocation = {
  channel: string;
  current: number;
  proposed: number;
  min: number;
  max: number;
  /** Expected weekly KPI from this channel at the proposed spend. */
  kpi: Interval;
  /** KPI per extra spend unit at the proposed spend. */
  marginalRoi: Interval;
};

export type Proposal = {
  mode: 'budget' | 'target-roi';
  budget: number;
  allocations: Allocation[];
  kpi: Interval;
  currentKpi: Interval;
  /** Proposed minus current weekly KPI, per draw. */
  uplift: Interval;
  /** Share of draws in which the proposal beats the current allocation. */
  chanceBetter: number;
  notes: string[];
};

/** Increments the budget is split into. */
const STEPS = 400;
/** Draws used while searching (the proposal is then scored on all draws). */
const SEARCH_DRAWS = 200;

export function optimizeBudget(
  model: ResponseModel,
  current: number[],
  options: { budget?: number; targetRoi?: number; bounds?: Bounds; level?: number },
): Proposal {
  const level = options.level ?? 0.9;
  const C = model.channels.length;
  const notes: string[] = [];
  const unknown = Object.keys(options.bounds ?? {}).filter((k) => !model.channels.includes(k));
  if (unknown.length)
    throw new Error(
      `--bounds names unknown channel(s) ${unknown.join(', ')}; channels are ${model.channels.join(', ')}`,
    );
  const currentTotal = current.reduce((a, b) => a + b, 0);
  const mode = options.targetRoi !== undefined ? 'target-roi' : 'budget';
  const budgetCap = options.budget ?? 10 * currentTotal;
  const min = model.channels.map((c) => options.bounds?.[c]?.min ?? 0);
  const max = model.channels.map((c) => options.bounds?.[c]?.max ?? Infinity);
  const minTotal = min.reduce((a, b) => a + b, 0);
  if (minTotal > budgetCap)
    throw new Error(`the lower bounds add up to ${minTotal}, more than the budget ${budgetCap}`);
  const step = Math.max(...[budgetCap / STEPS, 1e-9]);
  const thin = Math.max(1, Math.floor(model.draws.length / SEARCH_DRAWS));
  const search = model.draws.map((_, d) => d).filter((d) => d % thin === 0);
  const expected = (c: number, x: number) =>
    search.reduce((s, d) => s + weeklyResponse(model, d, c, x), 0) / search.length;
  const x = [...min];
  let spent = minTotal;
  while (spent + step <= budgetCap + 1e-9) {
    let best = -1;
    let bestGain = -Infinity;
    for (let c = 0; c < C; c++) {
      if (x[c]! + step > max[c]!) continue;
      const gain = expected(c, x[c]! + step) - expected(c, x[c]!);
      if (gain > bestGain) {
        bestGain = gain;
        best = c;
      }
    }
    if (best < 0) {
      notes.push('every channel reached its upper bound before the budget was spent');
      break;
    }
    if (mode === 'target-roi' && bestGain / step < options.targetRoi!) break;
    x[best]! += step;
    spent += step;
  }
  if (mode === 'target-roi' && spent + step > budgetCap)
    notes.push(`stopped at the spend cap ${budgetCap.toFixed(0)}`);
  const proposedKpi = allocationResponse(model, x);
  const currentKpi = allocationResponse(model, current);
  const uplift = proposedKpi.map((v, d) => v - currentKpi[d]!);
  const marginal = (c: number, at: number) => {
    const h = Math.max(step, 1e-6);
    return model.draws.map(
      (_, d) => (weeklyResponse(model, d, c, at + h) - weeklyResponse(model, d, c, at)) / h,
    );
  };
  return {
    mode,
    budget: spent,
    allocations: model.channels.map((channel, c) => ({
      channel,
      current: current[c]!,
      proposed: x[c]!,
      min: min[c]!,
      max: max[c]!,
      kpi: intervalOf(
        model.draws.map((_, d) => weeklyResponse(model, d, c, x[c]!)),
        level,
      ),
      marginalRoi: intervalOf(marginal(c, x[c]!), level),
    })),
    kpi: intervalOf(proposedKpi, level),
    currentKpi: intervalOf(currentKpi, level),
    uplift: intervalOf(uplift, level),
    chanceBetter: uplift.filter((u) => u > 0).length / uplift.length,
    notes,
  };
}

/** Parses `a=min:max,b=:max` into bounds. */
export function parseBounds(text: string | undefined): Bounds {
  if (!text) return {};
  const out: Bounds = {};
  for (const part of text.split(',').filter(Boolean)) {
    const m = /^([^=]+)=(\d*\.?\d*):(\d*\.?\d*)$/.exec(part.trim());
    if (!m) throw new Error(`bounds "${part}" should look like channel=min:max (either side may be empty)`);
    out[m[1]!] = { ...(m[2] ? { min: Number(m[2]) } : {}), ...(m[3] ? { max: Number(m[3]) } : {}) };
  }
  return out;
}
