// Data quality of ingest: outcomes per day (accepted, duplicate, quarantined, refused, …), consent
// coverage per category, and tracking-plan violations per event.
import * as Plot from '@observablehq/plot';
import { defineReport } from '../src/reports/definition.js';
import { PALETTE } from '../src/reports/figure.js';
import { clip } from '../src/reports/measure.js';
import { CATEGORIES } from '../src/cdp/index.js';
import { day, int, pct } from './_format.js';

type Data = {
  outcomes: { date: Date; outcome: string; count: number }[];
  weekly: boolean;
  consent: { category: string; granted: number; persons: number }[];
  consentless: { event: string; count: number }[];
  violations: { event: string; reason: string; count: number; open: number }[];
  totals: { erasures: number; conflicts: number; persons: number };
};

const OUTCOME_ORDER = ['accepted', 'duplicate', 'consent-dropped', 'quarantined', 'suppressed', 'rejected'];

export default defineReport<Data>({
  name: 'data-quality',
  summary:
    'What happened to incoming events, how much of the audience has consented to what, and which events break the tracking plan.',
  title: () => 'Data quality and consent',
  async load(ctx) {
    const { sql } = ctx.database;
    const span = await sql<
      { from: string | null; to: string | null }[]
    >`select min(day)::text as from, max(day)::text as to from cdp_ingest_counts`;
    const from = span[0]?.from ?? null;
    const to = span[0]?.to ?? null;
    const days = from && to ? (Date.parse(to) - Date.parse(from)) / 86_400_000 : 0;
    const weekly = days > 60;
    const bucket = weekly ? sql`date_trunc('week', day::timestamp)` : sql`day::timestamp`;
    const outcomes = (
      await sql<
        { d: string; outcome: string; n: string }[]
      >`select to_char(${bucket}, 'YYYY-MM-DD') as d, outcome, sum(count)::bigint as n from cdp_ingest_counts group by 1, 2 order by 1, 2`
    ).map((r) => ({ date: new Date(`${r.d}T00:00:00Z`), outcome: r.outcome, count: Number(r.n) }));
    const [p] = await sql<{ n: string }[]>`select count(*) as n from cdp_consent_state`;
    const persons = Number(p?.n ?? 0);
    const consent = [];
    for (const category of CATEGORIES) {
      const [g] = await sql<
        { n: string }[]
      >`select count(*) as n from cdp_consent_state where (categories ->> ${category})::boolean is true`;
      consent.push({ category, granted: Number(g?.n ?? 0), persons });
    }
    const consentless = (
      await sql<
        { event: string; n: string }[]
      >`select event_name as event, sum(count)::bigint as n from cdp_consentless_counts group by 1 order by 2 desc limit 20`
    ).map((r) => ({ event: r.event, count: Number(r.n) }));
    const violations = (
      await sql<{ event: string; reason: string; n: string; open: string }[]>`
      select coalesce(event_name, '(no name)') as event, reason, count(*) as n, count(*) filter (where status = 'quarantined') as open
      from cdp_failed_events group by 1, 2 order by 3 desc limit 50`
    ).map((r) => ({ event: r.event, reason: r.reason, count: Number(r.n), open: Number(r.open) }));
    const [er] = await sql<{ n: string }[]>`select count(*) as n from cdp_erasure_requests`;
    const [cf] = await sql<{ n: string }[]>`select count(*) as n from cdp_identity_conflicts`;
    return {
      data: {
        outcomes,
        weekly,
        consent,
        consentless,
        violations,
        totals: { erasures: Number(er?.n ?? 0), conflicts: Number(cf?.n ?? 0), persons },
      },
      window: from && to ? { from, to } : null,
      sources: [
        'cdp_ingest_counts (daily outcomes)',
        'cdp_consent_state',
        'cdp_consentless_counts',
        'cdp_failed_events',
        'cdp_erasure_requests',
        'cdp_identity_conflicts',
      ],
    };
  },
  render(doc, d) {
    const total = d.outcomes.reduce((s, o) => s + o.count, 0);
    const by = (o: string) => d.outcomes.filter((x) => x.outcome === o).reduce((s, x) => s + x.count, 0);
    doc.cards([
      { label: 'Events received', value: int(total) },
      {
        label: 'Stored',
        value: pct(total ? by('accepted') / total : null),
        note: `${int(by('accepted'))} events`,
      },
      {
        label: 'Without consent (counted only)',
        value: pct(total ? by('consent-dropped') / total : null),
        tone: 'info',
      },
      {
        label: 'Quarantined or refused',
        value: pct(total ? (by('quarantined') + by('rejected')) / total : null),
        tone: by('quarantined') + by('rejected') > 0 ? 'warn' : 'good',
      },
      {
        label: 'Erasures carried out',
        value: int(d.totals.erasures),
        note: `${int(d.totals.conflicts)} identity conflicts kept apart`,
      },
    ]);
    if (!total) {
      doc.callout('info', 'No events yet.', 'Send events to POST /v1/batch with a source key.');
      return;
    }
    doc.section(
      'Events by outcome over time',
      `Every event gets exactly one outcome: stored, a duplicate of one already stored, counted without personal data for lack of analytics consent, quarantined by the tracking plan, suppressed after an erasure, or refused as malformed. ${d.weekly ? 'Weekly' : 'Daily'} totals.`,
    );
    const present = OUTCOME_ORDER.filter((o) => by(o) > 0);
    doc.figure({
      id: 'outcomes-over-time',
      caption: `Events per ${d.weekly ? 'week' : 'day'} by outcome`,
      description: present.map((o) => `${o}: ${int(by(o))}`).join('; ') + '.',
      data: d.outcomes,
      columns: [
        { label: d.weekly ? 'Week of' : 'Day', value: (r) => day(r.date.toISOString()) },
        { label: 'Outcome', value: (r) => r.outcome },
        { label: 'Events', value: (r) => r.count },
      ],
      plot: ({ plot }) =>
        plot({
          height: 280,
          x: { type: 'utc', label: null },
          y: { label: '↑ events', grid: true },
          color: { domain: present, range: PALETTE, legend: true },
          marks: [
            Plot.rectY(d.outcomes, {
              x: 'date',
              interval: d.weekly ? 'week' : 'day',
              y: 'count',
              fill: 'outcome',
              title: (r: Data['outcomes'][number]) => `${day(r.date.toISOString())} ${r.outcome}: ${r.count}`,
            }),
            Plot.ruleY([0]),
          ],
        }),
    });

    doc.section(
      'Consent coverage',
      `Share of the ${int(d.totals.persons)} people with a consent state who currently grant each category. No state counts as no consent; "pending" is never "granted".`,
    );
    doc.figure({
      id: 'consent-coverage',
      caption: 'People granting each consent category',
      description:
        d.consent.map((c) => `${c.category}: ${pct(c.persons ? c.granted / c.persons : null)}`).join('; ') +
        '.',
      data: d.consent,
      columns: [
        { label: 'Category', value: (c) => c.category },
        { label: 'Granted', value: (c) => c.granted },
        { label: 'People with a state', value: (c) => c.persons },
      ],
      plot: ({ plot, marginLeft }) =>
        plot({
          marginLeft: marginLeft(d.consent.map((c) => c.category)),
          height: 50 + 34 * d.consent.length,
          x: { label: 'granted (%) →', domain: [0, 100], grid: true },
          y: { label: null },
          marks: [
            Plot.barX(d.consent, {
              y: 'category',
              x: (c: Data['consent'][number]) => (c.persons ? (100 * c.granted) / c.persons : 0),
              fill: PALETTE[2],
              title: (c: Data['consent'][number]) => `${c.category}: ${c.granted} of ${c.persons}`,
            }),
            Plot.ruleX([0]),
          ],
        }),
    });
    if (d.consentless.length)
      doc.table('Events counted without consent, by event (anonymous daily counts only)', d.consentless, [
        { label: 'Event', value: (c) => c.event },
        { label: 'Events', value: (c) => int(c.count) },
      ]);

    doc.section(
      'Tracking-plan violations',
      'Events that broke the tracking plan are quarantined with the reason, never stored as good data; they can be replayed after the plan or the sender is fixed.',
    );
    if (d.violations.length) {
      const byEvent = [
        ...d.violations.reduce(
          (m, v) => m.set(v.event, (m.get(v.event) ?? 0) + v.count),
          new Map<string, number>(),
        ),
      ]
        .map(([event, count]) => ({ event, count }))
        .sort((a, b) => b.count - a.count);
      doc.figure({
        id: 'violations-by-event',
        caption: 'Quarantined events per event name',
        description: byEvent.map((v) => `${v.event}: ${v.count}`).join('; ') + '.',
        data: byEvent,
        columns: [
          { label: 'Event', value: (v) => v.event },
          { label: 'Quarantined', value: (v) => v.count },
        ],
        plot: ({ plot, marginLeft }) =>
          plot({
            marginLeft: marginLeft(byEvent.map((v) => clip(v.event))),
            height: 50 + 30 * byEvent.length,
            x: { label: 'events →', grid: true },
            y: { label: null, domain: byEvent.map((v) => v.event), tickFormat: (s: string) => clip(s) },
            marks: [
              Plot.barX(byEvent, {
                y: 'event',
                x: 'count',
                fill: PALETTE[1],
                title: (v: (typeof byEvent)[number]) => `${v.event}: ${v.count}`,
              }),
              Plot.ruleX([0]),
            ],
          }),
      });
      doc.table('Violations by event and reason', d.violations, [
        { label: 'Event', value: (v) => v.event },
        { label: 'Reason', value: (v) => v.reason },
        { label: 'Events', value: (v) => int(v.count) },
        { label: 'Still quarantined', value: (v) => int(v.open) },
      ]);
    } else doc.paragraph('No event has broken the tracking plan.');
  },
});
