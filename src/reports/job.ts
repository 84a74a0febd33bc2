// The pg-boss job that renders every report on a schedule, so each report's as-of time moves.
import { z } from 'zod';
import { idSchema } from '../platform/ids.js';
import type { JobDefinition } from '../platform/jobs/registry.js';
import type { Database } from '../platform/db/client.js';
import { renderReports } from './render.js';

const Data = z.strictObject({
  only: z.array(idSchema()).optional(),
  params: z.record(idSchema(), idSchema()).optional(),
});

export function reportsJob(
  database: Database,
  outDir: string,
  clock: () => Date,
): JobDefinition<z.infer<typeof Data>> {
  return {
    type: 'reports.render',
    description: 'Render the reports in reports/ into self-contained HTML files (served at /reports).',
    data: Data,
    retryLimit: 1,
    handler: async ({ data, progress }) => {
      const results = await renderReports(
        { database, now: clock() },
        {
          outDir,
          only: data.only,
          params: data.params,
          onProgress: (done, total, current) => {
            void progress(total ? done / total : 1, current ? `rendering ${current}` : 'index');
          },
        },
      );
      const failed = results.filter((r) => r.status === 'failed');
      if (failed.length === results.length && results.length > 0)
        throw new Error(`every report failed: ${failed[0]!.error}`);
      return {
        rendered: results.length - failed.length,
        failed: failed.map((f) => `${f.file}: ${f.error}`),
        outDir,
      };
    },
  };
}

export const REPORTS_SCHEDULE = {
  name: 'reports-hourly',
  jobType: 'reports.render',
  cron: '5 * * * *',
  timezone: 'UTC',
  data: {},
  enabled: true,
};
