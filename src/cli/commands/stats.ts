import {
  JSON_FLAG,
  UsageError,
  printJson,
  printTable,
  readInputText,
  requireString,
  type Command,
} from '../command.js';
import { analyzeRequest, parseAnalysisRequest } from '../../experiments/stats/contract.js';
import { PowerRequestSchema, answerPower } from '../../experiments/stats/power-contract.js';
import { parseOrThrow } from '../../platform/errors.js';

/** Reads a JSON document from a file, or from stdin for "-", with a message that names the file. */
function readJsonInput(file: string): unknown {
  const text = readInputText(file);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
}

const num = (x: number | null | undefined, digits = 4) =>
  x === null || x === undefined
    ? '-'
    : Math.abs(x) >= 1e-3 || x === 0
      ? x.toFixed(digits)
      : x.toExponential(2);
const interval = (lo: number | null, hi: number | null) =>
  `[${lo === null ? '-∞' : num(lo)}, ${hi === null ? '+∞' : num(hi)}]`;

export const statsCommand: Command = {
  name: 'stats',
  summary: 'Analyse an experiment from sufficient statistics, or size one (power).',
  usage: 'stats analyze --input FILE [--json] | stats power --input FILE [--json]',
  help: 'FILE holds the same JSON as POST /v1/stats/analyze or /v1/stats/power ("-" reads stdin). See README "Stats engine".',
  flags: { input: { type: 'string', description: 'JSON file, or - for stdin' }, ...JSON_FLAG },
  run({ values, positionals }) {
    const [action] = positionals;
    const input = readJsonInput(requireString(values, 'input'));
    if (action === 'analyze') {
      const result = analyzeRequest(parseAnalysisRequest(input));
      if (values.json) printJson(result);
      else {
        const bayes = result.variations.some((v) => v.chanceToWin !== null);
        printTable(
          result.variations.map((v) => ({
            arm: v.name,
            n: v.n,
            mean: num(v.mean),
            lift: num(v.estimate),
            interval: v.estimate === null ? '-' : interval(v.ciLower, v.ciUpper),
            ...(bayes
              ? { 'chance to win': num(v.chanceToWin, 3), 'risk (ship)': num(v.risk?.variation) }
              : { p: num(v.pValue), 'adjusted p': num(v.adjustedPValue) }),
            'cost/outcome': num(v.cost?.value ?? null, 2),
          })),
          [
            'arm',
            'n',
            'mean',
            'lift',
            'interval',
            ...(bayes ? ['chance to win', 'risk (ship)'] : ['p', 'adjusted p']),
            'cost/outcome',
          ],
        );
        process.stdout.write(
          `\nSample ratio: p = ${num(result.srm.pValue)} (${result.srm.flagged ? 'MISMATCH' : 'ok'}${result.srm.assumedEqualWeights ? ', against equal weights' : ''})\nVerdict: ${result.verdict.text}\n`,
        );
      }
      return Promise.resolve(0);
    }
    if (action === 'power') {
      const request = parseOrThrow(PowerRequestSchema, input, 'The power request did not validate.');
      const answer = answerPower(request);
      if (values.json) printJson(answer);
      else {
        if (answer.sampleSize) {
          const s = answer.sampleSize;
          process.stdout.write(
            s.totalUnits === null
              ? `A lift of ${num(s.lift * 100, 1)}% cannot be detected with any practical traffic.\n`
              : `To detect a ${num(s.lift * 100, 1)}% lift with power ${request.power}: ${s.totalUnits.toLocaleString('en-US')} units in all (${s.perArm!.map((n) => n.toLocaleString('en-US')).join(' / ')} per arm)${s.days === null ? '' : `, ${s.days} days`}.\n`,
          );
        }
        if (answer.mde.length)
          printTable(
            answer.mde.map((m) => ({
              days: m.days === null ? '-' : num(m.days, 0),
              units: m.totalUnits.toLocaleString('en-US'),
              'relative MDE': m.relative === null ? 'none' : `${num(m.relative * 100, 2)}%`,
              'absolute MDE': num(m.absolute),
            })),
            ['days', 'units', 'relative MDE', 'absolute MDE'],
          );
      }
      return Promise.resolve(0);
    }
    throw new UsageError('stats needs an action: analyze or power.');
  },
};
