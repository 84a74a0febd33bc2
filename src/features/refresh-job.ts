// The `features.refresh` job: bring the materialised features to an instant (default: now).
import { z } from 'zod';
import type { JobDefinition } from '../platform/jobs/registry.js';
import type { Database } from '../platform/db/client.js';
import { refreshFeatures } from './store.js';

const Data = z.strictObject({
  asOf: z.iso.datetime({ offset: true }).optional().describe('Instant the features hold for; default: now'),
  full: z.boolean().default(false).describe('Recompute everyone instead of the people who changed'),
});

/** Every installation refreshes features hourly; analysts may change or disable the schedule. */
export const FEATURES_SCHEDULE = {
  name: 'features-hourly',
  jobType: 'features.refresh',
  cron: '17 * * * *',
  timezone: 'UTC',
  data: {},
  enabled: true,
};

export function featuresRefreshJob(
  database: Database,
  clock: () => Date,
): JobDefinition<z.infer<typeof Data>> {
  return {
    type: 'features.refresh',
    description:
      'Recompute the materialised per-person features (only the people whose features can have changed), and drop those who no longer consent.',
    data: Data,
    retryLimit: 2,
    handler: async ({ data }) => {
      const result = await refreshFeatures(database, data.asOf ? new Date(data.asOf) : clock(), {
        full: data.full,
      });
      return result;
    },
  };
}
