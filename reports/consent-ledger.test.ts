import { describe, expect, it } from 'vitest';
import { figureRows, useReportWorld, renderParsed } from '../test/helpers/report-world.js';

describe('consent-ledger report', () => {
  const w = useReportWorld();

  it('counts every ledger entry once', async () => {
    const { doc } = await renderParsed(w.ctx, 'consent-ledger');
    const [row] = await w.t.services.database.sql<
      { n: string }[]
    >`select count(*) as n from cdp_consent_ledger`;
    expect(figureRows(doc, 'changes').reduce((s, r) => s + Number(r[1]), 0)).toBe(Number(row!.n));
  });
});
