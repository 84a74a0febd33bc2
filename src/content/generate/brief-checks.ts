// Every text of a brief passes the output guardrails: titles, H1s and meta descriptions against all the
// brief's passages, each outline point against the passages it cites. Fixes (spelling, disclaimers,
// masks) are applied; blocked texts are removed; texts asked again are reported with their feedback.
import type { AuditRecord, Guardrails } from '../../guardrails/index.js';
import type { SeoBrief } from '../seo/brief-schema.js';
import type { Source, StoredFinding } from './sources.js';

export type BriefCheck = {
  brief: SeoBrief;
  findings: StoredFinding[];
  audit: AuditRecord[];
  feedback: string[];
  /** Texts asked again, by value, so the offline composer can skip them. */
  refused: Set<string>;
};

type Part = 'titles' | 'h1s' | 'metaDescriptions' | 'outline';

/** Sections left with nothing to say after the checks are dropped (one always stays). */
const nonEmpty = (outline: SeoBrief['outline']) => {
  const kept = outline.filter((s) => s.points.length || s.subsections.length);
  return kept.length ? kept : outline.slice(0, 1);
};

export function checkBriefTexts(
  guardrails: Guardrails,
  brief: SeoBrief,
  sources: readonly Source[],
  attempt: number,
  parts: readonly Part[] = ['titles', 'h1s', 'metaDescriptions', 'outline'],
): BriefCheck {
  const findings: StoredFinding[] = [];
  const audit: AuditRecord[] = [];
  const feedback: string[] = [];
  const refused = new Set<string>();
  const all = sources.map((s) => ({ id: s.id, text: s.text }));
  const byId = new Map(all.map((s) => [s.id, s]));
  /** Returns the text to keep (fixed), or null to drop it. */
  const check = (section: string, text: string, cited: string[] | null): string | null => {
    const d = guardrails.checkOutput(
      text,
      { citedChunks: cited ? cited.flatMap((id) => (byId.get(id) ? [byId.get(id)!] : [])) : all },
      attempt,
    );
    audit.push(...d.audit);
    const action = d.action === 're-ask' && attempt >= 2 ? 'flag' : d.action;
    findings.push(
      ...d.findings.map((f) => ({
        section,
        stage: 'output' as const,
        check: f.check,
        rule: f.rule,
        action,
        message: f.message,
        start: f.start,
        end: f.end,
      })),
    );
    if (action === 'block') return null;
    if (action === 're-ask') {
      feedback.push(...d.feedback.map((m) => `${section}: ${m}`));
      refused.add(text);
      return null;
    }
    return d.text;
  };
  const list = (name: 'titles' | 'h1s' | 'metaDescriptions') =>
    parts.includes(name)
      ? brief[name].flatMap((t, i) => {
          const kept = check(`${name}[${i}]`, t, null);
          return kept === null ? [] : [kept];
        })
      : brief[name];
  const points = (section: string, ps: SeoBrief['outline'][number]['points']) =>
    ps.flatMap((p, i) => {
      const kept = check(`${section}.points[${i}]`, p.text, p.sources);
      return kept === null ? [] : [{ ...p, text: kept }];
    });
  const checked: SeoBrief = {
    ...brief,
    titles: list('titles'),
    h1s: list('h1s'),
    metaDescriptions: list('metaDescriptions'),
    outline: parts.includes('outline')
      ? nonEmpty(
          brief.outline.map((s, i) => ({
            ...s,
            points: points(`outline[${i}]`, s.points),
            subsections: s.subsections.map((x, j) => ({
              ...x,
              points: points(`outline[${i}].subsections[${j}]`, x.points),
            })),
          })),
        )
      : brief.outline,
  };
  return { brief: checked, findings, audit, feedback, refused };
}
