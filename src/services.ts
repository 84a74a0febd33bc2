// Opens what every entry point needs: the database (migrated), its capabilities, the job queue.
import type { Config } from './platform/config.js';
import type { Logger } from './platform/log.js';
import { openDatabase, type Database } from './platform/db/client.js';
import { migrate, migrationStatus } from './platform/db/migrate.js';
import { detectCapabilities, type Capabilities } from './platform/db/capabilities.js';
import { createJobQueue, type JobQueue } from './platform/jobs/queue.js';
import type { JobRegistry } from './platform/jobs/registry.js';
import type { Readiness } from './platform/http/health.js';
import { createJobRegistry, BUILT_IN_SCHEDULES } from './job-types.js';
import { ensureSchedule } from './platform/jobs/schedules.js';
import { mlCapability } from './ml/runtime/index.js';
import { createEmbedder } from './content/index.js';

export type Services = {
  config: Config;
  log: Logger;
  database: Database;
  capabilities: Capabilities;
  queue: JobQueue;
  clock: () => Date;
  checkReady: () => Promise<Readiness>;
  close: () => Promise<void>;
};

export type OpenServicesOptions = {
  purpose: string;
  /** Run pg-boss maintenance (expiry, archiving) in this process. */
  supervise: boolean;
  registry?: (db: Database) => JobRegistry;
  clock?: () => Date;
};

/** Budget for the readiness probe's database round trip. */
const READY_TIMEOUT_MS = 3_000;

export async function openServices(
  config: Config,
  log: Logger,
  options: OpenServicesOptions,
): Promise<Services> {
  const database = await openDatabase(config.database, { purpose: options.purpose, poolMax: config.poolMax });
  try {
    const capabilities = await detectCapabilities(database.sql);
    const applied = await migrate(database.sql);
    if (applied.length) log.info({ applied }, 'database migrated');
    if (!capabilities.vector.available) {
      log.warn(
        `content retrieval runs on the slower exact path (no HNSW index): ${capabilities.vector.reason}`,
      );
    }
    // Which retrieval path src/content runs (it checks pg_extension the same way): /readyz shows it.
    const readiness = {
      ...capabilities,
      contentRetrieval: capabilities.vector.available
        ? { available: true, reason: 'pgvector-hnsw: hybrid retrieval uses an HNSW cosine index' }
        : {
            available: true,
            reason: `exact-fallback: vectors as real[], exact cosine over full-text candidates plus a bounded scan (${capabilities.vector.reason})`,
          },
    };
    const clock = options.clock ?? (() => new Date());
    const registry = (
      options.registry ??
      ((d) => createJobRegistry(d, clock, config.reportsDir, () => createEmbedder(config.openai)))
    )(database);
    const queue = await createJobQueue(database, registry, log.child({ domain: 'jobs' }), {
      supervise: options.supervise,
    });
    for (const s of BUILT_IN_SCHEDULES)
      if (registry.get(s.jobType)) await ensureSchedule(database.db, queue, s, new Date());
    const checkReady = async (): Promise<Readiness> => {
      const timeout = new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new Error(`no answer within ${READY_TIMEOUT_MS} ms`)),
          READY_TIMEOUT_MS,
        ).unref(),
      );
      try {
        const status = await Promise.race([migrationStatus(database.sql), timeout]);
        return {
          ready: status.current,
          checks: {
            database: { ok: true, detail: `${database.mode} database reachable` },
            migrations: {
              ok: status.current,
              detail: status.current
                ? `${status.applied} applied, current`
                : `pending: ${status.pending.join(', ') || 'none'}; applied ${status.applied} of ${status.available}`,
            },
          },
          capabilities: { ...readiness, ml: await mlCapability(config.tfBackend) },
        };
      } catch (err) {
        return {
          ready: false,
          checks: {
            database: { ok: false, detail: `unreachable (${(err as Error).message})` },
            migrations: { ok: false, detail: 'unknown while the database is unreachable' },
          },
          capabilities: readiness,
        };
      }
    };
    return {
      config,
      log,
      database,
      capabilities,
      queue,
      checkReady,
      clock,
      close: async () => {
        await queue
          .stop()
          .catch((err: unknown) =>
            log.warn({ error: (err as Error).message }, 'job queue did not stop cleanly'),
          );
        await database.close();
      },
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}
