// Next best action: what the policy earned against uniform random and the best single action (by
// off-policy evaluation over its own log), the mix of served actions over time, why candidates were
// excluded, daily budget and capacity use, and the shadow-mode comparison.
import * as Plot from '@observablehq/plot';
import { defineReport } from '../src/reports/definition.js';
import { nbaReportData, type NbaReportData } from '../src/nba/index.js';
import { int, num, pct } from './_format.js';

const est = (e: { value: number; ciLower: number; ciUpper: number }) =>
  `${num(e.value, 3)} [${num(e.ciLower, 3)}, ${num(e.ciUpper, 3)}]`;

export default defineReport<NbaReportData>({
  name: 'nba',
  summary:
    'Next best action: policy value with intervals against random and a baseline, action mix over time, exclusions, budget use, shadow mode.',
  title: () => 'Next best action',
  async load(ctx) {
    const data = await nbaReportData(ctx.database, ctx.now);
    const days = [...new Set(data.mix.map((m) => m.day))].sort();
    return {
      data,
      window: days.length ? { from: days[0]!, to: days.at(-1)! } : null,
      sources: [
        'nba_decisions (POST /v1/decisions, POST /v1/rewards)',
        'nba_usage_daily',
        'nba_actions',
        'nba_channels',
      ],
    };
  },
  render(doc, d) {
    const total = d.modes.reduce((s, m) => s + m.n, 0);
    const v = d.values;
    doc.cards([
      { label: 'Decisions', value: int(total), note: 'last 90 days' },
      {
        label: 'Policy value per decision',
        value: v ? num(v.asRun.value, 3) : '–',
        note: v ? `net of cost, ${int(v.rows)} rewarded decisions` : 'no rewarded learned decisions yet',
      },
      {
        label: 'Against uniform random',
        value: v ? num(v.asRun.value - v.random.value, 3) : '–',
        tone: v ? (v.asRun.ciLower > v.random.ciUpper ? 'good' : 'neutral') : 'neutral',
        note: 'difference of the two estimates',
      },
      {
        label: 'Shadow agreement',
        value: d.shadow ? pct(d.shadow.agree / d.shadow.decisions) : '–',
        note: d.shadow ? `${int(d.shadow.decisions)} shadow decisions` : 'no shadow decisions',
      },
    ]);

    doc.section(
      'Policy value',
      'Net value per decision (reward × value − cost) of the policy as it ran, of uniform random over the same eligible candidates, and of always serving the single action with the best logged mean (or uniform where it was not eligible), all estimated from the same log by self-normalised inverse propensity weighting with 95% bootstrap intervals. The baseline is chosen on the same log, so its estimate leans optimistic.',
    );
    if (!v)
      doc.callout(
        'info',
        'Nothing to evaluate yet.',
        'Learned decisions count once their reward arrives or their reward window closes.',
      );
    else
      doc.table(
        'Estimated value per decision',
        [
          { policy: 'as run', e: v.asRun, ess: v.rows },
          { policy: 'uniform random', e: v.random, ess: v.effectiveSampleSize.random },
          { policy: `always ${v.baseline.actionId}`, e: v.baseline, ess: v.effectiveSampleSize.baseline },
        ],
        [
          { label: 'Policy', value: (r) => r.policy },
          { label: 'Value [95% interval]', value: (r) => est(r.e) },
          { label: 'Effective sample size', value: (r) => int(r.ess) },
        ],
      );

    doc.section('Action mix over time', 'Served actions per day, whoever chose them.');
    if (!d.mix.length)
      doc.callout('info', 'No action served yet.', 'POST /v1/decisions logs every decision.');
    else {
      const rows = d.mix.map((m) => ({ ...m, date: new Date(`${m.day}T00:00:00Z`) }));
      doc.figure({
        id: 'action-mix',
        caption: 'Served actions per day',
        description: `${int(rows.reduce((s, r) => s + r.n, 0))} served decisions over ${new Set(d.mix.map((m) => m.day)).size} days.`,
        data: rows,
        columns: [
          { label: 'Day', value: (r) => r.day },
          { label: 'Action', value: (r) => r.actionId },
          { label: 'Decisions', value: (r) => r.n },
        ],
        plot: ({ plot }) =>
          plot({
            x: { type: 'band', label: null },
            y: { label: 'decisions →', grid: true },
            color: { legend: true },
            marks: [
              Plot.barY(rows, {
                x: 'day',
                y: 'n',
                fill: 'actionId',
                title: (r: (typeof rows)[number]) => `${r.day} ${r.actionId}: ${r.n}`,
              }),
              Plot.ruleY([0]),
            ],
          }),
      });
    }

    doc.section('Modes and exclusions', 'How decisions were made, and why candidates were left out.');
    doc.table('Decisions by mode', d.modes, [
      { label: 'Mode', value: (r) => r.mode },
      { label: 'Decisions', value: (r) => int(r.n) },
    ]);
    doc.table('Excluded candidates by reason', d.reasons, [
      { label: 'Reason', value: (r) => r.reason },
      { label: 'Candidates', value: (r) => int(r.n) },
    ]);

    doc.section(
      'Budgets and capacity',
      'Daily counters of the actions and channels that have a budget or capacity, last 14 days.',
    );
    if (!d.usage.length) doc.paragraph('No action or channel with a daily limit has been used.');
    else
      doc.table('Use against daily limits', d.usage, [
        { label: 'Day', value: (r) => r.day },
        { label: 'Scope', value: (r) => `${r.scope} ${r.key}` },
        { label: 'Sends', value: (r) => int(r.sends) },
        { label: 'Spend', value: (r) => num(r.spend) },
        { label: 'Limit', value: (r) => r.limit || '–' },
      ]);

    doc.section(
      'Shadow mode',
      'Shadow placements serve the CRM’s default and log what the policy would have chosen.',
    );
    if (!d.shadow) doc.paragraph('No shadow decisions.');
    else
      doc.table(
        'Policy against what was served',
        [d.shadow],
        [
          { label: 'Decisions', value: (r) => int(r.decisions) },
          { label: 'Policy chose the served action', value: (r) => pct(r.agree / r.decisions) },
          { label: 'Model EV of the policy’s choice', value: (r) => num(r.chosenEv, 3) },
          { label: 'Model EV of the served action', value: (r) => num(r.servedEv, 3) },
        ],
      );
  },
});
