// `attune nba evaluate`: off-policy evaluation of a target policy over a log file.
// `attune nba log`: the decision log joined with its rewards, in the attune format evaluate reads.
import {
  JSON_FLAG,
  UsageError,
  printJson,
  printTable,
  readInputText,
  requireString,
  type Command,
} from '../command.js';
import { EvaluateRequestSchema, evaluateRequest, type EvaluateRequest } from '../../nba/evaluate-contract.js';
import { LOG_FORMATS, type Evaluation } from '../../nba/ope/index.js';
import { parseOrThrow } from '../../platform/errors.js';
import fs from 'node:fs';
import { withDatabase } from '../context.js';
import { rewardedDecisions, toEvaluationRows } from '../../nba/index.js';

const num = (x: number) => (x === 0 || Math.abs(x) >= 1e-3 ? x.toFixed(5) : x.toExponential(3));
const optionalNumber = (v: string | boolean | undefined, name: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got "${String(v)}".`);
  return n;
};
function format(v: string | boolean | undefined, name: string): (typeof LOG_FORMATS)[number] | undefined {
  if (v === undefined) return undefined;
  if (!(LOG_FORMATS as readonly unknown[]).includes(v))
    throw new UsageError(`--${name} must be one of ${LOG_FORMATS.join(', ')}, got "${String(v)}".`);
  return v as (typeof LOG_FORMATS)[number];
}

function policyOf(values: Record<string, string | boolean | undefined>): unknown {
  const policy = values.policy;
  const policyLog = values['policy-log'];
  if ((policy === undefined) === (policyLog === undefined))
    throw new UsageError('Give exactly one of --policy uniform, --policy FILE.json or --policy-log FILE.');
  if (typeof policyLog === 'string') {
    const f = format(values['policy-format'], 'policy-format');
    return { log: readInputText(policyLog), ...(f ? { format: f } : {}) };
  }
  if (policy === 'uniform') return 'uniform';
  const text = readInputText(String(policy));
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${String(policy)} is not valid JSON: ${(err as Error).message}`);
  }
}

function printText(e: Evaluation): void {
  process.stdout.write(`${e.rows} rows\n\n`);
  printTable(
    Object.entries(e.estimates).map(([name, v]) => ({
      estimator: name,
      value: num(v.value),
      interval: `[${num(v.ciLower)}, ${num(v.ciUpper)}]`,
    })),
    ['estimator', 'value', 'interval'],
  );
  const w = e.weights;
  process.stdout.write(
    `\nweights: mean ${w.mean.toFixed(3)}, max ${w.max.toFixed(3)}, effective sample size ${w.effectiveSampleSize.toFixed(1)}\n`,
  );
  for (const warning of e.warnings) process.stdout.write(`warning: ${warning}\n`);
}

export const nbaCommand: Command = {
  name: 'nba',
  summary: 'Next best action: export the decision log; off-policy evaluation of a policy over a log.',
  usage: [
    'nba evaluate --log FILE [--format attune|obd] (--policy uniform | --policy-log FILE | --policy FILE.json) [--json]',
    'nba log --out FILE [--since ISO]',
  ].join('\n       '),
  help: [
    'Formats (see README "Next best action: off-policy evaluation"):',
    '  attune  JSON Lines, one {"action", "position" (default 0), "reward", "propensity"} per line',
    '  obd     the Open Bandit Dataset CSV (item_id, position 1..3, click, propensity_score)',
    "Policies: uniform over the log's actions; the action-by-position frequencies of another log;",
    'or {"probabilities": {"<action>": p | [p per position]}}.',
  ].join('\n'),
  flags: {
    log: { type: 'string', description: 'the log to evaluate on ("-" reads stdin)' },
    format: { type: 'string', description: 'attune (default) or obd' },
    policy: { type: 'string', description: 'uniform, or a JSON table of probabilities' },
    'policy-log': { type: 'string', description: "another policy's log; its empirical frequencies" },
    'policy-format': { type: 'string', description: 'format of --policy-log (default: --format)' },
    clip: { type: 'string', description: 'largest importance weight (default: no clipping)' },
    bootstrap: { type: 'string', description: 'bootstrap resamples (default 1000)' },
    seed: { type: 'string', description: 'bootstrap seed (default 1)' },
    out: { type: 'string', description: 'nba log: the JSON Lines file to write ("-" for stdout)' },
    since: { type: 'string', description: 'nba log: only decisions from this instant on' },
    ...JSON_FLAG,
  },
  async run({ values, positionals }) {
    if (positionals[0] === 'log') return exportLog(values);
    if (positionals[0] !== 'evaluate') throw new UsageError('nba needs an action: evaluate or log.');
    const f = format(values.format, 'format');
    const clip = optionalNumber(values.clip, 'clip');
    const bootstrapSamples = optionalNumber(values.bootstrap, 'bootstrap');
    const seed = optionalNumber(values.seed, 'seed');
    const request: EvaluateRequest = parseOrThrow(
      EvaluateRequestSchema,
      {
        log: readInputText(requireString(values, 'log')),
        policy: policyOf(values),
        ...(f ? { format: f } : {}),
        ...(clip === undefined ? {} : { clip }),
        ...(bootstrapSamples === undefined ? {} : { bootstrapSamples }),
        ...(seed === undefined ? {} : { seed }),
      },
      'The evaluation settings did not validate.',
    );
    const result = evaluateRequest(request);
    if (values.json) printJson(result);
    else printText(result);
    return 0;
  },
};

/** Rows the policy chose whose reward is known (in its window, or defaulted after it), one JSON per line. */
async function exportLog(values: Record<string, string | boolean | undefined>): Promise<number> {
  const out = requireString(values, 'out');
  const since = typeof values.since === 'string' ? new Date(values.since) : undefined;
  if (since && Number.isNaN(since.getTime()))
    throw new UsageError(`--since must be an ISO instant, got "${String(values.since)}".`);
  const rows = await withDatabase('attune nba log', async (d) =>
    toEvaluationRows(await rewardedDecisions(d, new Date(), since ? { since } : {})),
  );
  const text = rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : '');
  if (out === '-') process.stdout.write(text);
  else {
    fs.writeFileSync(out, text);
    process.stderr.write(`${rows.length} decisions written to ${out}\n`);
  }
  return 0;
}
