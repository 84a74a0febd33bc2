// Checks for user input and retrieved chunks: PII masking, prompt injection, access filters.
import { detectPii, type PiiType } from './pii/detect.js';
import { scoreInjection, type InjectionScore, type LoadedModel } from './injection/model.js';
import type { Check } from './types.js';

/** `ignore` leaves types alone where they are expected (the brand's own links in its copy). */
export function createPiiCheck(onFail: Check['onFail'] = 'fix', ignore: readonly PiiType[] = []): Check {
  return {
    name: 'pii',
    onFail,
    run: (text) =>
      detectPii(text)
        .filter((f) => !ignore.includes(f.type))
        .map((f) => ({
          check: 'pii',
          rule: `pii.${f.type}`,
          start: f.start,
          end: f.end,
          score: f.score,
          message: `remove the ${f.type} at ${f.start}-${f.end}`,
          replacement: `<${f.type}>`,
        })),
  };
}

export type InjectionCheck = Check & { scoreOf: (text: string) => InjectionScore };

export function createInjectionCheck(model: LoadedModel, onFail: Check['onFail'] = 'block'): InjectionCheck {
  // One-entry memo: a scan asks for the score of the text the check has just seen.
  let last: { text: string; score: InjectionScore } | undefined;
  const scoreOf = (text: string) => {
    if (last?.text !== text) last = { text, score: scoreInjection(model, text) };
    return last.score;
  };
  return {
    name: 'injection',
    onFail,
    scoreOf,
    run: (text) => {
      const s = scoreOf(text);
      if (s.score < model.threshold) return [];
      return [
        {
          check: 'injection',
          rule: s.hidden ? 'injection.hidden' : 'injection.classifier',
          start: s.start,
          end: s.end,
          score: s.score,
          message: 'text reads as an instruction to the model (prompt injection or jailbreak)',
        },
      ];
    },
  };
}

/** A chunk whose access label the reader does not hold never reaches the model. */
export const accessCheck: Check = {
  name: 'access',
  onFail: 'block',
  run: (text, ctx) =>
    ctx.chunkAccess !== undefined && ctx.allowedAccess && !ctx.allowedAccess.includes(ctx.chunkAccess)
      ? [
          {
            check: 'access',
            rule: 'access.denied',
            start: 0,
            end: text.length,
            score: 1,
            message: `chunk is labelled "${ctx.chunkAccess}", which this reader may not see`,
          },
        ]
      : [],
};
