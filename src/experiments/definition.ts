// What an experiment is: the schema analysts post, and the types the store and the analysis share.
import { z } from '@hono/zod-openapi';
import { AnalysisSettingsSchema } from './stats/contract.js';
import type { Range } from './ranges.js';

const eventName = z.string().trim().min(1).max(200);
const propertyName = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^\u0000]+$/);

export const MetricSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    type: z
      .enum(['binomial', 'mean', 'ratio', 'quantile'])
      .describe(
        'binomial: did the unit do it; mean: sum per unit; ratio: numerator sum / denominator sum; quantile: a quantile (`level`) of the per-unit sums',
      ),
    event: eventName.describe(
      'The outcome event, counted within the attribution window after first exposure',
    ),
    property: propertyName
      .optional()
      .describe('Numeric property summed per unit (mean, ratio numerator); absent = count of events'),
    denominator: z
      .strictObject({ event: eventName, property: propertyName.optional() })
      .optional()
      .describe('Ratio metrics: e.g. orders for revenue per order'),
    capPercentile: z
      .number()
      .gt(0.5)
      .lt(1)
      .optional()
      .describe('Mean metrics: cap each unit at this percentile of all units (winsorising)'),
    level: z
      .number()
      .gt(0)
      .lt(1)
      .optional()
      .describe('Quantile metrics: the quantile of the per-unit values, e.g. 0.9 for P90'),
    ignoreZeros: z
      .boolean()
      .optional()
      .describe('Quantile metrics: leave out units whose value is 0 (e.g. P90 order value of buyers only)'),
    inverse: z.boolean().default(false).describe('Lower is better (e.g. refunds)'),
  })
  .refine((m) => (m.type === 'quantile') === (m.level !== undefined), {
    message: 'a quantile metric needs a level (0 < level < 1), and only a quantile metric has one',
    path: ['level'],
  })
  .refine((m) => m.ignoreZeros === undefined || m.type === 'quantile', {
    message: 'ignoreZeros applies to quantile metrics',
    path: ['ignoreZeros'],
  })
  .refine((m) => m.type !== 'ratio' || m.denominator, {
    message: 'a ratio metric needs a denominator',
    path: ['denominator'],
  })
  .refine((m) => m.capPercentile === undefined || m.type === 'mean', {
    message: 'capping applies to mean metrics',
    path: ['capPercentile'],
  });

export type MetricDefinition = z.infer<typeof MetricSchema>;

/**
 * The engine's settings plus what only a defined experiment can have: the pre-experiment strata,
 * read from each unit's latest identify trait before its first exposure.
 */
export const ExperimentAnalysisSchema = AnalysisSettingsSchema.extend({
  stratifyBy: z
    .strictObject({ trait: propertyName.describe('An identify trait, e.g. "plan" or "country"') })
    .nullable()
    .default(null)
    .describe(
      'Post-stratification of mean and binomial metrics by a trait as it was before first exposure (units without it form "(none)")',
    ),
})
  .refine((a) => !(a.cuped && a.stratifyBy), {
    message: 'use either CUPED or post-stratification in one analysis, not both',
    path: ['stratifyBy'],
  })
  .openapi('ExperimentAnalysis');

/** As stored: experiments defined before strata existed have no `stratifyBy`. */
export type ExperimentAnalysis = Omit<z.infer<typeof ExperimentAnalysisSchema>, 'stratifyBy'> & {
  stratifyBy?: { trait: string } | null;
};

export const CostModelSchema = z.strictObject({
  fixed: z.number().finite().min(0).default(0),
  perExposure: z.number().finite().min(0).default(0),
  perSend: z.number().finite().min(0).default(0),
});

const VariationSchema = z.strictObject({
  id: z
    .string()
    .trim()
    .min(1)
    .max(50)
    .regex(/^[A-Za-z0-9_.-]+$/)
    .optional()
    .describe('Defaults to the variation’s index'),
  name: z.string().trim().min(1).max(500),
  weight: z.number().finite().min(0).max(1),
  cost: CostModelSchema.default({ fixed: 0, perExposure: 0, perSend: 0 }),
});

export type VariationDefinition = {
  id: string;
  name: string;
  weight: number;
  cost: z.infer<typeof CostModelSchema>;
};
export type ExperimentPhase = { startAt: string; weights: number[]; ranges: Range[][] };

const weightsAddUp = (vs: { weight: number }[]) => vs.reduce((s, v) => s + v.weight, 0) <= 1 + 1e-9;

export const CreateExperimentSchema = z
  .strictObject({
    key: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
    name: z.string().trim().min(1).max(500).optional(),
    hypothesis: z.string().trim().min(1).max(5000),
    variations: z
      .array(VariationSchema)
      .min(2)
      .max(20)
      .refine(weightsAddUp, 'weights add up to at most 1 (the rest of the traffic stays out)'),
    purpose: z
      .enum(['marketing', 'analytics', 'personalization'])
      .describe('The consent category a user needs to be enrolled'),
    exposureEvent: eventName.default('Experiment Viewed'),
    attributionDays: z.number().int().min(1).max(90).default(7),
    goalMetrics: z.array(MetricSchema).min(1).max(20),
    guardrailMetrics: z.array(MetricSchema).max(20).default([]),
    analysis: ExperimentAnalysisSchema.default(ExperimentAnalysisSchema.parse({})),
    sendEvent: eventName.optional().describe('Counted per unit for costs per send (e.g. "Email Sent")'),
    seed: z.string().min(1).max(200).optional().describe('Hash seed; defaults to the key'),
    startAt: z.iso.datetime({ offset: true }).optional(),
    stopAt: z.iso.datetime({ offset: true }).optional(),
    status: z.enum(['draft', 'running', 'stopped']).default('running'),
  })
  .openapi('CreateExperiment');

export type CreateExperiment = z.infer<typeof CreateExperimentSchema>;

export const UpdateExperimentSchema = z
  .strictObject({
    hypothesis: z.string().trim().min(1).max(5000).optional(),
    weights: z
      .array(z.number().finite().min(0).max(1))
      .optional()
      .describe('New weights start a new phase; users already exposed keep their arm'),
    status: z.enum(['draft', 'running', 'stopped']).optional(),
    stopAt: z.iso.datetime({ offset: true }).nullable().optional(),
    analysis: ExperimentAnalysisSchema.optional(),
  })
  .openapi('UpdateExperiment');

export type UpdateExperiment = z.infer<typeof UpdateExperimentSchema>;

export type Experiment = {
  key: string;
  name: string;
  hypothesis: string;
  status: 'draft' | 'running' | 'stopped';
  seed: string;
  purpose: 'marketing' | 'analytics' | 'personalization';
  exposureEvent: string;
  attributionDays: number;
  variations: VariationDefinition[];
  phases: ExperimentPhase[];
  goalMetrics: MetricDefinition[];
  guardrailMetrics: MetricDefinition[];
  analysis: ExperimentAnalysis;
  sendEvent: string | null;
  startAt: Date | null;
  stopAt: Date | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
};
