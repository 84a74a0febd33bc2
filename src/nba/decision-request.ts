// The request of POST /v1/decisions.
import { z } from '@hono/zod-openapi';
import { idSchema } from '../platform/ids.js';

/** A context holds at most this many fields: it is logged with every decision. */
export const MAX_CONTEXT_FIELDS = 20;
export const DEFAULT_PLACEMENT = 'default';

export const DecisionRequestSchema = z
  .object({
    customerId: idSchema().describe('The user id the CRM knows the customer by'),
    requestId: idSchema(200)
      .optional()
      .describe('Client request id: the same id (from the same key) returns the same decision'),
    context: z
      .record(
        z
          .string()
          .regex(
            /^[A-Za-z_][A-Za-z0-9_]{0,63}$/,
            'a context field name is a letter or _ then letters, digits, _',
          ),
        z.union([z.string().max(200), z.number(), z.boolean()]),
      )
      .refine(
        (c) => Object.keys(c).length <= MAX_CONTEXT_FIELDS,
        `at most ${MAX_CONTEXT_FIELDS} context fields`,
      )
      .default({})
      .describe('channel, placement (default "default"), device, time, and any field eligibility rules read'),
    candidates: z
      .array(idSchema(100))
      .min(1)
      .max(200)
      .optional()
      .describe('Only these actions; default: the whole catalogue'),
    defaultActionId: idSchema(100)
      .optional()
      .describe('The CRM’s own default (shadow mode serves it); else the placement’s'),
  })
  .strict()
  .openapi('NbaDecisionRequest', {
    example: {
      customerId: 'u-123',
      requestId: 'crm-req-1',
      context: { placement: 'default', device: 'mobile' },
    },
  });

export const RewardRequestSchema = z
  .object({
    decisionId: z.uuid(),
    reward: z.number().min(0).max(1).describe('1 = the customer responded, 0 = not (fractions allowed)'),
    at: z.iso.datetime({ offset: true }).optional().describe('When the outcome happened; default now'),
  })
  .strict()
  .openapi('NbaRewardRequest');
