// `POST /v1/drift/compare` and `attune drift compare`: two samples in, one verdict per column out,
// with the conventions each statistic follows stated in the answer.
import { z } from '@hono/zod-openapi';
import { AppError } from '../platform/errors.js';
import {
  compareSamples,
  DriftInputError,
  DRIFT_METHODS,
  toColumns,
  type DriftReport,
  type Samples,
} from './compare.js';
import { KS_EXACT_MAX_N } from './ks.js';

const cell = z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]);
const SampleSchema = z.union([
  z.array(z.record(z.string(), cell)).min(1).describe('Rows: one object per record'),
  z.record(z.string(), z.array(cell).min(1)).describe('Columns: one array per column'),
]);
const ColumnOptionsSchema = z.strictObject({
  method: z.enum(DRIFT_METHODS).optional(),
  threshold: z.number().finite().positive().optional(),
  binning: z.enum(['sturges', 'quantile']).optional(),
  quantileBins: z.number().int().min(2).max(100).optional(),
});

export const DriftCompareRequestSchema = z
  .strictObject({
    reference: SampleSchema,
    current: SampleSchema,
    columns: z.array(z.string()).min(1).optional(),
    ...ColumnOptionsSchema.shape,
    perColumn: z.record(z.string(), ColumnOptionsSchema).optional(),
  })
  .openapi('DriftCompareRequest');

export type DriftCompareRequest = z.infer<typeof DriftCompareRequestSchema>;

export const DRIFT_CONVENTIONS = {
  ks: `two-sample Kolmogorov–Smirnov, two-sided; exact p-value when both samples have at most ${KS_EXACT_MAX_N.toLocaleString('en-US')} values, else asymptotic (as scipy.stats.ks_2samp with method "auto")`,
  chiSquare: 'Pearson homogeneity test on the 2 × k table of counts, no continuity correction; dof = k − 1',
  zTest: 'two-proportion z-test with pooled variance, two-sided (two categories only)',
  wasserstein:
    'Wasserstein-1 distance in data units, and normalised by the reference standard deviation (ddof 0, floored at 0.001)',
  jensenShannon:
    'Jensen–Shannon distance (square root of the divergence) with the natural log, over the same bins as PSI',
  psi: 'Σ (ref − cur)·ln(ref/cur) over bins; numeric bins are equal-width Sturges bins over the pooled samples (Evidently) unless binning is "quantile" (reference deciles); empty shares floored at 1e-4',
  methodChoice:
    'as Evidently: up to 1,000 reference rows, KS for numeric columns with more than 5 values, else chi-square (more than 2 categories) or z; beyond that, normalised Wasserstein for numeric, Jensen–Shannon for categorical',
} as const;

const samplesOf = (s: DriftCompareRequest['reference']): Samples => (Array.isArray(s) ? toColumns(s) : s);

export function compareRequest(
  req: DriftCompareRequest,
): DriftReport & { conventions: typeof DRIFT_CONVENTIONS } {
  try {
    return {
      ...compareSamples(samplesOf(req.reference), samplesOf(req.current), req),
      conventions: DRIFT_CONVENTIONS,
    };
  } catch (err) {
    if (err instanceof DriftInputError) throw new AppError('unprocessable', err.message);
    throw err;
  }
}
