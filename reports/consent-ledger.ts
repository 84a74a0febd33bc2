// Consent changes per day (the README's worked example of adding a report).
import * as Plot from '@observablehq/plot';
import { defineReport } from '../src/reports/definition.js';

type Row = { day: Date; changes: number };

export default defineReport<Row[]>({
  name: 'consent-ledger',
  summary: 'Consent changes recorded per day.',
  title: () => 'Consent changes',
  async load(ctx) {
    const rows = await ctx.database.sql<{ day: string; n: string }[]>`
      select to_char(date_trunc('day', at), 'YYYY-MM-DD') as day, count(*) as n from cdp_consent_ledger group by 1 order by 1`;
    const data = rows.map((r) => ({ day: new Date(`${r.day}T00:00:00Z`), changes: Number(r.n) }));
    return {
      data,
      window: rows.length ? { from: rows[0]!.day, to: rows.at(-1)!.day } : null,
      sources: ['cdp_consent_ledger'],
    };
  },
  render(doc, data) {
    doc.paragraph('Every grant or withdrawal, as the ledger recorded it.');
    doc.figure({
      id: 'changes',
      caption: 'Consent changes per day',
      description: `${data.length} days with changes.`,
      data,
      columns: [
        { label: 'Day', value: (d) => d.day },
        { label: 'Changes', value: (d) => d.changes },
      ],
      plot: ({ plot }) =>
        plot({
          x: { type: 'utc' },
          marks: [Plot.rectY(data, { x: 'day', interval: 'day', y: 'changes' }), Plot.ruleY([0])],
        }),
    });
  },
});
