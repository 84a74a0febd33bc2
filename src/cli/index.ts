// `attune <command>`: dispatches to one module per command.
import { ConfigError } from '../platform/config.js';
import { DatabaseBusyError } from '../platform/db/client.js';
import { AppError } from '../platform/errors.js';
import { MigrationError } from '../platform/db/migrate.js';
import { UsageError, helpText, parse, type Command } from './command.js';
import { serveCommand, workerCommand } from './commands/serve.js';
import { migrateCommand } from './commands/migrate.js';
import { keysCommand } from './commands/keys.js';
import { jobsCommand, schedulesCommand } from './commands/schedules.js';
import { demoCommand } from './commands/demo.js';
import { simCommand } from './commands/sim.js';
import { statsCommand } from './commands/stats.js';
import { driftCommand } from './commands/drift.js';
import { reportsCommand } from './commands/reports.js';
import { experimentsCommand } from './commands/experiments.js';
import { importCommand } from './commands/import.js';
import { mmmCommand } from './commands/mmm.js';
import { guardCommand } from './commands/guard.js';
import { nbaCommand } from './commands/nba.js';
import { modelsCommand, trainCommand } from './commands/models.js';
import { propensityCommand } from './commands/propensity.js';
import { featuresCommand } from './commands/features.js';
import { contentCommand } from './commands/content.js';

const COMMANDS: Command[] = [
  serveCommand,
  workerCommand,
  migrateCommand,
  keysCommand,
  schedulesCommand,
  jobsCommand,
  simCommand,
  demoCommand,
  importCommand,
  experimentsCommand,
  statsCommand,
  driftCommand,
  reportsCommand,
  mmmCommand,
  guardCommand,
  nbaCommand,
  trainCommand,
  modelsCommand,
  propensityCommand,
  featuresCommand,
  contentCommand,
];

/** Exit codes: 0 ok, 1 failed, 2 usage, 69 database unavailable or busy, 78 configuration. */
export const EXIT = { ok: 0, failed: 1, usage: 2, unavailable: 69, config: 78 } as const;

function overview(): string {
  return [
    'Attune: consent-first marketing analytics and personalization.',
    '',
    'Usage: attune <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(12)}${c.summary}`),
    '',
    'Run `attune <command> --help` for its options.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(overview() + '\n');
    return name ? EXIT.ok : EXIT.usage;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    process.stderr.write(`Unknown command "${name}".\n\n${overview()}\n`);
    return EXIT.usage;
  }
  try {
    const { values, positionals } = parse(cmd, rest);
    if (values.help) {
      process.stdout.write(helpText(cmd) + '\n');
      return EXIT.ok;
    }
    return (await cmd.run({ values, positionals })) ?? EXIT.ok;
  } catch (err) {
    return report(err);
  }
}

function report(err: unknown): number {
  const write = (s: string) => process.stderr.write(`attune: ${s}\n`);
  if (err instanceof UsageError) {
    write(err.message);
    return EXIT.usage;
  }
  if (err instanceof ConfigError) {
    write(err.message);
    return EXIT.config;
  }
  if (err instanceof DatabaseBusyError) {
    write(err.message);
    return EXIT.unavailable;
  }
  if (err instanceof AppError) {
    const cause = err.cause instanceof Error ? ` (${err.cause.message})` : '';
    write(
      `${err.message}${cause}${err.errors.length ? '\n' + err.errors.map((e) => `  - ${e.path}: ${e.message}`).join('\n') : ''}`,
    );
    return err.code === 'database-unavailable' ? EXIT.unavailable : EXIT.failed;
  }
  if (err instanceof MigrationError) {
    write(err.message);
    return EXIT.failed;
  }
  write(err instanceof Error ? err.message : String(err));
  if (process.env.ATTUNE_DEBUG && err instanceof Error) process.stderr.write(`${err.stack ?? ''}\n`);
  return EXIT.failed;
}
