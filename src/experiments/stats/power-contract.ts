// `POST /v1/stats/power` and `attune stats power`: how much traffic an experiment needs for a lift,
// or which lift it can detect with the traffic it has.
import { z } from '@hono/zod-openapi';
import { ValidationError } from '../../platform/errors.js';
import { minimumDetectableEffect, sampleSizeFor, type PowerSettings } from './power.js';

export const PowerRequestSchema = z
  .strictObject({
    metric: z.enum(['binomial', 'mean']),
    baselineMean: z.number().finite().describe('Control conversion rate (binomial) or mean'),
    baselineStddev: z
      .number()
      .finite()
      .positive()
      .optional()
      .describe('Per-unit standard deviation; required for a mean metric'),
    weights: z.array(z.number().finite().positive()).min(2).max(50).default([0.5, 0.5]),
    alpha: z.number().gt(0).lt(0.5).default(0.05),
    power: z.number().gt(0).lt(1).default(0.8),
    correction: z
      .enum(['none', 'bonferroni'])
      .default('none')
      .describe('Share α over the variations compared with the control'),
    difference: z.enum(['relative', 'absolute']).default('relative'),
    sequential: z
      .strictObject({ tuning: z.number().positive().default(5000) })
      .nullable()
      .default(null),
    lift: z
      .number()
      .finite()
      .positive()
      .optional()
      .describe('Relative lift to detect: answers with the traffic needed'),
    totalUnits: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Units in all arms: answers with the minimum detectable lift'),
    unitsPerDay: z
      .number()
      .positive()
      .optional()
      .describe('Daily traffic into the experiment: days needed, or the MDE by week'),
  })
  .openapi('PowerRequest');

export type PowerRequest = z.infer<typeof PowerRequestSchema>;

export type PowerAnswer = {
  settings: {
    alpha: number;
    power: number;
    comparisons: number;
    difference: 'relative' | 'absolute';
    sequential: { tuning: number } | null;
  };
  sampleSize: {
    lift: number;
    totalUnits: number | null;
    perArm: number[] | null;
    days: number | null;
  } | null;
  mde: { totalUnits: number; days: number | null; relative: number | null; absolute: number | null }[];
};

export function answerPower(req: PowerRequest): PowerAnswer {
  const problems = [];
  if (req.metric === 'mean' && req.baselineStddev === undefined)
    problems.push({
      path: 'baselineStddev',
      message: 'a mean metric needs the per-unit standard deviation.',
    });
  if (req.metric === 'binomial' && !(req.baselineMean > 0 && req.baselineMean < 1))
    problems.push({ path: 'baselineMean', message: 'a conversion rate lies strictly between 0 and 1.' });
  if (req.baselineMean === 0)
    problems.push({ path: 'baselineMean', message: 'a relative lift needs a non-zero baseline.' });
  if (req.lift === undefined && req.totalUnits === undefined && req.unitsPerDay === undefined)
    problems.push({
      path: '(body)',
      message: 'give lift (for the traffic needed), totalUnits or unitsPerDay (for the detectable lift).',
    });
  if (problems.length) throw new ValidationError('The power question cannot be answered as asked.', problems);

  const total = req.weights.reduce((s, w) => s + w, 0);
  const comparisons = req.correction === 'bonferroni' ? req.weights.length - 1 : 1;
  // The smallest arm paired with the control bounds the power of every comparison.
  const smallest = Math.min(...req.weights.slice(1));
  const settings: PowerSettings = {
    metric: req.metric,
    baselineMean: req.baselineMean,
    baselineStddev: req.baselineStddev,
    controlShare: req.weights[0]! / total,
    treatmentShare: smallest / total,
    alpha: req.alpha,
    comparisons,
    sequentialTuning: req.sequential?.tuning ?? null,
    difference: req.difference,
  };
  let sampleSize: PowerAnswer['sampleSize'] = null;
  if (req.lift !== undefined) {
    const units = sampleSizeFor(settings, req.lift, req.power);
    sampleSize = {
      lift: req.lift,
      totalUnits: units,
      perArm: units === null ? null : req.weights.map((w) => Math.ceil((units * w) / total)),
      days: units === null || req.unitsPerDay === undefined ? null : Math.ceil(units / req.unitsPerDay),
    };
  }
  const horizons: { totalUnits: number; days: number | null }[] = [];
  if (req.totalUnits !== undefined)
    horizons.push({
      totalUnits: req.totalUnits,
      days: req.unitsPerDay ? req.totalUnits / req.unitsPerDay : null,
    });
  else if (req.unitsPerDay !== undefined)
    for (const days of [7, 14, 21, 28, 42, 56])
      horizons.push({ totalUnits: Math.round(req.unitsPerDay * days), days });
  const mde = horizons.map((h) => {
    const relative = minimumDetectableEffect(settings, h.totalUnits, req.power);
    return { ...h, relative, absolute: relative === null ? null : relative * Math.abs(req.baselineMean) };
  });
  return {
    settings: {
      alpha: req.alpha,
      power: req.power,
      comparisons,
      difference: req.difference,
      sequential: req.sequential,
    },
    sampleSize,
    mde,
  };
}
