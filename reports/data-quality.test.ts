import { describe, expect, it } from 'vitest';
import { figureRows, useReportWorld, renderParsed } from '../test/helpers/report-world.js';

describe('data-quality report', () => {
  const w = useReportWorld();

  it('accounts for every event the world sent, by outcome, and shows consent coverage from the consent state', async () => {
    const { doc, text } = await renderParsed(w.ctx, 'data-quality');
    const outcomes = figureRows(doc, 'outcomes-over-time');
    expect(outcomes.reduce((s, r) => s + Number(r[2]), 0)).toBe(w.world.truth.events.total);
    expect(text).toContain(`${w.world.truth.events.total.toLocaleString('en-US')}`);
    const [state] = await w.t.services.database.sql<
      { n: string; m: string }[]
    >`select count(*) as n, count(*) filter (where (categories ->> 'marketing')::boolean) as m from cdp_consent_state`;
    const marketing = figureRows(doc, 'consent-coverage').find((r) => r[0] === 'marketing')!;
    expect(marketing.slice(1).map(Number)).toEqual([Number(state!.m), Number(state!.n)]);
    expect(figureRows(doc, 'violations-by-event').length).toBeGreaterThan(0);
  });
});
