import { JSON_FLAG, printJson, type Command } from '../command.js';
import { cliConfig } from '../context.js';
import { openDatabase } from '../../platform/db/client.js';
import { migrate, migrationStatus } from '../../platform/db/migrate.js';
import { detectCapabilities } from '../../platform/db/capabilities.js';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'Apply pending database migrations (safe to run twice, or from two processes at once).',
  usage: 'migrate [--status] [--json]',
  flags: {
    status: { type: 'boolean', description: 'only report what is applied and pending' },
    ...JSON_FLAG,
  },
  async run({ values }) {
    const config = cliConfig();
    const database = await openDatabase(config.database, { purpose: 'attune migrate', poolMax: 2 });
    try {
      const capabilities = await detectCapabilities(database.sql);
      const applied = values.status ? [] : await migrate(database.sql);
      const status = await migrationStatus(database.sql);
      if (values.json) {
        printJson({ ...status, appliedNow: applied, capabilities });
      } else {
        process.stdout.write(
          values.status ? '' : applied.length ? `Applied: ${applied.join(', ')}\n` : 'Nothing to apply.\n',
        );
        process.stdout.write(
          `${status.applied} of ${status.available} migrations applied${status.current ? ' (current)' : `; pending: ${status.pending.join(', ')}`}.\n`,
        );
        if (!capabilities.vector.available)
          process.stdout.write(
            `Content retrieval runs on the exact path without an HNSW index: ${capabilities.vector.reason}.\n`,
          );
      }
      return status.current ? 0 : 1;
    } finally {
      await database.close();
    }
  },
};
