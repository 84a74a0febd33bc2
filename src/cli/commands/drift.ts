import { parse } from 'csv-parse/sync';
import {
  JSON_FLAG,
  UsageError,
  printJson,
  printTable,
  readInputText,
  requireString,
  type Command,
} from '../command.js';
import { DriftCompareRequestSchema, compareRequest } from '../../drift/contract.js';
import { parseOrThrow } from '../../platform/errors.js';

function readCsv(file: string): Record<string, string>[] {
  const text = readInputText(file);
  try {
    return parse<Record<string, string>>(text, {
      columns: true,
      skip_empty_lines: true,
      bom: true,
      trim: true,
    });
  } catch (err) {
    throw new UsageError(`${file} is not a CSV file with a header row: ${(err as Error).message}`);
  }
}

const fmt = (x: number | undefined) =>
  x === undefined ? '-' : x !== 0 && Math.abs(x) < 1e-3 ? x.toExponential(2) : x.toFixed(4);

export const driftCommand: Command = {
  name: 'drift',
  summary: 'Compare two samples column by column (KS, chi-square, z, Wasserstein, Jensen–Shannon, PSI).',
  usage:
    'drift compare --reference A.csv --current B.csv [--columns a,b] [--method M] [--threshold T] [--binning sturges|quantile] [--json]',
  help: "Both files need a header row; empty cells count as missing. Methods: ks, chi-square, z, wasserstein, jensen-shannon, psi; by default each column gets Evidently's choice.",
  flags: {
    reference: { type: 'string', description: 'CSV of the reference sample' },
    current: { type: 'string', description: 'CSV of the current sample' },
    columns: { type: 'string', description: 'comma-separated columns (default: all shared columns)' },
    method: { type: 'string', description: 'one method for every column' },
    threshold: { type: 'string', description: "the method's threshold (p-value or distance)" },
    binning: { type: 'string', description: 'PSI bins for numeric columns: sturges (default) or quantile' },
    ...JSON_FLAG,
  },
  run({ values, positionals }) {
    if (positionals[0] !== 'compare') throw new UsageError('drift needs an action: compare.');
    const request = {
      reference: readCsv(requireString(values, 'reference')),
      current: readCsv(requireString(values, 'current')),
      ...(values.columns
        ? {
            columns: String(values.columns)
              .split(',')
              .map((c) => c.trim())
              .filter(Boolean),
          }
        : {}),
      ...(values.method ? { method: values.method } : {}),
      ...(values.threshold ? { threshold: Number(values.threshold) } : {}),
      ...(values.binning ? { binning: values.binning } : {}),
    };
    const report = compareRequest(
      parseOrThrow(DriftCompareRequestSchema, request, 'The comparison did not validate.'),
    );
    if (values.json) printJson(report);
    else {
      printTable(
        report.columns.map((c) => ({
          column: c.column,
          type: c.type,
          method: c.method,
          score: fmt(c.score),
          threshold: c.threshold,
          drift: c.drift ? 'DRIFT' : 'no',
          'ks p': fmt(c.ks?.pValue),
          'chi² p': fmt(c.chiSquare?.pValue),
          'wasserstein (norm.)': fmt(c.wasserstein?.normalized),
          JS: fmt(c.jensenShannon?.distance),
          PSI: fmt(c.psi?.value),
        })),
        [
          'column',
          'type',
          'method',
          'score',
          'threshold',
          'drift',
          'ks p',
          'chi² p',
          'wasserstein (norm.)',
          'JS',
          'PSI',
        ],
      );
      process.stdout.write(`\n${report.summary.drifted} of ${report.summary.columns} columns drifted.\n`);
    }
    return Promise.resolve(0);
  },
};
