import { describe, expect, it } from 'vitest';
import { figureRows, useReportWorld, renderParsed } from '../test/helpers/report-world.js';
import { getExperiment } from '../src/experiments/store.js';
import { analyzeExperiment } from '../src/experiments/analysis.js';

describe('experiment report', () => {
  const w = useReportWorld();

  it('shows the analysis of the stored events: units per arm, SRM check, lifts and verdict', async () => {
    const e = await getExperiment(w.t.services.database.db, 'shipping-offer');
    const a = await analyzeExperiment(w.t.services.database, e, w.ctx.now);
    const { doc, text } = await renderParsed(w.ctx, 'experiment', 'shipping-offer');
    for (const arm of a.arms) expect(text).toContain(`${arm.name}${arm.n}`);
    expect(text).toContain(a.verdict.text);
    expect(text).toContain('Sample-ratio check');
    // The forest plot's data are the engine's estimates, metric by metric.
    const forest = figureRows(doc, 'uplift-forest');
    const purchase = a.metrics[0]!.result.variations[1]!;
    expect(Number(forest[0]![3])).toBeCloseTo(purchase.estimate!, 5);
    // Costs: this experiment has a cost model, so spend and cost per outcome are shown.
    expect(text).toContain('Cost per outcome');
  });

  it('renders an experiment without exposures without failing', async () => {
    const { text } = await renderParsed(w.ctx, 'experiment', 'email-subject-line');
    expect(text).toContain('Verdict');
  });
});
