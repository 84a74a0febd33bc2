// `attune train propensity` and `attune models list|show|promote|rollback`: the model registry from
// the command line. See README "Models".
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { JSON_FLAG, UsageError, printJson, printTable, requireString, type Command } from '../command.js';
import { withDatabase } from '../context.js';
import { createProgress } from '../progress.js';
import { getVersion, history, listVersions, promote, rollback } from '../../models/registry/index.js';
import { PropensityTrainingError, scoreEveryone, trainPropensity } from '../../models/propensity/index.js';

const f4 = (x: unknown) => (typeof x === 'number' ? x.toFixed(4) : '–');

/** A CSV with a user id column and a probability column (a simulated world's customers.csv). */
export function readTruth(file: string): Map<string, number> {
  let rows: Record<string, string>[];
  try {
    rows = parse(fs.readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true, bom: true });
  } catch (err) {
    throw new UsageError(`--truth ${file} is not a readable CSV: ${(err as Error).message}`);
  }
  const first = rows[0] ?? {};
  const idCol = ['userId', 'user_id'].find((c) => c in first);
  const pCol = ['p30', 'probability', 'p'].find((c) => c in first);
  if (!idCol || !pCol)
    throw new UsageError(`--truth ${file} needs a userId (or user_id) and a p30 (or probability) column.`);
  return new Map(
    rows.filter((r) => r[pCol] !== '' && r[pCol] !== undefined).map((r) => [r[idCol]!, Number(r[pCol])]),
  );
}

export const trainCommand: Command = {
  name: 'train',
  summary: 'Train a model on the stored events, gate it against the champion, and record it.',
  usage: 'train propensity [--truth customers.csv] [--candidates logistic,mlp,forest] [--json]',
  help: "Prints {version, promoted, reason, metrics: {auc, prAuc, logLoss, brier, ece}, ceilingAuc} with --json (ceilingAuc only with --truth, a CSV of each user's true probability, such as a simulated world's customers.csv). A promoted version scores everyone.",
  flags: {
    truth: { type: 'string', description: 'CSV of true probabilities per user (simulated worlds)' },
    candidates: {
      type: 'string',
      description: 'comma-separated: logistic, mlp, forest (default: all three)',
    },
    ...JSON_FLAG,
  },
  async run({ values, positionals }) {
    if (positionals[0] !== 'propensity') throw new UsageError('train needs a model kind: propensity.');
    const truth = typeof values.truth === 'string' ? readTruth(values.truth) : undefined;
    const candidates =
      typeof values.candidates === 'string' ? values.candidates.split(',').map((s) => s.trim()) : undefined;
    const bad = candidates?.filter((c) => !['logistic', 'mlp', 'forest'].includes(c)) ?? [];
    if (bad.length) throw new UsageError(`--candidates: unknown ${bad.join(', ')} (logistic, mlp, forest).`);
    const progress = createProgress(process.stderr);
    const result = await withDatabase('attune train propensity', async (database) => {
      try {
        const r = await trainPropensity(database, {
          actor: 'cli',
          ...(truth ? { truth } : {}),
          ...(candidates ? { candidates: candidates as ('logistic' | 'mlp' | 'forest')[] } : {}),
          onProgress: (fraction, note) =>
            progress.update(fraction, `training propensity: ${Math.round(fraction * 100)}% ${note}`),
        });
        progress.done();
        const scored = r.promoted ? await scoreEveryone(database, new Date()) : null;
        return { r, scored };
      } catch (err) {
        progress.done();
        if (err instanceof PropensityTrainingError) throw new UsageError(`cannot train: ${err.message}`);
        throw err;
      }
    });
    const { r, scored } = result;
    if (values.json) {
      printJson({
        version: r.version,
        promoted: r.promoted,
        reason: r.reason,
        metrics: r.metrics,
        ...(r.ceilingAuc !== undefined ? { ceilingAuc: r.ceilingAuc } : {}),
      });
      return 0;
    }
    process.stdout.write(
      `propensity v${r.version}: ${r.promoted ? 'PROMOTED' : 'kept as challenger'} (${r.reason})\n` +
        `trained on ${r.dataWindow.trainRows.toLocaleString('en-US')} rows (${r.dataWindow.trainSnapshots.join(', ')}), validated on ${r.dataWindow.validationRows.toLocaleString('en-US')} (${r.dataWindow.validationSnapshot})\n\n`,
    );
    printTable(
      r.candidates.map((c) => ({
        model: c.kind,
        auc: f4(c.auc),
        prAuc: f4(c.prAuc),
        logLoss: f4(c.logLoss),
        brier: f4(c.brier),
        ece: f4(c.ece),
        fit: `${c.fitSeconds.toFixed(1)} s`,
        backend: c.backend,
      })),
      ['model', 'auc', 'prAuc', 'logLoss', 'brier', 'ece', 'fit', 'backend'],
    );
    const ci = r.evaluation.intervals.auc;
    process.stdout.write(
      `\nbest: ${r.algorithm}, AUC ${f4(r.metrics.auc)} [${f4(ci.lower)}, ${f4(ci.upper)}]` +
        (r.ceilingAuc !== undefined
          ? `; the true probabilities reach ${f4(r.ceilingAuc)} on the same rows (the ceiling)`
          : '') +
        `\n${scored ? `scored ${scored.scored.toLocaleString('en-US')} people with v${scored.version}\n` : ''}`,
    );
    return 0;
  },
};

