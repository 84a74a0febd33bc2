// Reads the labelled sets in fixtures/guardrails/ and computes their figures with the shipped pipeline
// (used by the benchmark and the guardrail report; sources and licences in fixtures/guardrails/README.md).
import fs from 'node:fs';
import { fromRoot } from '../platform/paths.js';
import {
  injectionFigures,
  piiFigures,
  type InjectionFigures,
  type InjectionRow,
  type PiiFigures,
  type PiiRow,
} from './evaluate.js';
import { defaultModel } from './injection/default-model.js';
import { piiCandidates, type PiiType } from './pii/detect.js';
import { scoreInjection } from './injection/model.js';

const readJsonl = <T>(file: string): T[] =>
  fs
    .readFileSync(fromRoot('fixtures', 'guardrails', file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);

export const readInjectionSet = () => readJsonl<InjectionRow>('injection.jsonl');
/**
 * The PERSON, STREET_ADDRESS and DATE_TIME rules were written reading the misses of presidio-research's
 * even-numbered templates only; its odd-numbered templates are the figures for sentences not read.
 */
export const NOT_READ_TEMPLATES = 'presidio-research, odd templates (not read)';
/**
 * wikigold labels person names in Wikipedia sentences (and organisations, places and other names, not scored); the
 * PERSON rules of the name lists were written reading the misses of its even-numbered articles only.
 */
export const WIKIGOLD = 'wikigold (PERSON only)';
export const NOT_READ_ARTICLES = 'wikigold, odd articles (not read)';
/** Sets that label some PII types only: predictions of other types are not scored there. */
export const PII_SET_TYPES: Readonly<Record<string, readonly PiiType[]>> = {
  [WIKIGOLD]: ['PERSON'],
  [NOT_READ_ARTICLES]: ['PERSON'],
};

export const readPiiSets = () => {
  const research = readJsonl<PiiRow>('pii-presidio-research.jsonl');
  const wikigold = readJsonl<PiiRow>('pii-wikigold.jsonl');
  return {
    'presidio-tests': readJsonl<PiiRow>('pii-presidio-tests.jsonl'),
    'presidio-research': research,
    [NOT_READ_TEMPLATES]: research.filter((r) => r.template !== undefined && r.template % 2 === 1),
    [WIKIGOLD]: wikigold,
    [NOT_READ_ARTICLES]: wikigold.filter((r) => r.doc !== undefined && r.doc % 2 === 1),
  };
};

export type LabelledFigures = {
  injection: InjectionFigures;
  /** At the reporting threshold (what a scan reports). */
  pii: Record<string, PiiFigures>;
  /** Every candidate at any score (recall here is what a lower threshold could reach). */
  piiAnyScore: Record<string, PiiFigures>;
};

/** Injection figures on the held-out split only (never used in training); PII on every set. */
export function labelledFigures(): LabelledFigures {
  const model = defaultModel();
  const heldout = readInjectionSet().filter((r) => r.split === 'heldout');
  const sets = readPiiSets();
  return {
    injection: injectionFigures(heldout, (t) => scoreInjection(model, t).score, model.threshold, 'heldout'),
    pii: Object.fromEntries(
      Object.entries(sets).map(([name, rows]) => [name, piiFigures(rows, undefined, PII_SET_TYPES[name])]),
    ),
    piiAnyScore: Object.fromEntries(
      Object.entries(sets).map(([name, rows]) => [
        name,
        piiFigures(rows, piiCandidates, PII_SET_TYPES[name]),
      ]),
    ),
  };
}
