// /v1/mmm: analysts import weekly KPI and spend into a stored data set, start fits as jobs (each
// recorded in the model registry, kind mmm), read a version's results and optimise a budget on it.
import { z } from '@hono/zod-openapi';
import type { Api } from '../../platform/http/app.js';
import { ROLE_GROUPS } from '../../platform/http/env.js';
import { defineRoute, jsonResponse } from '../../platform/http/route.js';
import { principalOf } from '../../platform/http/auth.js';
import { AppError, NotFoundError } from '../../platform/errors.js';
import type { Database } from '../../platform/db/client.js';
import type { JobQueue } from '../../platform/jobs/queue.js';
import { optimizeBudget } from './optimizer.js';
import { DatasetParam, FitRequestSchema, ImportSchema, OptimizeSchema } from './schemas.js';
import { getDataset, importDataset, listDatasets, loadDataset } from './store.js';
import { MMM_FIT_JOB } from './jobs.js';
import { loadFit } from './train.js';

const DatasetSchema = z
  .object({
    name: z.string(),
    kpi: z.string(),
    channels: z.array(z.string()),
    controls: z.array(z.string()),
    periodDays: z.number().int(),
    periods: z.number().int(),
    from: z.string().nullable(),
    to: z.string().nullable(),
    importedBy: z.string(),
    updatedAt: z.string(),
  })
  .openapi('MmmDataset');

const VersionParam = z.object({ version: z.coerce.number().int().min(1).max(1_000_000) });
const Loose = z.record(z.string(), z.unknown());