export const modelsCommand: Command = {
  name: 'models',
  summary: 'The model registry: versions, their metrics, promotion and rollback.',
  usage:
    'models list [--json] | models show KIND VERSION [--json] | models promote KIND VERSION --reason TEXT | models rollback KIND --reason TEXT | models history KIND',
  help: 'promote and rollback are audited; the API offers the same under /v1/models.',
  flags: { reason: { type: 'string', description: 'why (promote, rollback)' }, ...JSON_FLAG },
  async run({ values, positionals }) {
    const [action, kind, versionText] = positionals;
    const version = () => {
      const v = Number(versionText);
      if (!Number.isInteger(v) || v < 1)
        throw new UsageError(`models ${action} needs KIND VERSION, e.g. propensity 2.`);
      return v;
    };
    const needKind = () => {
      if (!kind || !/^[a-z][a-z0-9-]{0,39}$/.test(kind))
        throw new UsageError(`models ${action} needs a model kind, e.g. propensity.`);
      return kind;
    };
    return withDatabase(`attune models ${action ?? ''}`, async (database) => {
      if (action === 'list') {
        const rows = await listVersions(database);
        if (values.json) printJson({ versions: rows.map(({ id: _id, ...v }) => v) });
        else
          printTable(
            rows.map((v) => ({
              kind: v.kind,
              version: v.version,
              status: v.status,
              algorithm: v.algorithm,
              auc: f4(v.metrics.auc),
              ece: f4(v.metrics.ece),
              backend: v.runtime.backend,
              created: v.createdAt.slice(0, 16),
              reason: v.reason,
            })),
            ['kind', 'version', 'status', 'algorithm', 'auc', 'ece', 'backend', 'created', 'reason'],
          );
        return 0;
      }
      if (action === 'show') {
        const v = await getVersion(database, needKind(), version());
        const { id: _id, ...rest } = v;
        printJson(rest);
        return 0;
      }
      if (action === 'history') {
        const events = await history(database, needKind());
        if (values.json) printJson({ events });
        else printTable(events, ['at', 'version', 'action', 'actor', 'reason']);
        return 0;
      }
      if (action === 'promote' || action === 'rollback') {
        const reason = requireString(values, 'reason');
        const v =
          action === 'promote'
            ? await promote(database, needKind(), version(), 'cli', reason)
            : await rollback(database, needKind(), 'cli', reason);
        if (values.json) printJson({ kind: v.kind, version: v.version, status: v.status });
        else process.stdout.write(`${v.kind} v${v.version} is the champion.\n`);
        return 0;
      }
      throw new UsageError('models needs an action: list, show, history, promote or rollback.');
    });
  },
};
