// The pg-boss job that runs every drift monitor and stores one check per subject, optionally for a
// run of past weeks (so a drift report has a history from day one).
import { z } from 'zod';
import type { JobDefinition } from '../platform/jobs/registry.js';
import type { Database } from '../platform/db/client.js';
import { latestEventTime, plannedChecks, storeCheck } from './monitors.js';
import { listExperiments } from '../experiments/store.js';

const Data = z.strictObject({
  asOf: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('End of the current window; default: the newest event'),
  currentDays: z.number().int().min(1).max(90).default(7),
  referenceDays: z.number().int().min(1).max(365).default(28),
  backfillWeeks: z
    .number()
    .int()
    .min(0)
    .max(52)
    .default(0)
    .describe('Also check the windows ending 1…N weeks earlier'),
});

const WEEK = 7 * 86_400_000;

export function driftMonitorsJob(database: Database, clock: () => Date): JobDefinition<z.infer<typeof Data>> {
  return {
    type: 'drift.monitors',
    description:
      'Run the drift monitors (event features, experiment traffic mix and covariate balance) and store the results.',
    data: Data,
    retryLimit: 2,
    handler: async ({ data, progress }) => {
      const end = data.asOf ? new Date(data.asOf) : await latestEventTime(database, clock());
      const asOfs = Array.from(
        { length: data.backfillWeeks + 1 },
        (_, i) => new Date(end.getTime() - (data.backfillWeeks - i) * WEEK),
      );
      let done = 0;
      let drifted = 0;
      const experiments = await listExperiments(database.db);
      const plans = asOfs.flatMap((asOf) =>
        plannedChecks(database, experiments, asOf, data.currentDays, data.referenceDays).map((p) => ({
          ...p,
          asOf,
        })),
      );
      // A stopped experiment's windows end at its stop date, so every week of a backfill plans the
      // same check on the same data: compute each distinct (monitor, subject, windows) once per run.
      const computed = new Map<string, Awaited<ReturnType<(typeof plans)[number]['run']>>>();
      for (const plan of plans) {
        const key = JSON.stringify([plan.monitor, plan.subject, plan.window]);
        const result = computed.get(key) ?? (await plan.run());
        computed.set(key, result);
        await storeCheck(database, plan, result, plan.asOf);
        drifted += result.columns.some((c) => c.drift) ? 1 : 0;
        await progress(++done / plans.length, `${done} of ${plans.length} checks`);
      }
      return { checks: plans.length, computed: computed.size, withDrift: drifted, asOf: end.toISOString() };
    },
  };
}

export const DRIFT_SCHEDULE = {
  name: 'drift-monitors-daily',
  jobType: 'drift.monitors',
  cron: '40 4 * * *',
  timezone: 'UTC',
  data: {},
  enabled: true,
};