export function registerMmmRoutes(
  app: Api,
  options: { database: Database; queue: JobQueue; bodyLimitBytes: number; importLimitBytes: number },
): void {
  const { database, queue, bodyLimitBytes, importLimitBytes } = options;

  app.openapi(
    defineRoute({
      method: 'post',
      path: '/v1/mmm/datasets/{dataset}',
      roles: ROLE_GROUPS.analysts,
      bodyLimitBytes: importLimitBytes,
      tags: ['mmm'],
      summary:
        'Import a CSV of weekly (or daily) KPI and spend per channel: checked as `mmm fit` checks a file, merged by date, all or nothing',
      request: {
        params: DatasetParam,
        body: { required: true, content: { 'application/json': { schema: ImportSchema } } },
      },
      responses: {
        200: jsonResponse(
          z.object({ dataset: DatasetSchema, inserted: z.number().int(), updated: z.number().int() }),
          'Stored',
        ),
        409: jsonResponse(z.object({}), 'The data set holds other columns'),
      },
    }),
    async (c) => {
      const { dataset } = c.req.valid('param');
      const body = c.req.valid('json');
      const result = await importDataset(
        database,
        dataset,
        body.csv,
        { dateColumn: body.dateColumn, kpi: body.kpi, channels: body.channels, controls: body.controls },
        { actor: `key:${principalOf(c).keyId}`, replace: body.replace },
      );
      return c.json(result, 200);
    },
  );

  app.openapi(
    defineRoute({
      method: 'get',
      path: '/v1/mmm/datasets',
      roles: ROLE_GROUPS.analysts,
      tags: ['mmm'],
      summary: 'The stored MMM data sets with their columns and date range',
      responses: { 200: jsonResponse(z.object({ datasets: z.array(DatasetSchema) }), 'Data sets') },
    }),
    async (c) => c.json({ datasets: await listDatasets(database) }, 200),
  );

  app.openapi(
    defineRoute({
      method: 'get',
      path: '/v1/mmm/datasets/{dataset}',
      roles: ROLE_GROUPS.analysts,
      tags: ['mmm'],
      summary: 'One data set with its rows (date, KPI, spend per channel, controls)',
      request: { params: DatasetParam },
      responses: {
        200: jsonResponse(DatasetSchema.extend({ rows: z.array(Loose) }), 'The data set'),
        404: jsonResponse(z.object({}), 'Unknown'),
      },
    }),
    async (c) => {
      const { dataset } = c.req.valid('param');
      const summary = await getDataset(database, dataset);
      const data = await loadDataset(database, dataset);
      const rows = data.dates.map((date, t) => ({
        date,
        [summary.kpi]: data.kpi[t]!,
        ...Object.fromEntries(data.channels.map((ch, i) => [ch, data.spend[i]![t]!])),
        ...Object.fromEntries(data.controlNames.map((ct, i) => [ct, data.controls[i]![t]!])),
      }));
      return c.json({ ...summary, rows }, 200);
    },
  );

  app.openapi(
    defineRoute({
      method: 'post',
      path: '/v1/mmm/fits',
      roles: ROLE_GROUPS.analysts,
      bodyLimitBytes,
      tags: ['mmm'],
      summary:
        'Fit the MMM on a stored data set as a job (mmm.fit): poll the job; the result names the registry version and whether its diagnostics let it be promoted',
      request: { body: { required: true, content: { 'application/json': { schema: FitRequestSchema } } } },
      responses: {
        202: jsonResponse(z.object({ id: z.string(), status: z.string() }), 'Queued; poll the status URL'),
        404: jsonResponse(z.object({}), 'Unknown data set'),
      },
    }),
    async (c) => {
      const request = c.req.valid('json');
      await getDataset(database, request.dataset); // 404 now, not a failed job later
      const id = await queue.enqueue(MMM_FIT_JOB, request, { requestedBy: `key:${principalOf(c).keyId}` });
      if (!id) throw new AppError('conflict', 'The fit could not be queued.');
      return c.json({ id, status: `/v1/jobs/${id}` }, 202);
    },
  );

  app.openapi(
    defineRoute({
      method: 'get',
      path: '/v1/mmm/models/{version}',
      roles: ROLE_GROUPS.analysts,
      tags: ['mmm'],
      summary:
        'A fitted version: per channel ROI, share, marginal ROI, adstock and saturation with intervals; diagnostics; fit quality; contributions over time',
      request: { params: VersionParam },
      responses: {
        200: jsonResponse(Loose, 'The version and its results'),
        404: jsonResponse(z.object({}), 'Unknown'),
      },
    }),
    async (c) => {
      const { version } = c.req.valid('param');
      const v = await loadFit(database, version);
      return c.json(
        {
          version: v.version,
          status: v.status,
          reason: v.reason,
          dataset: v.fit.dataset,
          dataWindow: v.dataWindow,
          createdAt: v.createdAt,
          interval: v.fit.interval,
          currentSpend: v.fit.currentSpend,
          ...v.fit.fit,
          timeline: v.fit.timeline,
        },
        200,
      );
    },
  );

  app.openapi(
    defineRoute({
      method: 'post',
      path: '/v1/mmm/models/{version}/optimize',
      roles: ROLE_GROUPS.analysts,
      bodyLimitBytes,
      tags: ['mmm'],
      summary:
        'Spread a per-period budget over channels (or spend to a target marginal ROI) on a version’s posterior draws, with intervals',
      request: {
        params: VersionParam,
        body: { required: true, content: { 'application/json': { schema: OptimizeSchema } } },
      },
      responses: {
        200: jsonResponse(Loose, 'The proposal with its uncertainty'),
        404: jsonResponse(z.object({}), 'Unknown version'),
        422: jsonResponse(z.object({}), 'Bounds that cannot be met'),
      },
    }),
    async (c) => {
      const { version } = c.req.valid('param');
      const body = c.req.valid('json');
      const v = await loadFit(database, version);
      const unknown = Object.keys(body.bounds).filter((ch) => !v.fit.response.channels.includes(ch));
      if (unknown.length) throw new NotFoundError(`Channel ${unknown.join(', ')} in version ${version}`);
      let proposal;
      try {
        proposal = optimizeBudget(v.fit.response, v.fit.currentSpend, {
          ...(body.budget !== undefined ? { budget: body.budget } : {}),
          ...(body.targetRoi !== undefined ? { targetRoi: body.targetRoi } : {}),
          bounds: body.bounds,
          level: v.fit.interval,
        });
      } catch (err) {
        throw new AppError('unprocessable', (err as Error).message, { cause: err });
      }
      return c.json({ version, ...proposal }, 200);
    },
  );
}
