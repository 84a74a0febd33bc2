// The job queue: pg-boss on the same database and the same pool (see boss-db.ts), plus our
// job_runs row per job for who asked and live progress.
import crypto from 'node:crypto';
import PgBoss from 'pg-boss';
import { eq, sql as dsql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import type { Logger } from '../log.js';
import { unstorableProblem } from '../http/storable-input.js';
import { AppError, NotFoundError, problemsFromIssues } from '../errors.js';
import { jobRuns } from './tables.js';
import { bossDb } from './boss-db.js';
import { JOB_DEFAULTS, type JobDefinition, type JobRegistry } from './registry.js';

/** How often idle workers look for work. pg-boss's floor is 0.5 s. */
const POLLING_INTERVAL_SECONDS = 1;

export type JobState = 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';

export type JobView = {
  id: string;
  type: string;
  state: JobState;
  requestedBy: string;
  scheduleId: string | null;
  progress: number;
  progressMessage: string | null;
  attempts: number;
  retryLimit: number;
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
  result: Record<string, unknown> | null;
  error: string | null;
};

export type EnqueueOptions = {
  requestedBy: string;
  scheduleId?: string;
  singletonKey?: string;
  startAfter?: Date;
};

export type JobQueue = {
  enqueue: (type: string, data: unknown, options: EnqueueOptions) => Promise<string | null>;
  get: (id: string) => Promise<JobView>;
  startWorkers: (concurrency: number) => Promise<void>;
  stop: () => Promise<void>;
  registry: JobRegistry;
};

export async function createJobQueue(
  database: Database,
  registry: JobRegistry,
  log: Logger,
  options: { supervise: boolean },
): Promise<JobQueue> {
  const boss = new PgBoss({
    db: bossDb(database.sql),
    supervise: options.supervise,
    schedule: false, // Attune's own scheduler (scheduler.ts) owns cron: many schedules per job type.
    migrate: true,
  });
  boss.on('error', (err) =>
    log.error({ err: { message: err.message, code: (err as { code?: unknown }).code } }, 'job queue error'),
  );
  await boss.start();
  for (const def of registry.list()) {
    await boss.createQueue(def.type, {
      name: def.type,
      retryLimit: def.retryLimit ?? JOB_DEFAULTS.retryLimit,
      retryDelay: def.retryDelaySeconds ?? JOB_DEFAULTS.retryDelaySeconds,
      retryBackoff: def.retryBackoff ?? JOB_DEFAULTS.retryBackoff,
      expireInSeconds: def.expireInSeconds ?? JOB_DEFAULTS.expireInSeconds,
    });
  }
  const { db } = database;

  function definition(type: string): JobDefinition {
    const def = registry.get(type);
    if (!def)
      throw new AppError(
        'validation-failed',
        `Unknown job type "${type}". Known types: ${
          registry
            .list()
            .map((d) => d.type)
            .join(', ') || 'none'
        }.`,
        { errors: [{ path: 'type', message: 'unknown job type' }] },
      );
    return def;
  }

  async function enqueue(type: string, data: unknown, opts: EnqueueOptions): Promise<string | null> {
    const def = definition(type);
    // Job data from the CLI or a schedule never met the HTTP body guard: the same check here.
    const unstorable = unstorableProblem(data ?? {}, 'data');
    if (unstorable) throw unstorable;
    const parsed = def.data.safeParse(data ?? {});
    if (!parsed.success) {
      throw new AppError('validation-failed', `The data for a ${type} job is invalid.`, {
        errors: problemsFromIssues(parsed.error.issues, ['data']),
      });
    }
    const id = crypto.randomUUID();
    await db
      .insert(jobRuns)
      .values({ id, jobType: type, requestedBy: opts.requestedBy, scheduleId: opts.scheduleId ?? null });
    let sent: string | null;
    try {
      sent = await boss.send(type, parsed.data as object, {
        id,
        ...(opts.singletonKey ? { singletonKey: opts.singletonKey } : {}),
        ...(opts.startAfter ? { startAfter: opts.startAfter } : {}),
      });
    } catch (err) {
      await db.delete(jobRuns).where(eq(jobRuns.id, id));
      throw err;
    }
    if (!sent) await db.delete(jobRuns).where(eq(jobRuns.id, id)); // a singleton already queued
    return sent;
  }

  async function get(id: string): Promise<JobView> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundError(`Job ${id}`);
    const [run] = await db.select().from(jobRuns).where(eq(jobRuns.id, id));
    if (!run) throw new NotFoundError(`Job ${id}`);
    const job = await boss.getJobById<Record<string, unknown>>(run.jobType, id, { includeArchive: true });
    if (!job) throw new NotFoundError(`Job ${id} (expired from the queue's archive)`);
    const output = (job.output ?? null) as Record<string, unknown> | null;
    const failed = job.state === 'failed' || job.state === 'retry';
    return {
      id,
      type: run.jobType,
      state: job.state,
      requestedBy: run.requestedBy,
      scheduleId: run.scheduleId,
      progress: job.state === 'completed' ? 1 : run.progress,
      progressMessage: run.progressMessage,
      attempts: job.retryCount + (job.state === 'created' ? 0 : 1),
      retryLimit: job.retryLimit,
      createdAt: new Date(job.createdOn).toISOString(),
      startedAt: job.startedOn ? new Date(job.startedOn).toISOString() : null,
      completedAt: job.completedOn ? new Date(job.completedOn).toISOString() : null,
      result: failed ? null : output,
      error:
        failed && output
          ? typeof output.message === 'string'
            ? output.message
            : JSON.stringify(output)
          : null,
    };
  }

  async function startWorkers(concurrency: number): Promise<void> {
    for (const def of registry.list()) {
      for (let i = 0; i < concurrency; i++) {
        await boss.work<unknown>(
          def.type,
          { batchSize: 1, pollingIntervalSeconds: POLLING_INTERVAL_SECONDS, includeMetadata: true },
          async ([job]) => {
            if (!job) return;
            const jobLog = log.child({ jobId: job.id, jobType: def.type, attempt: job.retryCount + 1 });
            const started = performance.now();
            jobLog.info('job started');
            try {
              const result = await def.handler({
                id: job.id,
                data: job.data,
                attempt: job.retryCount + 1,
                log: jobLog,
                progress: async (fraction, message) => {
                  const p = Math.min(1, Math.max(0, fraction));
                  await db
                    .update(jobRuns)
                    .set({ progress: p, progressMessage: message ?? null, updatedAt: dsql`now()` })
                    .where(eq(jobRuns.id, job.id));
                },
              });
              jobLog.info({ ms: Math.round(performance.now() - started) }, 'job completed');
              return result ?? {};
            } catch (err) {
              jobLog.warn(
                { ms: Math.round(performance.now() - started), error: (err as Error).message },
                'job failed',
              );
              throw err;
            }
          },
        );
      }
    }
  }

  return {
    enqueue,
    get,
    startWorkers,
    registry,
    stop: () => boss.stop({ graceful: true, wait: true, timeout: 10_000 }),
  };
}
