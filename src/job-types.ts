// Every job type of every domain, registered in one place so API and workers agree.
import type { Database } from './platform/db/client.js';
import { analyzeJob } from './platform/db/maintenance-job.js';
import { JobRegistry } from './platform/jobs/registry.js';
import { partitionsJob, PARTITIONS_SCHEDULE } from './cdp/partitions-job.js';
import type { ScheduleInput } from './platform/jobs/schedules.js';
import { driftMonitorsJob, DRIFT_SCHEDULE } from './drift/monitor-job.js';
import { reportsJob, REPORTS_SCHEDULE } from './reports/job.js';
import { renderReports } from './reports/render.js';
import { featuresRefreshJob, FEATURES_SCHEDULE } from './features/index.js';
import { modelRefreshJob, type RenderVersionReport } from './models/registry/index.js';
import { modelKinds } from './model-kinds.js';
import { contentReembedJob, createEmbedder, type Embedder } from './content/index.js';
import { mmmFitJob } from './models/mmm/jobs.js';
import { experimentAggregatesJob, EXPERIMENT_AGGREGATES_SCHEDULE } from './experiments/aggregates-job.js';

/** Schedules every installation has; created at start-up when missing, never overwritten. */
export const BUILT_IN_SCHEDULES: ScheduleInput[] = [
  PARTITIONS_SCHEDULE,
  DRIFT_SCHEDULE,
  REPORTS_SCHEDULE,
  FEATURES_SCHEDULE,
  EXPERIMENT_AGGREGATES_SCHEDULE,
];

export function createJobRegistry(
  database: Database,
  clock: () => Date,
  reportsDir: string,
  /** The configured embedder (an OpenAI-compatible server, else the local one). */
  embedder: () => Embedder = () => createEmbedder({ apiKey: undefined, baseUrl: undefined }),
): JobRegistry {
  const { sql } = database;
  return new JobRegistry()
    .register(analyzeJob(sql))
    .register(partitionsJob(sql))
    .register(driftMonitorsJob(database, clock))
    .register(reportsJob(database, reportsDir, clock))
    .register(experimentAggregatesJob(database))
    .register(featuresRefreshJob(database, clock))
    .register(
      modelRefreshJob(modelKinds(database, clock), versionReportRenderer(database, clock, reportsDir)),
    )
    .register(mmmFitJob(database, versionReportRenderer(database, clock, reportsDir)))
    .register(contentReembedJob(database, embedder));
}

/** After a refresh, the new version's own report (e.g. its model card) is rendered at once. */
function versionReportRenderer(database: Database, clock: () => Date, outDir: string): RenderVersionReport {
  return async (report, version) => {
    const [result] = await renderReports(
      { database, now: clock() },
      { outDir, only: [report], params: { version: String(version) } },
    );
    if (!result || result.status === 'failed') throw new Error(result?.error ?? `${report} did not render`);
    return result.file;
  };
}
