// The MMM's jobs: `mmm.fit` (one fit over a stored data set, started by POST /v1/mmm/fits or the
// CLI) and the registry kind `mmm` that `model.refresh` runs (refit with the newest version's
// settings on the data as it is now), so analysts schedule refits through /v1/schedules.
import type { Database } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors.js';
import type { JobDefinition } from '../../platform/jobs/registry.js';
import type { ModelKind } from '../registry/index.js';
import { FitRequestSchema, type FitRequest } from './schemas.js';
import { fitDataset, latestRequest, KIND } from './train.js';

export const MMM_FIT_JOB = 'mmm.fit';
/** The per-version report (reports/mmm.ts). */
export const MMM_REPORT = 'mmm';

/** Renders the version's report after a fit (injected: the models layer knows no reports). */
export type RenderMmmReport = (report: string, version: number) => Promise<string>;

export function mmmFitJob(database: Database, renderReport?: RenderMmmReport): JobDefinition<FitRequest> {
  return {
    type: MMM_FIT_JOB,
    description:
      'Fit the Bayesian marketing-mix model (NUTS) on a stored data set and record it in the model registry (kind mmm); promoted only when its diagnostics pass.',
    data: FitRequestSchema,
    // A fit is deterministic for its seed: a retry would fail the same way.
    retryLimit: 0,
    expireInSeconds: 3 * 3600,
    handler: async ({ data, progress }) => {
      const outcome = await fitDataset(database, data, {
        actor: 'job:mmm.fit',
        onProgress: (f, note) => progress(f, note),
      });
      if (!renderReport) return outcome;
      // A report that fails to render does not undo the fit: the outcome says so instead.
      try {
        return { ...outcome, report: await renderReport(MMM_REPORT, outcome.version) };
      } catch (e) {
        return { ...outcome, reportError: e instanceof Error ? e.message : String(e) };
      }
    },
  };
}

export function mmmKind(database: Database): ModelKind {
  return {
    kind: KIND,
    report: MMM_REPORT,
    description:
      'Marketing-mix model: refit on the stored weekly KPI and spend with the newest version’s settings',
    refresh: async ({ actor, onProgress }) => {
      const request = await latestRequest(database);
      if (!request)
        throw new AppError(
          'conflict',
          'No MMM has been fitted yet: start one with POST /v1/mmm/fits (or `attune mmm fit --dataset NAME`), then refreshes reuse its data set and settings.',
        );
      const r = await fitDataset(database, request, { actor, onProgress });
      return { version: r.version, promoted: r.promoted, reason: r.reason, metrics: r.metrics };
    },
  };
}
