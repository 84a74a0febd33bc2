// Creates the events table's monthly partitions ahead of time (and moves strays out of the default).
import { z } from 'zod';
import type { JobDefinition } from '../platform/jobs/registry.js';
import type { Sql } from '../platform/db/client.js';

/** How many months ahead of the current one get a partition. */
const MONTHS_AHEAD = 3;

const Data = z.strictObject({ monthsAhead: z.number().int().min(1).max(24).default(MONTHS_AHEAD) });

export function partitionsJob(sql: Sql): JobDefinition<z.infer<typeof Data>> {
  return {
    type: 'cdp.partitions',
    description: 'Create the monthly partitions of the events table ahead of time.',
    data: Data,
    retryLimit: 3,
    handler: async ({ data, progress }) => {
      const [row] = await sql<
        { created: number }[]
      >`select attune_ensure_event_partitions((date_trunc('month', now()) - interval '1 month')::date, ${data.monthsAhead + 2}) as created`;
      await progress(1, 'done');
      return { created: row?.created ?? 0 };
    },
  };
}

/** The built-in schedule that keeps partitions ahead (created at start-up when missing). */
export const PARTITIONS_SCHEDULE = {
  name: 'cdp-partitions-daily',
  jobType: 'cdp.partitions',
  cron: '17 3 * * *',
  timezone: 'UTC',
  data: {},
  enabled: true,
};
