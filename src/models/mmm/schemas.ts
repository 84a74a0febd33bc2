// Wire formats of the MMM: an import of a CSV into a stored data set, a fit request (the `mmm.fit`
// job's data and the body of POST /v1/mmm/fits), and an optimisation request. One zod source for the
// API, the job and the CLI.
import { z } from '@hono/zod-openapi';
import { DATASET_NAME } from './store.js';

const columnName = z.string().min(1).max(200);

export const ImportSchema = z
  .strictObject({
    csv: z.string().min(1).describe('The CSV text: a header row, then one row per week (or day)'),
    dateColumn: columnName.describe('Date column (ISO dates, weekly or daily, no gaps)'),
    kpi: columnName.describe('KPI column (revenue or conversions)'),
    channels: z.array(columnName).min(1).max(50).describe('Spend columns, one per channel'),
    controls: z.array(columnName).max(50).default([]).describe('Control columns (events, price, ...)'),
    replace: z.boolean().default(false).describe('Drop the stored rows (and column roles) first'),
  })
  .openapi('MmmImport');

export const DatasetParam = z.object({
  dataset: z.string().regex(DATASET_NAME, '1–64 lower-case letters, digits, - or _'),
});

const positive = z.number().positive().max(1e9);

export const FitRequestSchema = z
  .strictObject({
    dataset: z.string().regex(DATASET_NAME).describe('A stored data set (POST /v1/mmm/datasets/{dataset})'),
    adstock: z.enum(['geometric', 'geometric-normalized', 'weibull']).default('geometric'),
    saturation: z.enum(['hill', 'logistic']).default('hill'),
    maxLag: z.number().int().min(1).max(52).default(8).describe('Longest carry-over, in periods'),
    holdout: z.number().int().min(0).max(104).default(0).describe('Final periods held out and predicted'),
    roiPriors: z
      .record(z.string(), z.strictObject({ mean: positive, sd: positive }))
      .default({})
      .describe('Per-channel ROI priors (LogNormal with this mean and sd), e.g. from lift tests'),
    chains: z.number().int().min(1).max(8).default(4),
    draws: z.number().int().min(10).max(5000).default(1000).describe('Draws per chain after warm-up'),
    warmup: z.number().int().min(10).max(5000).default(1000),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31)
      .default(1),
    targetAccept: z
      .number()
      .min(0.5)
      .max(0.99)
      .default(0.8)
      .describe(
        'NUTS target acceptance; with the sampler coordinates 0.8 left no divergence on five simulated worlds, where 0.95 mixed worse on one',
      ),
    interval: z.number().min(0.5).max(0.99).default(0.9).describe('Credible interval level'),
  })
  .openapi('MmmFitRequest');
export type FitRequest = z.infer<typeof FitRequestSchema>;

export const OptimizeSchema = z
  .strictObject({
    budget: positive.optional().describe('Total spend per period to spread over channels'),
    targetRoi: positive.optional().describe('Add spend while the best marginal ROI stays at or above this'),
    bounds: z
      .record(
        z.string(),
        z.strictObject({ min: z.number().min(0).optional(), max: z.number().min(0).optional() }),
      )
      .default({})
      .describe('Per-channel spend bounds per period'),
  })
  .refine((v) => v.budget !== undefined || v.targetRoi !== undefined, {
    message: 'give budget or targetRoi',
  })
  .openapi('MmmOptimize');
