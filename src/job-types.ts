// Every job type of every domain, registered in one place so API and workers agree.
import type { Sql } from './platform/db/client.js';
import { analyzeJob } from './platform/db/maintenance-job.js';
import { JobRegistry } from './platform/jobs/registry.js';

export function createJobRegistry(sql: Sql): JobRegistry {
  return new JobRegistry().register(analyzeJob(sql));
}
