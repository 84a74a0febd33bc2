// The one id rule. Every id that enters Attune (a person's userId, anonymousId, previousId, groupId,
// an event's messageId, key ids, experiment keys, schedule names, job ids), whether from a body, a
// path, a query string, a CLI file or a job payload, is checked here, before it reaches a query:
// PostgreSQL refuses NUL and unpaired surrogates with an error, and control characters or
// kilobyte-long values are payloads sent in the wrong field, never identifiers.
import { z } from '@hono/zod-openapi';
import { textProblem } from './text.js';

/** Ids longer than this are refused: real identifiers are short; long values are payloads sent in the wrong field. */
export const MAX_ID_LENGTH = 200;

export type IdProblemCode =
  'not-a-string' | 'empty' | 'too-long' | 'nul-character' | 'lone-surrogate' | 'control-character';
export type IdProblem = { code: IdProblemCode; message: string };

/** C0 controls, DEL and C1 controls: invisible, break logs and terminals, never part of an id. */
const CONTROL = /[\u0001-\u001f\u007f-\u009f]/;

/** Why `value` cannot be an id, or null when it can. `maxLength` may be lower than the default, never higher. */
export function idProblem(value: unknown, maxLength: number = MAX_ID_LENGTH): IdProblem | null {
  if (typeof value !== 'string') return { code: 'not-a-string', message: 'must be a string' };
  if (value.length === 0) return { code: 'empty', message: 'must not be empty' };
  const text = textProblem(value);
  if (text === 'nul-character')
    return { code: text, message: 'contains a NUL character (\\u0000), which an id cannot hold; remove it' };
  if (text === 'lone-surrogate')
    return { code: text, message: 'contains an unpaired UTF-16 surrogate (invalid Unicode)' };
  if (CONTROL.test(value))
    return { code: 'control-character', message: 'contains a control character, which an id cannot hold' };
  if (value.length > maxLength)
    return { code: 'too-long', message: `is ${value.length} characters long; the limit is ${maxLength}` };
  return null;
}

/**
 * The id rule as a zod schema, for request bodies, path and query parameters: a failure is a
 * 400 problem+json whose errors[] names the field. `maxLength` narrows the default limit; `trim`
 * is for names people type (schedule names), where surrounding spaces are dropped first.
 */
export function idSchema(maxLength: number = MAX_ID_LENGTH, options: { trim?: boolean } = {}) {
  const text = options.trim ? z.string().trim() : z.string();
  return text
    .min(1)
    .max(maxLength)
    .superRefine((value, ctx) => {
      const problem = idProblem(value, maxLength);
      // Length and emptiness are reported by min/max above; the rest only here.
      if (problem && problem.code !== 'too-long' && problem.code !== 'empty')
        ctx.addIssue({ code: 'custom', message: problem.message, params: { idProblem: problem.code } });
    })
    .openapi({
      description: `An id: 1 to ${maxLength} characters, without NUL, control characters or unpaired surrogates`,
    });
}
