// The MMM report of a fitted version: its figures carry the version's stored numbers (ROI and shares
// with intervals, contributions per period, response curves with today's spend at ×1, carry-over),
// the optimizer's proposal spends today's budget, and a fit that fails its diagnostics says so.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromRoot } from '../src/platform/paths.js';
import { importDataset } from '../src/models/mmm/store.js';
import { fitDataset, loadFit } from '../src/models/mmm/train.js';
import { FitRequestSchema } from '../src/models/mmm/schemas.js';
import { weeklyResponse } from '../src/models/mmm/response.js';
import { openTestServices, type TestContext } from '../test/helpers/services.js';
import { figureRows, renderParsed } from '../test/helpers/report-world.js';

/** Table cells keep 6 significant digits. */
const sameAsCell = (cell: string | undefined, value: number) =>
  expect(Math.abs(Number(cell) - value)).toBeLessThanOrEqual(1e-5 * Math.abs(value) + 1e-9);

describe('MMM report', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await openTestServices('server');
    const db = t.services.database;
    await importDataset(
      db,
      'example',
      fs.readFileSync(fromRoot('fixtures/mmm/mmm_example.csv'), 'utf8'),
      { dateColumn: 'date_week', kpi: 'y', channels: ['x1', 'x2'], controls: ['event_1', 'event_2'] },
      { actor: 'test' },
    );
    await fitDataset(
      db,
      FitRequestSchema.parse({ dataset: 'example', chains: 2, draws: 40, warmup: 40, seed: 5 }),
      { actor: 'test' },
    );
  }, 120_000);
  afterAll(async () => t?.close());

  it('shows the version’s stored numbers in every figure, today’s spend on the curves, and the failed diagnostics', async () => {
    const ctx = { database: t.services.database, now: new Date() };
    const { fit } = await loadFit(ctx.database, 1);
    const { doc, text } = await renderParsed(ctx, 'mmm', '1');

    const roi = figureRows(doc, 'roi').filter((r) => r[1] === 'ROI');
    expect(roi.map((r) => r[0])).toEqual(['x1', 'x2']);
    fit.fit.channels.forEach((c, i) => {
      sameAsCell(roi[i]![2], c.roi.mean);
      sameAsCell(roi[i]![3], c.roi.lower);
      sameAsCell(roi[i]![4], c.roi.upper);
    });
    const shares = figureRows(doc, 'shares');
    expect(shares.reduce((a, r) => a + Number(r[1]), 0)).toBeCloseTo(1, 4);

    // Stacked parts of a period add up to the model's expected KPI for that period.
    const stacked = figureRows(doc, 'contributions');
    const first = stacked.filter((r) => r[0] === fit.timeline[0]!.date);
    expect(first.map((r) => r[1])).toEqual(['baseline', 'x1', 'x2']);
    const total = first.reduce((a, r) => a + Number(r[2]), 0);
    expect(Math.abs(total / fit.timeline[0]!.expected.mean - 1)).toBeLessThan(1e-5);

    // At ×1 each curve is the mean response over the kept draws at today's spend.
    const curves = figureRows(doc, 'response').filter((r) => r[2] === '1');
    fit.response.channels.forEach((name, c) => {
      const row = curves.find((r) => r[0] === name)!;
      sameAsCell(row[1], fit.currentSpend[c]!);
      const step = Math.max(1, Math.floor(fit.response.draws.length / 400));
      const kept = fit.response.draws.map((_, d) => d).filter((d) => d % step === 0);
      const mean =
        kept.reduce((a, d) => a + weeklyResponse(fit.response, d, c, fit.currentSpend[c]!), 0) / kept.length;
      sameAsCell(row[3], mean);
    });
    expect(figureRows(doc, 'adstock')).toHaveLength(2 * 8);

    const proposal = figureRows(doc, 'proposal');
    const spent = (which: string) =>
      proposal.filter((r) => r[1] === which).reduce((a, r) => a + Number(r[2]), 0);
    expect(spent('proposed') / spent('today')).toBeCloseTo(1, 4);

    expect(text).toMatch(/diagnostics fail/);
    expect(text).toMatch(/never promoted/);
    expect(text).toMatch(/What this model assumes/);
    expect(text).toMatch(/geometric adstock over at most 8 periods/);
  });
});
