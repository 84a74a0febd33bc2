// A fitted channel's steady-state response: the weekly KPI a constant weekly spend brings once its
// carry-over has built up, per posterior draw. Plain numbers, shared by the outputs, the optimizer
// and the report.
import type { SaturationKind } from './spec.js';

export type ChannelDraw = {
  /** Maximum weekly effect, KPI units (already multiplied by the KPI scale). */
  beta: number;
  /** Sum of the adstock weights: steady-state adstock per unit of constant spend. */
  carry: number;
  /** hill: [halfSaturation, shape] in scaled spend; logistic: [rate]. */
  saturation: number[];
};

export type ResponseModel = {
  saturation: SaturationKind;
  channels: string[];
  /** Mean spend per period of each channel (the spend scale). */
  spendScale: number[];
  /** draws[d][c]. */
  draws: ChannelDraw[][];
};

export function saturate(kind: SaturationKind, x: number, params: number[]): number {
  if (x <= 0) return 0;
  if (kind === 'hill') {
    const [half = 1, shape = 1] = params;
    return 1 / (1 + Math.pow(half / x, shape));
  }
  return Math.tanh(0.5 * (params[0] ?? 1) * x);
}

/** Weekly KPI from channel `c` at constant weekly `spend`, under draw `d`. */
export function weeklyResponse(model: ResponseModel, d: number, c: number, spend: number): number {
  const draw = model.draws[d]![c]!;
  return draw.beta * saturate(model.saturation, (spend / model.spendScale[c]!) * draw.carry, draw.saturation);
}

/** Total weekly KPI over channels for an allocation, per draw. */
export function allocationResponse(model: ResponseModel, spend: number[]): number[] {
  return model.draws.map((_, d) => spend.reduce((s, x, c) => s + weeklyResponse(model, d, c, x), 0));
}
