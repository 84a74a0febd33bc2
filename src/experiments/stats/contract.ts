// The public contract of `POST /v1/stats/analyze` and `attune stats analyze`: analysts bring
// sufficient statistics from elsewhere. The schema validates shape; `checkAnalysisInput` refuses
// numbers no data set could produce, and comparisons the engine cannot make, with a reason per arm.
import { z } from '@hono/zod-openapi';
import { AppError, ValidationError, parseOrThrow, type ItemProblem } from '../../platform/errors.js';
import { analyze, type AnalysisResult } from './analyze.js';

const finite = () => z.number().finite();

export const VariationStatsSchema = z
  .strictObject({
    name: z.string().min(1).max(500),
    n: finite().describe('Units (users) in the arm'),
    sum: finite()
      .optional()
      .describe(
        'Σy (conversions for a binomial metric; the numerator for a ratio metric); not for quantiles',
      ),
    sumSquares: finite().optional().describe('Σy²; may be omitted for binomial metrics'),
    denominatorSum: finite().default(0).describe('Ratio metrics: Σd'),
    denominatorSumSquares: finite().default(0).describe('Ratio metrics: Σd²'),
    sumProduct: finite().default(0).describe('Ratio metrics: Σy·d'),
    covariateSum: finite().default(0).describe('CUPED: Σx of the pre-period covariate'),
    covariateSumSquares: finite().default(0).describe('CUPED: Σx²'),
    covariateSumProduct: finite().default(0).describe('CUPED: Σx·y'),
    covariateDenominatorSum: finite()
      .default(0)
      .describe('CUPED for ratios: Σd₀ of the pre-period denominator'),
    covariateDenominatorSumSquares: finite().default(0).describe('CUPED for ratios: Σd₀²'),
    crossProducts: z
      .strictObject({
        numeratorNumeratorPre: finite().describe('Σ m₁·m₀ (post numerator × pre numerator)'),
        denominatorDenominatorPre: finite().describe('Σ d₁·d₀'),
        numeratorPreDenominatorPre: finite().describe('Σ m₀·d₀'),
        numeratorDenominatorPre: finite().describe('Σ m₁·d₀'),
        numeratorPreDenominator: finite().describe('Σ m₀·d₁'),
      })
      .optional()
      .describe('CUPED for ratios: cross-products of the post (m₁, d₁) and pre (m₀, d₀) per-unit values'),
    nStar: finite().positive().optional().describe('Quantile metrics: n*, the sample size of the bounds'),
    quantile: finite().optional().describe('Quantile metrics: the arm’s sample quantile'),
    quantileLower: finite().optional().describe('Quantile metrics: lower 95% bound of the quantile'),
    quantileUpper: finite().optional().describe('Quantile metrics: upper 95% bound of the quantile'),
    strata: z
      .array(
        z.strictObject({
          name: z.string().min(1).max(200),
          n: finite().min(0),
          sum: finite(),
          sumSquares: finite().optional(),
        }),
      )
      .max(1000)
      .optional()
      .describe('Post-stratification (mean, binomial): the arm’s sums per pre-experiment stratum'),
    spend: finite()
      .min(0)
      .optional()
      .describe('Attune extension: the arm’s total spend, for cost per outcome'),
  })
  .openapi('VariationStats');

export const AnalysisSettingsSchema = z
  .strictObject({
    engine: z.enum(['frequentist', 'bayesian']).default('frequentist'),
    difference: z.enum(['relative', 'absolute']).default('relative'),
    alpha: finite().gt(0).lt(0.5).default(0.05),
    test: z.enum(['two-sided', 'greater', 'less']).default('two-sided'),
    sequential: z
      .strictObject({ tuning: finite().positive().default(5000) })
      .nullable()
      .default(null),
    prior: z.strictObject({ mean: finite(), stddev: finite().positive() }).nullable().default(null),
    cuped: z.boolean().default(false),
    correction: z.enum(['none', 'holm', 'bh']).default('none'),
  })
  .openapi('AnalysisSettings');

