import { describe, expect, it } from 'vitest';
import { figureRows, useReportWorld, renderParsed } from '../test/helpers/report-world.js';

describe('drift report', () => {
  const w = useReportWorld();

  it('shows each feature column with its method and threshold, its distributions, and the history of checks', async () => {
    const { doc, text } = await renderParsed(w.ctx, 'drift');
    for (const column of ['event_name', 'product_category', 'price', 'device']) {
      expect(text).toContain(column);
      const bins = figureRows(doc, `distribution-${column}`);
      // Shares of each sample add up to 1 over the bins (reference and current rows alternate).
      const sum = (sample: string) =>
        bins.filter((r) => r[1] === sample).reduce((s, r) => s + Number(r[2]), 0);
      expect(sum('reference')).toBeCloseTo(1, 4); // table cells keep 6 significant digits
      expect(sum('current')).toBeCloseTo(1, 4);
    }
    expect(text).toMatch(/drift when the (ks p-value|normalised Wasserstein distance|jensen-shannon)/);
    // Three feature checks were stored (backfillWeeks 2), so the history has three dates.
    expect(new Set(figureRows(doc, 'drift-over-time').map((r) => r[0])).size).toBe(3);
  });
});
