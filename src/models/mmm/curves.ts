// Response curves for reading, not for optimising: each channel's steady-state weekly KPI over a
// range of weekly spend (0 to `upTo` times today's), with its credible interval over posterior
// draws. Today's spend sits at multiple 1.
import { intervalOf } from './interval.js';
import { weeklyResponse, type ResponseModel } from './response.js';

export type CurvePoint = {
  channel: string;
  /** Spend as a multiple of today's (the mean weekly spend over the fitted periods). */
  multiple: number;
  spend: number;
  mean: number;
  lower: number;
  upper: number;
};

/** Draws used per point: enough for 5%/95% quantiles, few enough to draw 40 points per channel at once. */
const CURVE_DRAWS = 400;

export function responseCurves(
  model: ResponseModel,
  currentSpend: readonly number[],
  options: { level: number; points?: number; upTo?: number },
): CurvePoint[] {
  const points = options.points ?? 40;
  const upTo = options.upTo ?? 2.5;
  const step = Math.max(1, Math.floor(model.draws.length / CURVE_DRAWS));
  const draws = model.draws.map((_, d) => d).filter((d) => d % step === 0);
  return model.channels.flatMap((channel, c) => {
    const today = currentSpend[c]! > 0 ? currentSpend[c]! : model.spendScale[c]!;
    return Array.from({ length: points + 1 }, (_, k) => {
      const multiple = (upTo * k) / points;
      const spend = multiple * today;
      const i = intervalOf(
        draws.map((d) => weeklyResponse(model, d, c, spend)),
        options.level,
      );
      return { channel, multiple, spend, ...i };
    });
  });
}
