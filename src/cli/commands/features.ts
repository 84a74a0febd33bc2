// `attune features refresh` and `attune features export`: the per-person features from the command
// line (the export is the table the propensity benchmark and `attune propensity fit` can read).
import fs from 'node:fs';
import { JSON_FLAG, UsageError, printJson, requireString, type Command } from '../command.js';
import { withDatabase } from '../context.js';
import { createProgress } from '../progress.js';
import { buildTrainingSet, refreshFeatures, trainingSetCsv, TrainingSetError } from '../../features/index.js';

function dates(text: string, flag: string): Date[] {
  return text.split(',').map((s) => {
    const d = new Date(s.trim().length === 10 ? `${s.trim()}T00:00:00Z` : s.trim());
    if (Number.isNaN(d.getTime()))
      throw new UsageError(`--${flag}: "${s}" is not a date (YYYY-MM-DD or ISO-8601).`);
    return d;
  });
}

export const featuresCommand: Command = {
  name: 'features',
  summary: 'Refresh the materialised per-person features, or export training rows as CSV.',
  usage:
    'features refresh [--as-of ISO] [--full] [--json] | features export --as-of DATE[,DATE...] [--horizon 30] --out FILE.csv',
  help: 'export writes a row per signed-up, consenting customer per date: the features from events before that date and purchased_<horizon>d, whether they ordered in the following days.',
  flags: {
    'as-of': {
      type: 'string',
      description: 'instant(s): refresh to this instant (default now); export one row set per date',
    },
    full: { type: 'boolean', description: 'recompute everyone, not only those who changed' },
    horizon: { type: 'string', description: 'label window in days (export; default 30)' },
    out: { type: 'string', description: 'CSV file to write (export)' },
    ...JSON_FLAG,
  },
  async run({ values, positionals }) {
    const action = positionals[0];
    if (action === 'refresh') {
      const asOf = typeof values['as-of'] === 'string' ? dates(values['as-of'], 'as-of')[0]! : new Date();
      const r = await withDatabase('attune features refresh', (d) =>
        refreshFeatures(d, asOf, { full: values.full === true }),
      );
      if (values.json) printJson(r);
      else
        process.stdout.write(
          `Features as of ${r.asOf} (${r.mode}): ${r.recomputed} recomputed, ${r.removed} removed, ${r.persons} people in all.\n`,
        );
      return 0;
    }
    if (action === 'export') {
      const snapshots = dates(requireString(values, 'as-of'), 'as-of');
      const horizon = values.horizon === undefined ? 30 : Number(values.horizon);
      if (!Number.isInteger(horizon) || horizon < 1 || horizon > 365)
        throw new UsageError('--horizon must be a whole number of days, 1–365.');
      const out = requireString(values, 'out');
      const progress = createProgress(process.stderr);
      const set = await withDatabase('attune features export', async (d) => {
        try {
          return await buildTrainingSet(d, {
            snapshots,
            horizonDays: horizon,
            onSnapshot: (done, total) =>
              progress.update(done / total, `features export: snapshot ${done} of ${total}`),
          });
        } catch (err) {
          if (err instanceof TrainingSetError) throw new UsageError(err.message);
          throw err;
        } finally {
          progress.done();
        }
      });
      fs.writeFileSync(out, trainingSetCsv(set));
      const buyers = set.rows.filter((r) => r.label === 1).length;
      process.stdout.write(
        `Wrote ${set.rows.length.toLocaleString('en-US')} rows (${buyers.toLocaleString('en-US')} buyers) × ${set.features.length} features to ${out}.\n`,
      );
      return 0;
    }
    throw new UsageError('features needs an action: refresh or export.');
  },
};
