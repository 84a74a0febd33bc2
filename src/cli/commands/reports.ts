import { createProgress } from '../progress.js';
import path from 'node:path';
import { JSON_FLAG, UsageError, printJson, printTable, type Command } from '../command.js';
import { cliConfig, withDatabase } from '../context.js';
import { renderReports } from '../../reports/render.js';
import { loadReportDefinitions } from '../../reports/registry.js';

export const reportsCommand: Command = {
  name: 'reports',
  summary: 'Render the reports in reports/ into self-contained HTML files, or list them.',
  usage: 'reports render [--only NAME[,NAME]] [--param k=v ...] [--out DIR] [--json] | reports list [--json]',
  help: 'Default output: ATTUNE_REPORTS_DIR (reports/dist). Each file opens offline; index.html lists them all.',
  flags: {
    only: { type: 'string', description: 'comma-separated report names' },
    param: {
      type: 'string',
      multiple: true,
      description: 'fix a parameter, e.g. experiment=email-subject-line (repeatable)',
    },
    out: { type: 'string', description: 'output directory' },
    ...JSON_FLAG,
  },
  async run({ values, positionals }) {
    const [action] = positionals;
    if (action === 'list') {
      const defs = await loadReportDefinitions();
      const rows = defs.map((d) => ({
        name: d.name,
        parameter: d.parameter?.name ?? '',
        summary: d.summary,
      }));
      if (values.json) printJson({ reports: rows });
      else printTable(rows, ['name', 'parameter', 'summary']);
      return 0;
    }
    if (action !== 'render') throw new UsageError('reports needs an action: render or list.');
    const params: Record<string, string> = {};
    for (const p of (values.param as unknown as string[] | undefined) ?? []) {
      const eq = p.indexOf('=');
      if (eq < 1) throw new UsageError(`--param takes name=value (got "${p}").`);
      params[p.slice(0, eq)] = p.slice(eq + 1);
    }
    const outDir = path.resolve((values.out as string | undefined) ?? cliConfig().reportsDir);
    const only = values.only
      ? String(values.only)
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : undefined;
    const progress = createProgress(process.stderr, { quiet: Boolean(values.json) });
    const results = await withDatabase('attune reports render', (database) =>
      renderReports(
        { database, now: new Date() },
        {
          outDir,
          only,
          params,
          onProgress: (done, total, current) =>
            progress.update(
              total ? done / total : 1,
              `rendering ${done}/${total}${current ? ` ${current}` : ''}`,
            ),
        },
      ),
    );
    progress.done();
    if (values.json) printJson({ outDir, reports: results });
    else {
      printTable(
        results.map((r) => ({
          file: r.file,
          status: r.status === 'ok' ? 'ok' : `FAILED: ${r.error}`,
          figures: r.figures,
          size: `${(r.bytes / 1024).toFixed(0)} KiB`,
          ms: Math.round(r.ms),
        })),
        ['file', 'status', 'figures', 'size', 'ms'],
      );
      process.stdout.write(`\nOpen ${path.join(outDir, 'index.html')}\n`);
    }
    return results.some((r) => r.status === 'failed') ? 1 : 0;
  },
};
