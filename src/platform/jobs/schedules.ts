// Analysts' cron schedules, and the tick that turns due schedules into queued jobs. The tick is
// safe on many workers at once: each slot is claimed by compare-and-set and each firing carries a
// singleton key of (schedule, slot), so a slot is queued once however many ticks see it.
import { and, asc, eq, sql as dsql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { Logger } from '../log.js';
import { AppError, NotFoundError, problemsFromIssues } from '../errors.js';
import { auditEvents } from '../audit-tables.js';
import { schedules } from './tables.js';
import { checkCron, nextRun } from './cron.js';
import type { JobQueue } from './queue.js';

export type ScheduleInput = {
  name: string;
  jobType: string;
  cron: string;
  timezone: string;
  data: Record<string, unknown>;
  enabled: boolean;
};

export type ScheduleView = ScheduleInput & {
  id: string;
  nextRuns: string[];
  lastRunAt: string | null;
  lastJobId: string | null;
  createdBy: string;
  createdAt: string;
};

type Row = typeof schedules.$inferSelect;

function toView(row: Row, now: Date): ScheduleView {
  const check = checkCron(row.cron, row.timezone, now, 5);
  return {
    id: row.id,
    name: row.name,
    jobType: row.jobType,
    cron: row.cron,
    timezone: row.timezone,
    data: row.data,
    enabled: row.enabled,
    nextRuns: row.enabled && check.ok ? check.next.map((d) => d.toISOString()) : [],
    lastRunAt: row.lastRunAt?.toISOString() ?? null,
    lastJobId: row.lastJobId,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function createSchedule(
  db: Db,
  queue: JobQueue,
  input: ScheduleInput,
  actor: string,
  now: Date,
): Promise<ScheduleView> {
  const check = checkCron(input.cron, input.timezone, now, 1);
  if (!check.ok)
    throw new AppError('validation-failed', check.problem, {
      errors: [{ path: 'cron', message: check.problem }],
    });
  const def = queue.registry.get(input.jobType);
  if (!def) {
    const known = queue.registry
      .list()
      .map((d) => d.type)
      .join(', ');
    throw new AppError('validation-failed', `Unknown job type "${input.jobType}"; known types: ${known}.`, {
      errors: [{ path: 'jobType', message: 'unknown job type' }],
    });
  }
  const data = def.data.safeParse(input.data);
  if (!data.success)
    throw new AppError('validation-failed', `The data for ${input.jobType} is invalid.`, {
      errors: problemsFromIssues(data.error.issues, ['data']),
    });
  const [first] = check.next;
  if (!first) throw new Error('cron produced no run');
  try {
    const row = await db.transaction(async (tx) => {
      const [r] = await tx
        .insert(schedules)
        .values({ ...input, nextRunAt: first, createdBy: actor })
        .returning();
      if (!r) throw new Error('insert returned no row');
      await tx.insert(auditEvents).values({
        actor,
        action: 'schedule.create',
        target: r.id,
        details: { name: input.name, jobType: input.jobType, cron: input.cron },
      });
      return r;
    });
    return toView(row, now);
  } catch (err) {
    if (
      (err as { code?: string }).code === '23505' ||
      (err as { cause?: { code?: string } }).cause?.code === '23505'
    ) {
      throw new AppError(
        'conflict',
        `A schedule named "${input.name}" already exists; choose another name or delete it first.`,
      );
    }
    throw err;
  }
}

/** Create a schedule unless one with its name exists (built-in schedules at start-up). */
export async function ensureSchedule(
  db: Db,
  queue: JobQueue,
  input: ScheduleInput,
  now: Date,
): Promise<void> {
  const [existing] = await db
    .select({ id: schedules.id })
    .from(schedules)
    .where(eq(schedules.name, input.name));
  if (existing) return;
  try {
    await createSchedule(db, queue, input, 'system', now);
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'conflict')) throw err; // another process made it first
  }
}

export async function listSchedules(db: Db, now: Date): Promise<ScheduleView[]> {
  const rows = await db.select().from(schedules).orderBy(asc(schedules.name));
  return rows.map((r) => toView(r, now));
}

export async function getSchedule(db: Db, id: string, now: Date): Promise<ScheduleView> {
  const [row] = isUuid(id)
    ? await db.select().from(schedules).where(eq(schedules.id, id))
    : await db.select().from(schedules).where(eq(schedules.name, id));
  if (!row) throw new NotFoundError(`Schedule ${id}`);
  return toView(row, now);
}

/** Delete by id or name. */
export async function deleteSchedule(db: Db, idOrName: string, actor: string): Promise<void> {
  const where = isUuid(idOrName) ? eq(schedules.id, idOrName) : eq(schedules.name, idOrName);
  const deleted = await db.transaction(async (tx) => {
    const rows = await tx
      .delete(schedules)
      .where(where)
      .returning({ id: schedules.id, name: schedules.name });
    for (const r of rows)
      await tx
        .insert(auditEvents)
        .values({ actor, action: 'schedule.delete', target: r.id, details: { name: r.name } });
    return rows;
  });
  if (deleted.length === 0) throw new NotFoundError(`Schedule ${idOrName}`);
}

/**
 * Queue one job for every enabled schedule that is due at `now`. A schedule that missed several
 * slots (the service was down) fires once, not once per missed slot, then moves to its next slot.
 * Each slot is claimed by a compare-and-set on next_run_at, outside any transaction: with the
 * embedded engine a transaction held across another connection's query would wait on itself.
 */
export async function runDueSchedules(
  db: Db,
  queue: JobQueue,
  now: Date,
  log: Logger,
): Promise<{ fired: { scheduleId: string; jobId: string | null }[] }> {
  const fired: { scheduleId: string; jobId: string | null }[] = [];
  const due = await db
    .select()
    .from(schedules)
    .where(dsql`${schedules.enabled} and ${schedules.nextRunAt} <= ${now.toISOString()}::timestamptz`)
    .orderBy(asc(schedules.nextRunAt))
    .limit(100);
  for (const s of due) {
    const [claimed] = await db
      .update(schedules)
      .set({ nextRunAt: nextRun(s.cron, s.timezone, now), lastRunAt: now })
      .where(and(eq(schedules.id, s.id), eq(schedules.nextRunAt, s.nextRunAt)))
      .returning({ id: schedules.id });
    if (!claimed) continue; // another worker took this slot
    let jobId: string | null = null;
    try {
      jobId = await queue.enqueue(s.jobType, s.data, {
        requestedBy: `schedule:${s.name}`,
        scheduleId: s.id,
        singletonKey: `schedule:${s.id}:${s.nextRunAt.toISOString()}`,
      });
      if (jobId) await db.update(schedules).set({ lastJobId: jobId }).where(eq(schedules.id, s.id));
    } catch (err) {
      log.error(
        { scheduleId: s.id, error: (err as Error).message },
        'schedule could not queue its job; it will try again at its next slot',
      );
    }
    fired.push({ scheduleId: s.id, jobId });
  }
  return { fired };
}

/** Tick every `intervalMs` until stopped. */
export function startScheduler(
  db: Db,
  queue: JobQueue,
  log: Logger,
  intervalMs = 15_000,
  clock: () => Date = () => new Date(),
): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = runDueSchedules(db, queue, clock(), log)
      .then(({ fired }) => {
        if (fired.length) log.info({ fired }, 'schedules fired');
      })
      .catch((err: unknown) =>
        log.warn({ error: (err as Error).message }, 'scheduler tick failed; will retry'),
      );
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}

function isUuid(s: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
}
