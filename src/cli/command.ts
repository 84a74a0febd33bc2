// A tiny command framework: each command declares its flags and help; the dispatcher parses,
// prints --help, and turns thrown errors into one clear line and a non-zero exit code.
import fs from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { idProblem } from '../platform/ids.js';

type FlagConfig = NonNullable<ParseArgsConfig['options']>[string] & { description?: string };
export type Flags = Record<string, FlagConfig>;

export type Command = {
  name: string;
  summary: string;
  usage: string;
  flags: Flags;
  /** Extra help text below the usage line. */
  help?: string;
  run: (args: {
    values: Record<string, string | boolean | undefined>;
    positionals: string[];
  }) => Promise<number | void>;
};

export class UsageError extends Error {}

export const JSON_FLAG: Flags = { json: { type: 'boolean', description: 'print JSON instead of text' } };

export function helpText(cmd: Command): string {
  const lines = [`attune ${cmd.usage}`, '', cmd.summary];
  if (cmd.help) lines.push('', cmd.help);
  const flags = Object.entries(cmd.flags);
  if (flags.length) {
    lines.push('', 'Options:');
    for (const [name, f] of flags) {
      const arg = f.type === 'string' ? ` <${name}>` : '';
      lines.push(`  --${name}${arg}`.padEnd(28) + (f.description ?? ''));
    }
  }
  lines.push(`  --help`.padEnd(28) + 'show this help');
  return lines.join('\n');
}

export function parse(cmd: Command, argv: string[]) {
  const options = Object.fromEntries(
    Object.entries(cmd.flags).map(([k, v]) => [
      k,
      {
        type: v.type,
        ...(v.short ? { short: v.short } : {}),
        ...(v.multiple ? { multiple: v.multiple } : {}),
      },
    ]),
  );
  try {
    return parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n\n${helpText(cmd)}`);
  }
}

export function requireString(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required.`);
  return v;
}

/** An id given on the command line, checked by the same id rule as the API's; a usage error names it. */
export function requireId(value: string | undefined, what: string, maxLength?: number): string {
  if (value === undefined || value === '') throw new UsageError(`${what} is required.`);
  const problem = idProblem(value, maxLength);
  if (problem) throw new UsageError(`${what} ${problem.message}.`);
  return value;
}

/** The text of an input file ("-" is stdin), or a usage error that names the file. */
export function readInputText(file: string): string {
  try {
    return fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    throw new UsageError(
      `Cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}.`,
    );
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

export function printTable(rows: Record<string, unknown>[], columns: string[]): void {
  if (rows.length === 0) {
    process.stdout.write('(none)\n');
    return;
  }
  const cell = (v: unknown): string =>
    v === null || v === undefined ? '-' : typeof v === 'string' ? v : JSON.stringify(v);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  process.stdout.write(
    line(columns) + '\n' + rows.map((r) => line(columns.map((c) => cell(r[c])))).join('\n') + '\n',
  );
}
