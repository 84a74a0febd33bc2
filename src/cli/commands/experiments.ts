import { JSON_FLAG, UsageError, printJson, printTable, requireId, type Command } from '../command.js';
import { withDatabase } from '../context.js';
import { getExperiment, listExperiments } from '../../experiments/store.js';
import { analyzeExperiment } from '../../experiments/analysis.js';

const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(2)}%`);

export const experimentsCommand: Command = {
  name: 'experiments',
  summary: 'List experiments, or analyse one from the stored events.',
  usage: 'experiments list [--json] | experiments results KEY [--json]',
  help: 'Defining and changing experiments is done through the API (POST/PATCH /v1/experiments).',
  flags: { ...JSON_FLAG },
  async run({ values, positionals }) {
    const [action, key] = positionals;
    if (action === 'list') {
      const rows = await withDatabase('attune experiments list', (d) => listExperiments(d.db));
      if (values.json) printJson({ experiments: rows });
      else
        printTable(
          rows.map((e) => ({
            key: e.key,
            status: e.status,
            purpose: e.purpose,
            from: e.startAt?.toISOString().slice(0, 10) ?? '',
            to: e.stopAt?.toISOString().slice(0, 10) ?? '',
            variations: e.variations.map((v) => `${v.name} ${Math.round(v.weight * 100)}%`).join(', '),
          })),
          ['key', 'status', 'purpose', 'from', 'to', 'variations'],
        );
      return 0;
    }
    if (action === 'results') {
      if (!key)
        throw new UsageError('experiments results needs the experiment key (see `attune experiments list`).');
      const experimentKey = requireId(key, 'The experiment key', 100);
      const a = await withDatabase('attune experiments results', async (d) =>
        analyzeExperiment(d, await getExperiment(d.db, experimentKey), new Date()),
      );
      if (values.json) {
        printJson(a);
        return 0;
      }
      process.stdout.write(
        `${a.experiment.name}: ${a.window.from.slice(0, 10)} to ${a.window.to.slice(0, 10)}, ${a.arms.map((x) => `${x.name} ${x.n.toLocaleString('en-US')}`).join(' / ')} units; sample ratio p = ${a.srm.pValue.toPrecision(3)}${a.srm.flagged ? ' (MISMATCH)' : ''}\n\n`,
      );
      printTable(
        a.metrics.flatMap((m) =>
          m.result.variations.slice(1).map((v) => ({
            metric: m.metric.name,
            role: m.role,
            variation: v.name,
            lift: pct(v.estimate),
            interval:
              v.estimate === null
                ? '–'
                : `[${v.ciLower === null ? '−∞' : pct(v.ciLower)}, ${v.ciUpper === null ? '+∞' : pct(v.ciUpper)}]`,
            p: v.pValue === null ? '–' : (v.adjustedPValue ?? v.pValue).toPrecision(3),
            note: v.error ?? '',
          })),
        ),
        ['metric', 'role', 'variation', 'lift', 'interval', 'p', 'note'],
      );
      process.stdout.write(`\nVerdict: ${a.verdict.text}\n${a.warnings.map((w) => `Note: ${w}\n`).join('')}`);
      return 0;
    }
    throw new UsageError('experiments needs an action: list or results.');
  },
};