export const AnalysisRequestSchema = z
  .strictObject({
    metric: z.strictObject({
      type: z.enum(['mean', 'binomial', 'ratio', 'quantile']),
      inverse: z.boolean().default(false),
      level: finite().gt(0).lt(1).optional().describe('Quantile metrics: the quantile, e.g. 0.9 for P90'),
    }),
    analysis: AnalysisSettingsSchema.default(AnalysisSettingsSchema.parse({})),
    weights: z.array(finite().min(0)).optional(),
    variations: z.array(VariationStatsSchema).min(2).max(50),
  })
  .openapi('AnalysisRequest');

export type AnalysisRequest = z.infer<typeof AnalysisRequestSchema>;

const nullableNumber = z.number().nullable();
export const AnalysisResponseSchema = z
  .object({
    srm: z.object({
      pValue: z.number(),
      flagged: z.boolean(),
      chiSquare: z.number(),
      dof: z.number(),
      threshold: z.number(),
      weights: z.array(z.number()),
      expected: z.array(z.number()),
      assumedEqualWeights: z.boolean(),
    }),
    variations: z.array(
      z.object({
        name: z.string(),
        n: z.number(),
        mean: z.number(),
        stddev: z.number(),
        estimate: nullableNumber,
        ciLower: nullableNumber,
        ciUpper: nullableNumber,
        se: nullableNumber,
        pValue: nullableNumber,
        adjustedPValue: nullableNumber,
        adjustedCi: z.object({ ciLower: nullableNumber, ciUpper: nullableNumber }).nullable(),
        dof: nullableNumber,
        chanceToWin: nullableNumber,
        risk: z.object({ control: z.number(), variation: z.number() }).nullable(),
        cupedTheta: nullableNumber,
        varianceReduction: nullableNumber,
        cost: z
          .object({
            spend: z.number(),
            outcomes: z.number(),
            value: nullableNumber,
            ciLower: nullableNumber,
            ciUpper: nullableNumber,
          })
          .nullable(),
        incrementalCost: z
          .object({
            costDifferencePerUnit: z.number(),
            value: nullableNumber,
            ciLower: nullableNumber,
            ciUpper: nullableNumber,
          })
          .nullable(),
        error: z.string().nullable(),
      }),
    ),
    verdict: z.object({ status: z.string(), variation: z.string().nullable(), text: z.string() }),
  })
  .openapi('AnalysisResult');

/** Relative slack for sums that went through floating point before they reached us. */
const SLACK = 1e-9;

