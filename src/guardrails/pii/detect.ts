// PII detection: every recognizer over the text, overlaps resolved (higher score, then longer span wins),
// and masking with Presidio's default "<ENTITY_TYPE>" replacement.
import { RECOGNIZERS, type PiiFinding, type PiiType } from './recognizers.js';
import { TEXT_RECOGNIZERS } from './recognizers-text.js';
import type { TextRecognizer } from './dates.js';
import { listedPersons } from './names-listed.js';

export type { PiiFinding, PiiType };

/** Findings below this score are candidates that checks and context did not confirm. */
export const DEFAULT_MIN_SCORE = 0.5;

const ALL: readonly TextRecognizer[] = [...RECOGNIZERS, ...TEXT_RECOGNIZERS];

/**
 * Every finding of every recognizer, at any score, overlaps included (the candidates before the threshold);
 * with `minScore`, recognizers whose findings all score below it are not run.
 */
export function piiCandidates(text: string, minScore = 0): PiiFinding[] {
  const found: PiiFinding[] = [];
  const hasDigit = /\d/.test(text);
  for (const r of ALL) {
    if ((r.digits && !hasDigit) || (r.maxScore ?? 1) < minScore) continue;
    if ((r.needs && !r.needs.some((w) => text.includes(w))) || (r.pre && !r.pre.test(text))) continue;
    r.pattern.lastIndex = 0;
    for (let m = r.pattern.exec(text); m; m = r.pattern.exec(text)) {
      const f = r.decide(m, text);
      if (f && f.end > f.start) found.push(f);
      if (m[0].length === 0) r.pattern.lastIndex++;
    }
  }
  for (const f of listedPersons(text)) found.push(f);
  return found;
}

export function detectPii(text: string, minScore = DEFAULT_MIN_SCORE): PiiFinding[] {
  const found = piiCandidates(text, minScore).filter((f) => f.score >= minScore);
  found.sort((a, b) => b.score - a.score || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: PiiFinding[] = [];
  for (const f of found) {
    const overlapping = kept.filter((k) => f.start < k.end && k.start < f.end);
    if (!overlapping.length) kept.push(f);
    // Two readings of one address block ("Λεωφόρος Συγγρού 119" and "119 Nino Point\n Apt. 658") are one span.
    else if (f.type === 'STREET_ADDRESS' && overlapping.every((k) => k.type === f.type)) {
      const into = overlapping[0]!;
      kept.splice(kept.indexOf(into), 1, {
        ...into,
        start: Math.min(into.start, f.start),
        end: Math.max(into.end, f.end),
      });
    }
  }
  return joinPieces(
    text,
    kept.sort((a, b) => a.start - b.start),
  );
}

/**
 * What may stand between two findings of a type that are one thing: the lines of an address block ("Hauptstr.
 * 5" + "Apt 3" + "10115 Berlin"), a weekday and its date ("Monday" + "5 March 2024").
 */
const JOINS: Partial<Record<PiiType, RegExp>> = {
  STREET_ADDRESS: /^[ \t,]*(?:\n[ \t>?]*){0,2}$/,
  DATE_TIME: /^,?[ \t]+(?:the[ \t]+|den[ \t]+)?$/,
};

function joinPieces(text: string, findings: PiiFinding[]): PiiFinding[] {
  const out: PiiFinding[] = [];
  for (const f of findings) {
    const last = out[out.length - 1];
    const join = JOINS[f.type];
    if (last && last.type === f.type && join?.test(text.slice(last.end, f.start)))
      out[out.length - 1] = { ...last, end: f.end, score: Math.max(last.score, f.score) };
    else out.push(f);
  }
  return out;
}

/** Replaces each finding with "<TYPE>", right to left so earlier offsets stay valid. */
export function maskPii(text: string, findings: readonly PiiFinding[]): string {
  let out = text;
  for (const f of [...findings].sort((a, b) => b.start - a.start))
    out = out.slice(0, f.start) + `<${f.type}>` + out.slice(f.end);
  return out;
}
