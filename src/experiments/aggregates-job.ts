// The job that keeps every analysed experiment's aggregates caught up between analyses, so an
// analysis (a marketer opening a report, the hourly report job) reads only the last minutes' slice.
import { z } from 'zod';
import type { JobDefinition } from '../platform/jobs/registry.js';
import type { Database } from '../platform/db/client.js';
import { listExperiments } from './store.js';
import { catchUpKept } from './aggregates.js';

const Data = z.strictObject({});

export function experimentAggregatesJob(database: Database): JobDefinition<z.infer<typeof Data>> {
  return {
    type: 'experiments.aggregates',
    description:
      'Recompute the units of everyone whose events or consent changed since the last catch-up, for every experiment whose aggregates are kept.',
    data: Data,
    retryLimit: 2,
    handler: async ({ progress }) => {
      const experiments = await listExperiments(database.db);
      const people = await catchUpKept(database.sql, experiments, (_, done, total) => {
        void progress(done / total, `${done} of ${total} people`);
      });
      return { experiments: Object.keys(people).length, people };
    },
  };
}

/** Every five minutes: a catch-up with nothing marked is one statement per experiment. */
export const EXPERIMENT_AGGREGATES_SCHEDULE = {
  name: 'experiment-aggregates',
  jobType: 'experiments.aggregates',
  cron: '*/5 * * * *',
  timezone: 'UTC',
  data: {},
  enabled: true,
};
