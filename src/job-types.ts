// Every job type of every domain, registered in one place so API and workers agree.
import type { Sql } from './platform/db/client.js';
import { analyzeJob } from './platform/db/maintenance-job.js';
import { JobRegistry } from './platform/jobs/registry.js';
import { partitionsJob, PARTITIONS_SCHEDULE } from './cdp/partitions-job.js';
import type { ScheduleInput } from './platform/jobs/schedules.js';

/** Schedules every installation has; created at start-up when missing, never overwritten. */
export const BUILT_IN_SCHEDULES: ScheduleInput[] = [PARTITIONS_SCHEDULE];

export function createJobRegistry(sql: Sql): JobRegistry {
  return new JobRegistry().register(analyzeJob(sql)).register(partitionsJob(sql));
}
