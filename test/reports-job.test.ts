// The scheduled rendering: the reports.render job runs through the queue, rewrites the reports, and
// each report's as-of time moves with the clock; the built-in schedule exists.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkers } from '../src/server.js';
import { listSchedules } from '../src/platform/jobs/schedules.js';
import { openTestServices, type TestContext } from './helpers/services.js';
import { waitFor } from './helpers/jobs.js';

const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attune-reports-job-'));
let now = new Date('2026-11-02T08:00:00Z');

const asOfIn = (file: string) =>
  /<meta name="attune-as-of" content="([^"]+)">/.exec(fs.readFileSync(path.join(outDir, file), 'utf8'))?.[1];

describe('reports.render on a schedule', () => {
  let t: TestContext;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    t = await openTestServices('embedded', { clock: () => now, env: { ATTUNE_REPORTS_DIR: outDir } });
    stop = await startWorkers(t.services);
  });
  afterAll(async () => {
    await stop?.();
    await t?.close();
    fs.rmSync(outDir, { recursive: true, force: true });
  });

  it('has a built-in schedule, renders through the queue, and moves the as-of time on each run', async () => {
    expect(
      (await listSchedules(t.services.database.db, now)).map((s) => `${s.name} ${s.jobType} ${s.cron}`),
    ).toContain('reports-hourly reports.render 5 * * * *');
    const first = await t.services.queue.enqueue('reports.render', {}, { requestedBy: 'test' });
    const done = await waitFor(() => t.services.queue.get(first!));
    expect(done.state).toBe('completed');
    expect(done.progress).toBe(1);
    expect(asOfIn('data-quality.html')).toBe('2026-11-02T08:00:00.000Z');
    // A new installation has no data yet: every report still renders, saying so.
    const initial = JSON.parse(fs.readFileSync(path.join(outDir, 'manifest.json'), 'utf8')) as {
      reports: { file: string; status: string; error?: string }[];
    };
    expect(initial.reports.filter((r) => r.status !== 'ok')).toEqual([]);
    expect(fs.readFileSync(path.join(outDir, 'experiments.html'), 'utf8')).toContain('No experiments yet.');
    now = new Date('2026-11-02T09:05:00Z');
    const second = await t.services.queue.enqueue(
      'reports.render',
      { only: ['data-quality'] },
      { requestedBy: 'test' },
    );
    expect((await waitFor(() => t.services.queue.get(second!))).state).toBe('completed');
    expect(asOfIn('data-quality.html')).toBe('2026-11-02T09:05:00.000Z');
    // The index keeps every report, the re-rendered one with its new time.
    const manifest = JSON.parse(fs.readFileSync(path.join(outDir, 'manifest.json'), 'utf8')) as {
      reports: { file: string; asOf: string }[];
    };
    expect(manifest.reports.find((r) => r.file === 'data-quality.html')!.asOf).toBe(
      '2026-11-02T09:05:00.000Z',
    );
    expect(manifest.reports.find((r) => r.file === 'drift.html')!.asOf).toBe('2026-11-02T08:00:00.000Z');
  });
});
