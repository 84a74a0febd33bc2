// The MMM through the API in both database modes: a CSV of weekly KPI and spend imported into a
// stored data set (checked as `mmm fit` checks a file, all or nothing), a fit started as a job and
// recorded in the model registry, the promotion rule on failing diagnostics, results and the
// optimizer by version, and `model.refresh` kind mmm refitting with the newest version's settings.
// The fits are tiny (2 chains × 40 draws): enough to exercise every path, far too few to pass
// the diagnostics, which is what the promotion rule is tested on.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkers } from '../src/server.js';
import { fromRoot } from '../src/platform/paths.js';
import { DATABASE_MODES } from './helpers/databases.js';
import { openTestServices, type TestContext } from './helpers/services.js';
import { waitFor } from './helpers/jobs.js';

const CSV = fs.readFileSync(fromRoot('fixtures/mmm/mmm_example.csv'), 'utf8');
const COLUMNS = {
  dateColumn: 'date_week',
  kpi: 'y',
  channels: ['x1', 'x2'],
  controls: ['event_1', 'event_2'],
};
const TINY = { chains: 2, draws: 40, warmup: 40, seed: 3 };

type Problem = { type: string; detail: string; errors?: { path: string; message: string }[] };

describe.each(DATABASE_MODES)('MMM over HTTP on the %s database', (mode) => {
  let t: TestContext;
  let stop: () => Promise<void>;
  let analyst: string;
  beforeAll(async () => {
    t = await openTestServices(mode);
    stop = await startWorkers(t.services);
    analyst = await t.keyFor('analyst');
  });
  afterAll(async () => {
    await stop?.();
    await t?.close();
  });

  const post = (path: string, json: unknown) => t.request(path, { key: analyst, json });
  const get = (path: string) => t.request(path, { key: analyst });

  it('imports a CSV, merges later weeks by date, and refuses a bad file whole with every problem named', async () => {
    const res = await post('/v1/mmm/datasets/example', { csv: CSV, ...COLUMNS });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { inserted: number; updated: number; dataset: { periods: number } };
    expect(body).toMatchObject({ inserted: 179, updated: 0, dataset: { periods: 179, from: '2018-04-02' } });

    // The last two weeks again (one changed) and one new week after them.
    const lines = CSV.trim().split('\n');
    const last = lines.at(-1)!.split(',');
    const next = new Date(Date.parse(last[0]!) + 7 * 86_400_000).toISOString().slice(0, 10);
    const tail = [
      lines[0],
      lines.at(-2),
      [last[0], '4000', ...last.slice(2)].join(','),
      [next, ...last.slice(1)].join(','),
    ];
    const merged = await post('/v1/mmm/datasets/example', { csv: tail.join('\n'), ...COLUMNS });
    expect(await merged.json()).toMatchObject({
      inserted: 1,
      updated: 2,
      dataset: { periods: 180, to: next },
    });
    const stored = (await (await get('/v1/mmm/datasets/example')).json()) as {
      rows: Record<string, number>[];
    };
    expect(stored.rows.at(-2)!.y).toBe(4000);

    // Non-numeric and negative spend, and a gap: one 400 naming each; nothing stored.
    const bad = [
      lines[0],
      `${next},1,x,0,0,0,1,1`,
      `${new Date(Date.parse(next) + 14 * 86_400_000).toISOString().slice(0, 10)},1,-3,0,0,0,1,1`,
    ].join('\n');
    const refused = await post('/v1/mmm/datasets/example', { csv: bad, ...COLUMNS });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toMatch(/problem\+json/);
    const problem = (await refused.json()) as Problem;
    const messages = problem.errors!.map((e) => e.message).join('\n');
    expect(messages).toMatch(/"x" is not a number/);
    expect(messages).toMatch(/spend -3 is negative/);
    expect(((await (await get('/v1/mmm/datasets/example')).json()) as { periods: number }).periods).toBe(180);

    const gap = [
      lines[0],
      `${new Date(Date.parse(next) + 14 * 86_400_000).toISOString().slice(0, 10)},1,1,1,0,0,1,1`,
    ];
    const gapped = (await (
      await post('/v1/mmm/datasets/example', { csv: gap.join('\n'), ...COLUMNS })
    ).json()) as Problem;
    expect(gapped.errors!.map((e) => e.message).join('\n')).toMatch(/after 14 days; expected 7/);

    const missing = await post('/v1/mmm/datasets/example', { csv: CSV, ...COLUMNS, channels: ['x1', 'tv'] });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as Problem).errors![0]!.message).toMatch(/spend column "tv" is missing/);
    const other = await post('/v1/mmm/datasets/example', { csv: CSV, ...COLUMNS, channels: ['x1'] });
    expect(other.status).toBe(409);
    const few = await post('/v1/mmm/datasets/short', { csv: lines.slice(0, 12).join('\n'), ...COLUMNS });
    expect(((await few.json()) as Problem).errors!.map((e) => e.message).join()).toMatch(/too few/);

    const list = (await (await get('/v1/mmm/datasets')).json()) as { datasets: { name: string }[] };
    expect(list.datasets.map((d) => d.name)).toEqual(['example']);
  });

  it('fits as a job into the registry, never promotes a fit that fails its diagnostics, and optimises by version', async () => {
    expect((await post('/v1/mmm/fits', { dataset: 'nope', ...TINY })).status).toBe(404);
    const queued = await post('/v1/mmm/fits', { dataset: 'example', ...TINY, holdout: 8 });
    expect(queued.status).toBe(202);
    const { id } = (await queued.json()) as { id: string };
    const job = await waitFor(() => t.services.queue.get(id), undefined, 240_000);
    expect(job.state, job.error ?? '').toBe('completed');
    expect(job.result).toMatchObject({ version: 1, promoted: false });
    expect(String(job.result!.reason)).toMatch(/diagnostics fail.*never promoted/);
    // The version's report is rendered with it.
    expect(job.result!.report ?? job.result!.reportError).toMatch(/mmm--1\.html$/);

    const version = (await (await get('/v1/models/mmm/1')).json()) as {
      status: string;
      metrics: Record<string, unknown>;
      dataWindow: Record<string, unknown>;
    };
    expect(version.status).toBe('challenger');
    for (const k of ['rhatMax', 'essBulkMin', 'divergences', 'r2', 'mape', 'nrmse', 'holdout'])
      expect(version.metrics).toHaveProperty(k);
    expect(version.metrics.holdout).toMatchObject({ periods: 8 });
    expect(version.dataWindow).toMatchObject({ dataset: 'example', periods: 180 });
    // Not even an admin can make it serve.
    const byHand = await t.request('/v1/models/mmm/1/promote', {
      key: await t.keyFor('admin'),
      json: { reason: 'looks fine to me' },
    });
    expect(byHand.status).toBe(409);
    expect(((await byHand.json()) as Problem).detail).toMatch(/failed its diagnostics/);

    const results = (await (await get('/v1/mmm/models/1')).json()) as {
      channels: { name: string; roi: { mean: number; lower: number; upper: number } }[];
      timeline: unknown[];
      diagnostics: { warnings: string[] };
    };
    expect(results.channels.map((c) => c.name)).toEqual(['x1', 'x2']);
    for (const c of results.channels) expect(c.roi.lower).toBeLessThanOrEqual(c.roi.upper);
    expect(results.timeline).toHaveLength(180);
    expect(results.diagnostics.warnings.length).toBeGreaterThan(0);

    const opt = await post('/v1/mmm/models/1/optimize', { budget: 1, bounds: { x2: { max: 0.3 } } });
    expect(opt.status).toBe(200);
    const proposal = (await opt.json()) as { allocations: { channel: string; proposed: number }[] };
    const total = proposal.allocations.reduce((a, x) => a + x.proposed, 0);
    expect(total).toBeCloseTo(1, 6);
    expect(proposal.allocations.find((a) => a.channel === 'x2')!.proposed).toBeLessThanOrEqual(0.3 + 1e-9);
    expect((await post('/v1/mmm/models/1/optimize', { bounds: {} })).status).toBe(400);
    expect((await post('/v1/mmm/models/99/optimize', { budget: 1 })).status).toBe(404);
  }, 300_000);

  it('refits through model.refresh kind mmm with the newest version’s settings', async () => {
    const res = await post('/v1/models/mmm/train', {});
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const job = await waitFor(() => t.services.queue.get(id), undefined, 240_000);
    expect(job.state, job.error ?? '').toBe('completed');
    expect(job.result).toMatchObject({ version: 2, promoted: false });
    const v2 = (await (await get('/v1/models/mmm/2')).json()) as { params: Record<string, unknown> };
    expect(v2.params).toMatchObject({ dataset: 'example', holdout: 8, draws: 40 });
  }, 300_000);
});
