// What CLI commands open: config from the environment, a quiet logger, and the database.
import { loadConfig, type Config } from '../platform/config.js';
import { createLogger, type Logger } from '../platform/log.js';
import { openServices, type Services } from '../services.js';
import { openDatabase, type Database } from '../platform/db/client.js';
import { migrate } from '../platform/db/migrate.js';

export function cliConfig(overrides: Record<string, string | undefined> = {}): Config {
  return loadConfig(overrides);
}

/** Human commands log warnings and errors only, to stderr, so their output stays readable. */
export function cliLogger(config: Config, level = 'warn'): Logger {
  return createLogger(process.env.LOG_LEVEL ? config.logLevel : level, process.stderr);
}

/** The database alone, migrated (through the running server when it owns the embedded database). */
export async function withDatabase<T>(
  purpose: string,
  fn: (db: Database, config: Config) => Promise<T>,
): Promise<T> {
  const config = cliConfig();
  const database = await openDatabase(config.database, { purpose, poolMax: 2 });
  try {
    await migrate(database.sql);
    return await fn(database, config);
  } finally {
    await database.close();
  }
}

/** Database and job queue, for commands that queue or schedule jobs. */
export async function withServices<T>(purpose: string, fn: (services: Services) => Promise<T>): Promise<T> {
  const config = cliConfig();
  const services = await openServices(config, cliLogger(config), { purpose, supervise: false });
  try {
    return await fn(services);
  } finally {
    await services.close();
  }
}
