// Output checks from the brand style guide: shape and length, banned words, competitor names, banned
// claims, required disclaimers, voice rules and terminology.
import { disclaimerTrigger, type StyleGuide } from './style-guide.js';
import type { Check, Finding } from './types.js';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function matches(
  check: string,
  rule: string,
  text: string,
  re: RegExp,
  message: (m: string) => string,
  replacement?: (m: string) => string,
): Finding[] {
  const out: Finding[] = [];
  for (const m of text.matchAll(re))
    out.push({
      check,
      rule,
      start: m.index,
      end: m.index + m[0].length,
      score: 1,
      message: message(m[0]),
      ...(replacement ? { replacement: replacement(m[0]) } : {}),
    });
  return out;
}

export const shapeCheck: Check = {
  name: 'shape',
  onFail: 're-ask',
  run: (text, ctx) => {
    const whole = (rule: string, message: string): Finding => ({
      check: 'shape',
      rule,
      start: 0,
      end: text.length,
      score: 1,
      message,
    });
    const out: Finding[] = [];
    if (ctx.maxChars !== undefined && text.length > ctx.maxChars)
      out.push(whole('shape.too-long', `shorten to at most ${ctx.maxChars} characters (now ${text.length})`));
    if (ctx.minChars !== undefined && text.length < ctx.minChars)
      out.push(whole('shape.too-short', `write at least ${ctx.minChars} characters (now ${text.length})`));
    if (ctx.validateSchema) {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return [...out, whole('shape.not-json', 'answer with JSON only')];
      }
      for (const p of ctx.validateSchema(value)) out.push(whole('shape.schema', `fix the JSON: ${p}`));
    }
    return out;
  },
};

export function createBrandChecks(guide: StyleGuide): Check[] {
  const banned = new RegExp(`\\b(${guide.bannedWords.map(escape).join('|')})\\b`, 'gi');
  const competitors = new RegExp(`\\b(${guide.competitors.map(escape).join('|')})\\b`, 'gi');
  const spelling = Object.entries(guide.terminology.spelling);
  const preferred = Object.entries(guide.terminology.preferred);
  return [
    {
      name: 'banned-words',
      onFail: 're-ask',
      run: (t) =>
        guide.bannedWords.length
          ? matches('banned-words', 'brand.banned-word', t, banned, (w) => `do not use "${w}"`)
          : [],
    },
    {
      name: 'competitors',
      onFail: 're-ask',
      run: (t) =>
        guide.competitors.length
          ? matches(
              'competitors',
              'brand.competitor',
              t,
              competitors,
              (w) => `do not name the competitor "${w}"`,
            )
          : [],
    },
    {
      name: 'banned-claims',
      onFail: 're-ask',
      run: (t) =>
        guide.bannedClaims.flatMap((c) =>
          matches(
            'banned-claims',
            'brand.banned-claim',
            t,
            new RegExp(c.pattern, 'gi'),
            (m) => `remove "${m}": ${c.reason}`,
          ),
        ),
    },
    {
      name: 'style',
      onFail: 'flag',
      run: (t) => [
        ...matches(
          'style',
          'style.all-caps',
          t,
          /\b[A-Z]{4,}(?:\s+[A-Z]{4,})*\b/g,
          (m) => `no all caps for emphasis ("${m}")`,
        ),
        ...matches('style', 'style.stacked-exclamation', t, /!{2,}/g, () => 'one exclamation mark at most'),
        ...[...t.matchAll(/[^.!?\n]+[.!?]?/g)]
          .filter((m) => m[0].trim().split(/\s+/).length > 25)
          .map((m): Finding => ({
            check: 'style',
            rule: 'style.long-sentence',
            start: m.index,
            end: m.index + m[0].length,
            score: 1,
            message: 'keep sentences under 25 words',
          })),
        ...preferred.flatMap(([from, to]) =>
          matches(
            'style',
            'style.terminology',
            t,
            new RegExp(`\\b${escape(from)}\\b`, 'gi'),
            (m) => `say "${to}" rather than "${m}"`,
          ),
        ),
      ],
    },
    {
      name: 'spelling',
      onFail: 'fix',
      run: (t) =>
        spelling.flatMap(([from, to]) =>
          matches(
            'spelling',
            'style.spelling',
            t,
            new RegExp(`\\b${escape(from)}\\b`, 'gi'),
            () => `write "${to}"`,
            () => to,
          ),
        ),
    },
    {
      name: 'disclaimers',
      onFail: 'fix',
      run: (t) =>
        guide.requiredDisclaimers
          .filter((d) => disclaimerTrigger(d.when).test(t) && !t.includes(d.text))
          .map((d): Finding => ({
            check: 'disclaimers',
            rule: 'brand.disclaimer-missing',
            start: t.length,
            end: t.length,
            score: 1,
            message: `add the disclaimer: ${d.text}`,
          })),
      append: (found) => found.map((f) => `\n\n${f.message.replace(/^add the disclaimer: /, '')}`).join(''),
    },
  ];
}
