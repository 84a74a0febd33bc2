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
import { scoreInjection } from './injection/model.js';

const readJsonl = <T>(file: string): T[] =>
  fs
    .readFileSync(fromRoot('fixtures', 'guardrails', file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);

export const readInjectionSet = () => readJsonl<InjectionRow>('injection.jsonl');
export const readPiiSets = () => ({
  'presidio-tests': readJsonl<PiiRow>('pii-presidio-tests.jsonl'),
  'presidio-research': readJsonl<PiiRow>('pii-presidio-research.jsonl'),
});

export type LabelledFigures = { injection: InjectionFigures; pii: Record<string, PiiFigures> };

/** Injection figures on the held-out split only (never used in training); PII on every set. */
export function labelledFigures(): LabelledFigures {
  const model = defaultModel();
  const heldout = readInjectionSet().filter((r) => r.split === 'heldout');
  return {
    injection: injectionFigures(heldout, (t) => scoreInjection(model, t).score, model.threshold, 'heldout'),
    pii: Object.fromEntries(Object.entries(readPiiSets()).map(([name, rows]) => [name, piiFigures(rows)])),
  };
}
