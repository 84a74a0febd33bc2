// Guardrails: what the pipeline decided (pass / fix / flag / re-ask / block per check over time) and how
// well it does on public labelled data (injection on the held-out split, PII per Presidio entity type).
import * as Plot from '@observablehq/plot';
import { defineReport } from '../src/reports/definition.js';
import { PALETTE } from '../src/reports/figure.js';
import {
  dailyDecisions,
  judgeOpinions,
  MODEL_INFO,
  type DailyDecisions,
  type JudgeOpinions,
} from '../src/guardrails/index.js';
import { labelledFigures, type LabelledFigures } from '../src/guardrails/labelled-sets.js';
import { ACTIONS } from '../src/guardrails/types.js';
import { int, pct } from './_format.js';

type Data = { daily: DailyDecisions[]; judge: JudgeOpinions[]; figures: LabelledFigures };

export default defineReport<Data>({
  name: 'guardrails',
  summary:
    'Guardrail decisions per check over time, and the pipeline measured on public labelled sets (injection held out, PII per type).',
  title: () => 'Guardrails',
  async load(ctx) {
    const daily = await dailyDecisions(ctx.database, 90, ctx.now);
    const judge = await judgeOpinions(ctx.database, 90, ctx.now);
    const days = [...new Set(daily.map((d) => d.day))].sort();
    return {
      data: { daily, judge, figures: labelledFigures() },
      window: days.length ? { from: days[0]!, to: days.at(-1)! } : null,
      sources: [
        'guardrail_decisions (written by POST /v1/guardrails/scan and the content pipeline)',
        'fixtures/guardrails/*.jsonl (public labelled sets; see fixtures/guardrails/README.md)',
      ],
    };
  },
  render(doc, { daily, judge, figures }) {
    const inj = figures.injection;
    const research = figures.pii['presidio-research'];
    const total = daily.reduce((s, d) => s + d.count, 0);
    doc.cards([
      {
        label: 'Injection recall (held out)',
        value: pct(inj.recall.rate),
        tone: inj.recall.rate >= 0.9 ? 'good' : 'warn',
        note: `${inj.recall.flagged} of ${inj.recall.n} attacks; aim ≥ 90%`,
      },
      {
        label: 'Injection false positives (held out)',
        value: pct(inj.falsePositiveRate.rate),
        tone: inj.falsePositiveRate.rate <= 0.05 ? 'good' : 'warn',
        note: `${inj.falsePositiveRate.flagged} of ${inj.falsePositiveRate.n} benign; aim ≤ 5%`,
      },
      {
        label: 'PII on texts with none',
        value: pct(research?.textsWithNone.rate),
        tone: (research?.textsWithNone.rate ?? 1) <= 0.05 ? 'good' : 'warn',
        note: 'Presidio research set; aim ≤ 5%',
      },
      { label: 'Decisions stored', value: int(total), note: 'last 90 days' },
    ]);

    doc.section(
      'Decisions per check',
      'Every check audits every text it sees, passes included; the share of each action per check and day.',
    );
    if (!daily.length)
      doc.callout(
        'info',
        'No decisions stored yet.',
        'POST /v1/guardrails/scan (or the content pipeline) records one decision per check per text.',
      );
    else {
      const checks = [...new Set(daily.map((d) => d.check))].sort();
      const totals = new Map<string, number>();
      for (const d of daily)
        totals.set(`${d.day}|${d.check}`, (totals.get(`${d.day}|${d.check}`) ?? 0) + d.count);
      const rows = daily.map((d) => ({ ...d, share: d.count / totals.get(`${d.day}|${d.check}`)! }));
      doc.table(
        'Per check over the window',
        checks.map((check) => {
          const sel = daily.filter((d) => d.check === check);
          const n = sel.reduce((s, d) => s + d.count, 0);
          return {
            check,
            n,
            ...Object.fromEntries(
              ACTIONS.map((a) => [a, sel.filter((d) => d.action === a).reduce((s, d) => s + d.count, 0) / n]),
            ),
          };
        }),
        [
          { label: 'Check', value: (r) => r.check },
          { label: 'Texts', value: (r) => int(r.n) },
          ...ACTIONS.map((a) => ({ label: a, value: (r: Record<string, unknown>) => pct(r[a] as number) })),
        ],
      );
      doc.figure({
        id: 'decisions-over-time',
        caption: 'Share of each action per check and day',
        description: `Days ${rows[0]!.day} to ${rows.at(-1)!.day}; checks ${checks.join(', ')}.`,
        data: rows,
        columns: [
          { label: 'Day', value: (d) => d.day },
          { label: 'Check', value: (d) => d.check },
          { label: 'Action', value: (d) => d.action },
          { label: 'Count', value: (d) => d.count },
          { label: 'Share', value: (d) => d.share },
        ],
        plot: ({ plot }) =>
          plot({
            height: 120 + 60 * checks.length,
            fy: { label: null },
            x: { label: null, type: 'band' },
            y: { label: 'share →', percent: true, grid: true },
            color: { domain: [...ACTIONS], range: PALETTE, legend: true },
            marks: [
              Plot.barY(rows, {
                x: 'day',
                y: (d: (typeof rows)[number]) => d.share,
                fill: 'action',
                fy: 'check',
                title: (d: (typeof rows)[number]) => `${d.check} ${d.day}: ${d.action} ${d.count}`,
              }),
            ],
          }),
      });
    }

    // Only where an LLM is configured: without one, no decision has a judge's part and the section is left out.
    if (judge.length) {
      doc.section(
        "The LLM judge's second opinions",
        'With an LLM configured, the judge reads every input and retrieved chunk the classifier flags or scores just below its threshold. Agreed: it shares the classifier’s verdict. Disputed: it reads a flagged text as benign; the text stays flagged for an editor. Rescued: it flags a text the classifier let pass. Error: it gave no opinion and the classifier decided alone.',
      );
      const stages = [...new Set(judge.map((j) => j.stage))];
      const verdicts = ['agreed', 'disputed', 'rescued', 'error'];
      doc.table(
        'Opinions per stage over the window',
        stages.map((stage) => ({
          stage,
          ...Object.fromEntries(
            verdicts.map((v) => [v, judge.find((j) => j.stage === stage && j.verdict === v)?.count ?? 0]),
          ),
        })),
        [
          { label: 'Stage', value: (r) => r.stage },
          ...verdicts.map((v) => ({ label: v, value: (r: Record<string, unknown>) => int(r[v] as number) })),
        ],
      );
    }

    doc.section(
      'Prompt injection on held-out labelled data',
      `The classifier (logistic regression over hashed n-grams, threshold ${MODEL_INFO.threshold.toFixed(3)}) on the held-out split, which training never read. Recall for attack kinds, false-positive rate for benign kinds.`,
    );
    doc.table(
      'By kind',
      Object.entries(inj.byKind).map(([kind, r]) => ({ kind, ...r })),
      [
        { label: 'Kind', value: (r) => r.kind },
        { label: 'Texts', value: (r) => int(r.n) },
        { label: 'Flagged', value: (r) => int(r.flagged) },
        { label: 'Rate', value: (r) => pct(r.rate) },
        { label: 'Reads as', value: (r) => (r.kind.startsWith('benign') ? 'false-positive rate' : 'recall') },
      ],
    );
    doc.table(
      'By language',
      Object.entries(inj.byLanguage).map(([lang, r]) => ({ lang, ...r })),
      [
        { label: 'Language', value: (r) => r.lang },
        { label: 'Recall', value: (r) => `${pct(r.recall.rate)} (${r.recall.flagged}/${r.recall.n})` },
        {
          label: 'False positives',
          value: (r) =>
            `${pct(r.falsePositiveRate.rate)} (${r.falsePositiveRate.flagged}/${r.falsePositiveRate.n})`,
        },
      ],
    );

    doc.section(
      'PII per entity type',
      'A gold span is found when a prediction of its type (URL and DOMAIN_NAME match each other) covers at least half of it; one prediction may cover several gold pieces (an address block labelled as street, unit and postcode), and a prediction that lies mostly inside a gold span of its type is not a false finding. Figures at the reporting threshold (0.5). The odd templates of presidio-research and the odd articles of wikigold were not read while the rules were written; wikigold labels names only, so only PERSON is scored there.',
    );
    for (const [name, f] of Object.entries(figures.pii))
      doc.table(
        `${name}: precision and recall`,
        Object.entries(f.byType).map(([type, r]) => ({ type, ...r })),
        [
          { label: 'Type', value: (r) => r.type },
          { label: 'Precision', value: (r) => pct(r.precision) },
          { label: 'Recall', value: (r) => pct(r.recall) },
          {
            label: 'TP / FP / FN',
            value: (r) => `${r.truePositives} / ${r.falsePositives} / ${r.falseNegatives}`,
          },
        ],
      );
  },
});
