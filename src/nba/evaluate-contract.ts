// The off-policy evaluation request, shared by POST /v1/nba/evaluate and `attune nba evaluate`:
// a log (rows, or the text of a file in either format), a target policy, and the estimator settings.
import { z } from '@hono/zod-openapi';
import { AppError, ValidationError } from '../platform/errors.js';
import {
  LOG_FORMATS,
  empiricalTarget,
  evaluatePolicy,
  parseLog,
  parseTableTarget,
  problemWarnings,
  toLoggedRow,
  uniformTarget,
  type Evaluation,
  type LogFormat,
  type LoggedRow,
  type TargetPolicy,
} from './ope/index.js';

/** Resamples above this cost seconds of CPU per request for no visible gain in the interval. */
export const MAX_BOOTSTRAP_SAMPLES = 5000;

const LogSchema = z
  .union([z.string(), z.array(z.unknown())])
  .openapi({ description: 'The text of a log file in `format`, or an array of attune-format rows' });

export const EvaluateRequestSchema = z
  .object({
    format: z.enum(LOG_FORMATS).default('attune'),
    log: LogSchema,
    policy: z.union([
      z.literal('uniform'),
      z.object({ log: LogSchema, format: z.enum(LOG_FORMATS).optional() }).strict(),
      z.object({ probabilities: z.record(z.string(), z.union([z.number(), z.array(z.number())])) }).strict(),
    ]),
    clip: z.number().positive().optional(),
    bootstrapSamples: z.number().int().min(10).max(MAX_BOOTSTRAP_SAMPLES).default(1000),
    confidence: z.number().gt(0.5).lt(1).default(0.95),
    seed: z.number().int().default(1),
  })
  .strict()
  .openapi('NbaEvaluateRequest');

export type EvaluateRequest = z.infer<typeof EvaluateRequestSchema>;

const EstimateSchema = z.object({ value: z.number(), ciLower: z.number(), ciUpper: z.number() });
export const EvaluationSchema = z
  .object({
    rows: z.number().int(),
    estimates: z.object({
      ipw: EstimateSchema,
      snipw: EstimateSchema,
      dm: EstimateSchema,
      dr: EstimateSchema,
    }),
    weights: z.object({ mean: z.number(), max: z.number(), effectiveSampleSize: z.number() }),
    warnings: z.array(z.string()),
  })
  .openapi('NbaEvaluation');

/** Rows from file text or from an array; `line` counts from 1 either way. */
function readRows(log: string | unknown[], format: LogFormat) {
  if (typeof log === 'string') return parseLog(log, format);
  const rows: LoggedRow[] = [];
  const problems: { line: number; message: string }[] = [];
  log.forEach((v, i) => {
    const r = toLoggedRow(v);
    if (typeof r === 'string') problems.push({ line: i + 1, message: r });
    else rows.push(r);
  });
  return { rows, problems };
}

function usable(parsed: { rows: LoggedRow[]; problems: { line: number; message: string }[] }, label: string) {
  if (!parsed.rows.length)
    throw new AppError('unprocessable', `The ${label} has no usable rows.`, {
      errors: parsed.problems
        .slice(0, 20)
        .map((p) => ({ path: `${label} row ${p.line}`, message: p.message })),
    });
  return parsed;
}

export function evaluateRequest(req: EvaluateRequest): Evaluation {
  const log = usable(readRows(req.log, req.format), 'log');
  const warnings = problemWarnings(log.problems, 'log');
  let target: TargetPolicy;
  if (req.policy === 'uniform') target = uniformTarget(log.rows);
  else if ('log' in req.policy) {
    const other = usable(readRows(req.policy.log, req.policy.format ?? req.format), 'policy log');
    warnings.push(...problemWarnings(other.problems, 'policy log'));
    target = empiricalTarget(other.rows);
  } else {
    const positions = [...new Set(log.rows.map((r) => r.position))].sort((a, b) => a - b);
    const { policy, problems } = parseTableTarget(req.policy, positions);
    if (problems.length)
      throw new ValidationError(
        'The policy table is not a probability distribution in every position of the log.',
        problems.map((message) => ({ path: 'policy.probabilities', message })),
      );
    target = policy;
  }
  const result = evaluatePolicy(log.rows, target, {
    bootstrapSamples: req.bootstrapSamples,
    confidence: req.confidence,
    seed: req.seed,
    ...(req.clip === undefined ? {} : { clip: req.clip }),
  });
  return { ...result, warnings: [...warnings, ...result.warnings] };
}
