// Figures on labelled sets: injection recall and false-positive rate by kind and language, PII precision
// and recall per type. Pure: rows in, figures out (the bench and the report read the fixtures).
import { detectPii, type PiiFinding, type PiiType } from './pii/detect.js';

export type InjectionRow = {
  text: string;
  label: 0 | 1;
  kind: string;
  lang: string;
  split: string;
  source: string;
};
export type Rate = { n: number; flagged: number; rate: number };
export type InjectionFigures = {
  split: string;
  threshold: number;
  recall: Rate;
  falsePositiveRate: Rate;
  byKind: Record<string, Rate>;
  byLanguage: Record<string, { recall: Rate; falsePositiveRate: Rate }>;
};

const rate = (n: number, flagged: number): Rate => ({ n, flagged, rate: n ? flagged / n : 0 });

export function injectionFigures(
  rows: readonly InjectionRow[],
  score: (text: string) => number,
  threshold: number,
  split: string,
): InjectionFigures {
  const flagged = rows.map((r) => ({ r, hit: score(r.text) >= threshold }));
  const count = (pred: (r: InjectionRow) => boolean) => {
    const sel = flagged.filter((f) => pred(f.r));
    return rate(sel.length, sel.filter((f) => f.hit).length);
  };
  const kinds = [...new Set(rows.map((r) => r.kind))].sort();
  const langs = [...new Set(rows.map((r) => r.lang))].sort();
  return {
    split,
    threshold,
    recall: count((r) => r.label === 1),
    falsePositiveRate: count((r) => r.label === 0),
    byKind: Object.fromEntries(kinds.map((k) => [k, count((r) => r.kind === k)])),
    byLanguage: Object.fromEntries(
      langs.map((l) => [
        l,
        {
          recall: count((r) => r.lang === l && r.label === 1),
          falsePositiveRate: count((r) => r.lang === l && r.label === 0),
        },
      ]),
    ),
  };
}

export type PiiRow = {
  text: string;
  spans: { type: string; start: number; end: number }[];
  source: string;
  /** presidio-research: the template the sentence was generated from. */
  template?: number;
  /** wikigold: the article the sentence comes from. */
  doc?: number;
};
export type PiiTypeFigures = {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
};
export type PiiFigures = { byType: Record<string, PiiTypeFigures>; textsWithNone: Rate };

/** The entity types this pipeline reports; gold spans of other types (ORGANIZATION, GPE, …) are not scored. */
export const SCORED_PII: readonly PiiType[] = [
  'EMAIL_ADDRESS',
  'PHONE_NUMBER',
  'CREDIT_CARD',
  'IBAN_CODE',
  'IP_ADDRESS',
  'URL',
  'DOMAIN_NAME',
  'US_SSN',
  'UK_NINO',
  'DE_TAX_ID',
  'STREET_ADDRESS',
  'DATE_TIME',
  'PERSON',
];
// Presidio's URL recognizer reports bare domains as URL while its research set calls them DOMAIN_NAME:
// the two match each other, and each is counted under the gold label.
const family = (t: string) => (t === 'DOMAIN_NAME' ? 'URL' : t);

/**
 * A gold span is found when a prediction of its family covers at least half of it. One prediction may
 * cover several gold spans of its type (an address block that a set labels as street, unit and postcode
 * pieces), as presidio-research's own token-level evaluation credits it; a prediction that covers no gold
 * span and lies at least half outside every gold span of its type is a false finding. `detect` is the
 * product's detection by default; `piiCandidates` gives the figures at any score. `only` scores those types
 * alone, for a set that labels nothing else (wikigold labels names, not dates).
 */
export function piiFigures(
  rows: readonly PiiRow[],
  detect: (text: string) => PiiFinding[] = (t) => detectPii(t),
  only?: readonly PiiType[],
): PiiFigures {
  const scored: readonly string[] = only ?? SCORED_PII;
  const c: Record<string, { tp: number; fp: number; fn: number }> = {};
  const of = (t: string) => (c[t] ??= { tp: 0, fp: 0, fn: 0 });
  let none = 0;
  let noneFlagged = 0;
  for (const r of rows) {
    const gold = r.spans.filter((g) => scored.includes(g.type));
    const pred = only ? detect(r.text).filter((p) => scored.includes(p.type)) : detect(r.text);
    if (!gold.length) {
      none++;
      if (pred.length) noneFlagged++;
    }
    const used = new Set<number>();
    for (const g of gold) {
      const i = pred.findIndex(
        (p) =>
          family(p.type) === family(g.type) &&
          Math.min(p.end, g.end) - Math.max(p.start, g.start) >= 0.5 * (g.end - g.start),
      );
      if (i >= 0) {
        used.add(i);
        of(g.type).tp++;
      } else of(g.type).fn++;
    }
    // A piece of a gold span (a street line of a labelled address block) is not a false finding either.
    pred.forEach((p, k) => {
      const inside = gold.some(
        (g) =>
          family(p.type) === family(g.type) &&
          Math.min(p.end, g.end) - Math.max(p.start, g.start) >= 0.5 * (p.end - p.start),
      );
      if (!used.has(k) && !inside) of(p.type).fp++;
    });
  }
  const byType = Object.fromEntries(
    Object.entries(c)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([t, v]) => [
        t,
        {
          truePositives: v.tp,
          falsePositives: v.fp,
          falseNegatives: v.fn,
          precision: v.tp + v.fp ? v.tp / (v.tp + v.fp) : 1,
          recall: v.tp + v.fn ? v.tp / (v.tp + v.fn) : 1,
        },
      ]),
  );
  return { byType, textsWithNone: rate(none, noneFlagged) };
}
