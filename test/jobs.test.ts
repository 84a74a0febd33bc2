// Jobs end to end through the real queue (pg-boss) in both database modes: a job runs and reports
// progress, a failing job is retried with backoff, and a due schedule queues a job that runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { JobRegistry } from '../src/platform/jobs/registry.js';
import { analyzeJob } from '../src/platform/db/maintenance-job.js';
import { runDueSchedules } from '../src/platform/jobs/schedules.js';
import { startWorkers } from '../src/server.js';
import type { JobView } from '../src/platform/jobs/queue.js';
import { DATABASE_MODES } from './helpers/databases.js';
import { openTestServices, type TestContext } from './helpers/services.js';
import { waitFor } from './helpers/jobs.js';

describe.each(DATABASE_MODES)('jobs on the %s database', (mode) => {
  let t: TestContext;
  let stopWorkers: () => Promise<void>;
  const attemptsSeen: number[] = [];
  const attemptTimes: number[] = [];

  beforeAll(async () => {
    t = await openTestServices(mode, {
      registry: (d) =>
        new JobRegistry()
          .register(analyzeJob(d.sql))
          .register({
            type: 'test.flaky',
            description: 'fails twice, then succeeds',
            data: z.object({}),
            retryLimit: 3,
            retryDelaySeconds: 1,
            retryBackoff: true,
            handler: ({ attempt }) => {
              attemptsSeen.push(attempt);
              attemptTimes.push(Date.now());
              if (attempt < 3) return Promise.reject(new Error(`planned failure on attempt ${attempt}`));
              return Promise.resolve({ succeededOn: attempt });
            },
          })
          .register({
            type: 'test.broken',
            description: 'always fails',
            data: z.object({}),
            retryLimit: 1,
            retryDelaySeconds: 1,
            retryBackoff: false,
            handler: () => Promise.reject(new Error('this job always fails')),
          }),
    });
    stopWorkers = await startWorkers(t.services);
  });
  afterAll(async () => {
    await stopWorkers?.();
    await t?.close();
  });

  it('runs a queued job to completion through the API and reports progress and result', async () => {
    const analyst = await t.keyFor('analyst');
    const res = await t.request('/v1/jobs', {
      key: analyst,
      json: { type: 'db.analyze', data: { tables: ['api_keys', 'schedules'] } },
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const job = await waitFor(
      () => t.services.queue.get(id),
      (j) => j.state === 'completed' || j.state === 'failed',
    );
    expect(job.state).toBe('completed');
    expect(job.progress).toBe(1);
    expect(job.result).toEqual({ analyzed: 2, tables: ['api_keys', 'schedules'] });
    const shown = await t.request(`/v1/jobs/${id}`, { key: analyst });
    expect(shown.status).toBe(200);
    expect(((await shown.json()) as JobView).state).toBe('completed');
  });

  it('retries a failing job with growing delays until it succeeds', async () => {
    const id = await t.services.queue.enqueue('test.flaky', {}, { requestedBy: 'test' });
    expect(id).toBeTruthy();
    const job = await waitFor(
      () => t.services.queue.get(id!),
      (j) => j.state === 'completed' || j.state === 'failed',
      60_000,
    );
    expect(job.state).toBe('completed');
    expect(job.result).toEqual({ succeededOn: 3 });
    expect(attemptsSeen).toEqual([1, 2, 3]);
    // Backoff: the second wait is longer than the first (1 s, then about 2 s or more).
    const [a, b, c] = attemptTimes as [number, number, number];
    expect(b - a).toBeGreaterThanOrEqual(900);
    expect(c - b).toBeGreaterThan(b - a);
  });

  it('marks a job failed with its error once retries are spent', async () => {
    const id = await t.services.queue.enqueue('test.broken', {}, { requestedBy: 'test' });
    const job = await waitFor(
      () => t.services.queue.get(id!),
      (j) => j.state === 'failed',
      60_000,
    );
    expect(job.error).toContain('this job always fails');
    expect(job.attempts).toBe(2);
  });

  it('fires a due schedule once per slot, and the job it queues runs', async () => {
    const analyst = await t.keyFor('analyst');
    const created = await t.request('/v1/schedules', {
      key: analyst,
      json: {
        name: 'every-minute',
        jobType: 'db.analyze',
        cron: '* * * * *',
        data: { tables: ['api_keys'] },
      },
    });
    expect(created.status).toBe(201);
    const schedule = (await created.json()) as { id: string; nextRuns: string[] };
    expect(schedule.nextRuns).toHaveLength(5);
    const slot = new Date(schedule.nextRuns[0]!);
    const log = t.services.log;
    // Before the slot: nothing is due.
    expect(
      (await runDueSchedules(t.services.database.db, t.services.queue, new Date(slot.getTime() - 1000), log))
        .fired,
    ).toEqual([]);
    // At the slot, two ticks racing: exactly one fires.
    const [r1, r2] = await Promise.all([
      runDueSchedules(t.services.database.db, t.services.queue, slot, log),
      runDueSchedules(t.services.database.db, t.services.queue, slot, log),
    ]);
    const fired = [...r1.fired, ...r2.fired];
    expect(fired).toHaveLength(1);
    const jobId = fired[0]!.jobId!;
    const job = await waitFor(
      () => t.services.queue.get(jobId),
      (j) => j.state === 'completed' || j.state === 'failed',
    );
    expect(job.state).toBe('completed');
    expect(job.scheduleId).toBe(schedule.id);
    const after = (await (await t.request(`/v1/schedules/${schedule.id}`, { key: analyst })).json()) as {
      lastJobId: string;
      nextRuns: string[];
    };
    expect(after.lastJobId).toBe(jobId);
  });
});