function impossibleSums(req: AnalysisRequest): ItemProblem[] {
  const problems: ItemProblem[] = [];
  const { type } = req.metric;
  req.variations.forEach((v, i) => {
    const at = (field: string, message: string) =>
      problems.push({ path: `variations.${i}.${field}`, message: `${v.name}: ${message}`, index: i });
    if (!Number.isInteger(v.n) && Math.abs(v.n - Math.round(v.n)) > SLACK)
      at('n', 'n must be a whole number of units.');
    if (v.n < 2) at('n', `n is ${v.n}; an arm needs at least 2 units for a variance.`);
    if (type === 'quantile') {
      for (const f of ['quantile', 'quantileLower', 'quantileUpper'] as const)
        if (v[f] === undefined) at(f, `${f} is required for a quantile metric.`);
      if (v.quantileLower !== undefined && v.quantileUpper !== undefined && v.quantileLower > v.quantileUpper)
        at('quantileLower', 'quantileLower is above quantileUpper.');
      return;
    }
    if (v.sum === undefined) return at('sum', `sum is required for a ${type} metric.`);
    if (type === 'binomial' && (v.sum < 0 || v.sum > v.n))
      at('sum', `a binomial sum counts converted units, so it must lie in [0, n]; got ${v.sum} of ${v.n}.`);
    if (type !== 'binomial' && v.sumSquares === undefined)
      at('sumSquares', `sumSquares is required for a ${type} metric.`);
    const below = (sq: number, s: number) =>
      v.n > 0 && sq < (s * s) / v.n - SLACK * Math.max(1, Math.abs(sq));
    if (v.sumSquares !== undefined && below(v.sumSquares, v.sum))
      at('sumSquares', 'sumSquares is smaller than sum²/n, which no data set can give (Cauchy–Schwarz).');
    if (type === 'ratio' && below(v.denominatorSumSquares, v.denominatorSum))
      at('denominatorSumSquares', 'denominatorSumSquares is smaller than denominatorSum²/n.');
    if (req.analysis.cuped && below(v.covariateSumSquares, v.covariateSum))
      at('covariateSumSquares', 'covariateSumSquares is smaller than covariateSum²/n.');
    if (type === 'ratio' && req.analysis.cuped) {
      if (below(v.covariateDenominatorSumSquares, v.covariateDenominatorSum))
        at(
          'covariateDenominatorSumSquares',
          'covariateDenominatorSumSquares is smaller than covariateDenominatorSum²/n.',
        );
      if (!v.crossProducts || v.covariateDenominatorSum === 0)
        at(
          'crossProducts',
          'CUPED for a ratio metric needs the pre-period sums (covariateSum, covariateDenominatorSum and their squares) and crossProducts.',
        );
    }
    if (v.strata && v.strata.reduce((n, st) => n + st.n, 0) !== v.n)
      at(
        'strata',
        `the strata's units add up to ${v.strata.reduce((n, st) => n + st.n, 0)}, not n = ${v.n}.`,
      );
  });
  if (req.weights && req.weights.length !== req.variations.length)
    problems.push({
      path: 'weights',
      message: `weights has ${req.weights.length} entries for ${req.variations.length} variations.`,
    });
  if (req.weights && !req.weights.some((w) => w > 0))
    problems.push({ path: 'weights', message: 'at least one weight must be positive.' });
  if (req.metric.type === 'quantile' && req.metric.level === undefined)
    problems.push({ path: 'metric.level', message: 'a quantile metric needs its level, e.g. 0.9 for P90.' });
  if (req.metric.type === 'quantile' && req.analysis.cuped)
    problems.push({ path: 'analysis.cuped', message: 'CUPED does not apply to quantile metrics.' });
  if (req.variations.some((v) => v.strata)) {
    if (req.metric.type === 'ratio' || req.metric.type === 'quantile')
      problems.push({
        path: 'variations',
        message: 'post-stratification applies to mean and binomial metrics.',
      });
    if (req.analysis.cuped)
      problems.push({
        path: 'analysis.cuped',
        message: 'use either CUPED or strata, not both, in one analysis.',
      });
  }
  if (req.analysis.engine === 'bayesian' && req.analysis.sequential)
    problems.push({
      path: 'analysis.sequential',
      message:
        'sequential intervals are frequentist; set it to null for the Bayesian engine (posteriors need no peeking correction).',
    });
  return problems;
}

const ERROR_TEXT = {
  ZERO_NEGATIVE_VARIANCE:
    'zero variance: every unit in this arm or the control has the same value, so no interval exists.',
  ZERO_NEGATIVE_BASELINE_VARIATION:
    'the control mean is 0, so a relative lift is undefined; use "difference": "absolute".',
} as const;

/** Validates, runs the engine, and refuses a result in which a comparison could not be made. */
export function analyzeRequest(req: AnalysisRequest): AnalysisResult {
  const problems = impossibleSums(req);
  if (problems.length) throw new ValidationError('These sufficient statistics are impossible.', problems);
  const result = analyze({ ...req, variations: req.variations.map((v) => ({ ...v, sum: v.sum ?? 0 })) });
  const failed = result.variations.flatMap((v, i) =>
    v.error
      ? [{ path: `variations.${i}`, message: `${v.name}: ${ERROR_TEXT[v.error]}`, index: i, code: v.error }]
      : [],
  );
  if (failed.length)
    throw new AppError('unprocessable', 'The engine cannot compare these arms.', { errors: failed });
  return result;
}

/** Parses an untrusted document (a CLI file) against the contract with the API's error shape. */
export function parseAnalysisRequest(raw: unknown): AnalysisRequest {
  return parseOrThrow(AnalysisRequestSchema, raw, 'The analysis request did not validate.');
}
