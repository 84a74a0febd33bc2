// The claim check: every number, price, superlative or health/performance claim in the output must be
// entailed by a cited chunk. Entailment here is lexical and strict: the chunk holds every number of the
// claim and the claim's key word, and most of the sentence's content words. Anything else is unsupported.
import type { Check, Finding } from './types.js';

const SUPERLATIVE =
  /\b(best|finest|fastest|strongest|freshest|smoothest|richest|healthiest|cheapest|lowest|highest|most|number one|#1|no\. 1|unbeatable|unrivalled|unmatched|leading|beste[nrs]?|schnellste[nrs]?|günstigste[nrs]?|\w{3,}est)\b/gi;
const HEALTH =
  /\b(health\w*|immun\w*|energy|energi\w*|focus|metabolism|sleep|antioxidant\w*|detox\w*|boost\w*|improv\w*|reduc\w*|prevent\w*|heal\w*|cure\w*|gesund\w*|stärk\w*|performance|stamina|digest\w*|burn\w*|weight)\b/gi;
/** -est words that are not superlatives. */
const NOT_SUPERLATIVE = new Set([
  'best',
  'interest',
  'honest',
  'forest',
  'request',
  'guest',
  'rest',
  'test',
  'west',
  'nest',
  'chest',
  'harvest',
  'suggest',
  'latest',
  'modest',
  'digest',
  'invest',
  'manifest',
  'protest',
  'contest',
  'quest',
  'crest',
  'pest',
  'zest',
  'vest',
  'earnest',
  'arrest',
]);
const STOP = new Set(
  'the a an and or of to in on for with your you our we is are be it this that at by from as its their has have can will more than per each'.split(
    ' ',
  ),
);

export type Claim = { start: number; end: number; kind: 'number' | 'superlative' | 'health'; keys: string[] };

const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/[$€£\s]/g, '')
    .replace(/,(?=\d{3}\b)/g, '')
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '');
const numbersIn = (s: string) => [...s.matchAll(/\d+(?:[.,]\d+)*/g)].map((m) => norm(m[0]));

export function extractClaims(text: string): Claim[] {
  const out: Claim[] = [];
  // A sentence ends at . ! ? not followed by a digit, so "$15.00" and "2.5 g" stay inside their sentence.
  for (const m of text.matchAll(/(?:[^.!?\n]|[.!?](?=\d))+(?:[.!?](?!\d)|$)/g)) {
    const sentence = m[0];
    const keys: string[] = [];
    let kind: Claim['kind'] | null = null;
    const numbers = numbersIn(sentence.replace(/\[[^\]]*\]/g, ''));
    if (numbers.length) {
      kind = 'number';
      keys.push(...numbers);
    }
    const sup = [...sentence.matchAll(SUPERLATIVE)]
      .map((x) => x[0].toLowerCase())
      .filter((w) => w === 'best' || !NOT_SUPERLATIVE.has(w));
    if (sup.length) {
      kind ??= 'superlative';
      keys.push(...sup);
    }
    const health = [...sentence.matchAll(HEALTH)].map((x) => x[0].toLowerCase());
    if (health.length) {
      kind ??= 'health';
      keys.push(...health);
    }
    if (kind) out.push({ start: m.index, end: m.index + sentence.trimEnd().length, kind, keys });
  }
  return out;
}

const words = (s: string) =>
  (s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length > 2 && !STOP.has(w));

/** True when the chunk holds every key and at least half of the claim's content words. */
export function entails(chunk: string, claimText: string, claim: Claim): boolean {
  const chunkNumbers = new Set(numbersIn(chunk));
  const chunkWords = new Set(words(chunk));
  const keysOk = claim.keys.every((k) =>
    /^\d/.test(k) ? chunkNumbers.has(k) : chunkWords.has(k) || chunk.toLowerCase().includes(k),
  );
  const content = words(claimText.replace(/\[[^\]]*\]/g, ''));
  const overlap = content.filter((w) => chunkWords.has(w)).length;
  return keysOk && (content.length === 0 || overlap / content.length >= 0.5);
}

export const claimCheck: Check = {
  name: 'claims',
  onFail: 're-ask',
  run: (text, ctx) => {
    const chunks = ctx.citedChunks ?? [];
    const out: Finding[] = [];
    for (const claim of extractClaims(text)) {
      const sentence = text.slice(claim.start, claim.end);
      // A sentence citing [id] is checked against those chunks only; otherwise against every cited chunk.
      const cited = [...sentence.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]!.trim());
      const pool = cited.length ? chunks.filter((c) => cited.includes(c.id)) : chunks;
      if (pool.some((c) => entails(c.text, sentence, claim))) continue;
      out.push({
        check: 'claims',
        rule: `claim.unsupported-${claim.kind}`,
        start: claim.start,
        end: claim.end,
        score: 1,
        message: `support or remove the ${claim.kind} claim "${sentence.trim().slice(0, 120)}" (no cited chunk states it)`,
      });
    }
    return out;
  },
};
