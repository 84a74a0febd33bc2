// The action catalogue's wire formats: actions (an offer on a channel, optionally a creative, with
// value, cost, lever, dates, eligibility, caps, daily budget and capacity), channels (caps per person
// across the channel, daily budget and capacity) and placements (policy, exploration, shadow mode,
// default action, reward window and default reward).
import { z } from '@hono/zod-openapi';
import { idSchema } from '../platform/ids.js';
import { ConditionSchema, type Condition } from './conditions.js';
import { DEFAULT_EXPLORATION, DEFAULT_FLOOR, POLICIES, type PolicyName } from './policies/policy.js';

const name = idSchema(100);

export const CapSchema = z
  .object({
    max: z.number().int().min(0).max(10_000).describe('At most this many sends…'),
    days: z.number().positive().max(3650).describe('…in any window of this many days (rolling)'),
  })
  .strict()
  .openapi('NbaCap');
export type Cap = z.infer<typeof CapSchema>;

export const ActionInputSchema = z
  .object({
    name: z.string().min(1).max(200),
    channel: name,
    creative: z.string().min(1).max(200).nullable().default(null),
    marketing: z.boolean().default(true).describe('Needs the person’s marketing consent'),
    value: z.number().min(0).max(1e9).describe('Value of a response (currency units)'),
    cost: z.number().min(0).max(1e9).describe('Cost of one send (currency units)'),
    lever: z.number().min(0).max(100).default(1).describe('Business weight on the value term; 1 = neutral'),
    startsAt: z.iso.datetime({ offset: true }).nullable().default(null),
    endsAt: z.iso.datetime({ offset: true }).nullable().default(null),
    eligibility: ConditionSchema.nullable()
      .default(null)
      .openapi({ type: 'object', description: 'A JSON condition (see the README)' }),
    caps: z.array(CapSchema).max(10).default([]).describe('Per person, for this action'),
    dailyBudget: z.number().min(0).max(1e12).nullable().default(null).describe('Spend per UTC day'),
    dailyCapacity: z.number().int().min(0).max(1e9).nullable().default(null).describe('Sends per UTC day'),
    active: z.boolean().default(true),
  })
  .strict()
  .openapi('NbaActionInput', {
    example: {
      name: '10% off any coffee',
      channel: 'email',
      value: 38,
      cost: 1.8,
      eligibility: { all: [{ field: 'profile.days_since_last_order', op: 'gte', value: 3 }] },
      caps: [{ max: 1, days: 7 }],
      dailyBudget: 55,
    },
  });
export type ActionInput = z.infer<typeof ActionInputSchema>;

export const ActionSchema = ActionInputSchema.extend({ id: z.string(), updatedAt: z.string() }).openapi(
  'NbaAction',
);
export type Action = Omit<ActionInput, 'eligibility'> & {
  id: string;
  updatedAt: string;
  eligibility: Condition | null;
};

export const ChannelInputSchema = z
  .object({
    caps: z.array(CapSchema).max(10).default([]).describe('Per person, across the channel’s actions'),
    dailyBudget: z.number().min(0).max(1e12).nullable().default(null),
    dailyCapacity: z.number().int().min(0).max(1e9).nullable().default(null),
  })
  .strict()
  .openapi('NbaChannelInput');
export type ChannelInput = z.infer<typeof ChannelInputSchema>;
export const ChannelSchema = ChannelInputSchema.extend({
  channel: z.string(),
  updatedAt: z.string(),
}).openapi('NbaChannel');
export type Channel = ChannelInput & { channel: string; updatedAt: string };

/** A placement nobody configured decides with these settings. */
export const DEFAULT_REWARD_WINDOW_HOURS = 7 * 24;
export const PlacementInputSchema = z
  .object({
    policy: z.enum(POLICIES).default('thompson'),
    exploration: z
      .number()
      .min(0)
      .max(100)
      .optional()
      .describe('Thompson: posterior scale (1); LinUCB: α (1); epsilon-greedy: ε (0.1)'),
    floor: z
      .number()
      .min(0)
      .max(1)
      .default(DEFAULT_FLOOR)
      .describe('Probability share spread evenly over candidates'),
    shadow: z.boolean().default(false).describe('Serve the default action; log what the policy would choose'),
    defaultActionId: name.nullable().default(null),
    rewardWindowHours: z
      .number()
      .positive()
      .max(24 * 366)
      .default(DEFAULT_REWARD_WINDOW_HOURS),
    defaultReward: z.number().min(0).max(1).default(0),
  })
  .strict()
  .openapi('NbaPlacementInput');
export type PlacementInput = z.infer<typeof PlacementInputSchema>;
export type Placement = Omit<PlacementInput, 'exploration'> & {
  placement: string;
  exploration: number;
  updatedAt: string | null;
};
export const PlacementSchema = PlacementInputSchema.extend({
  placement: z.string(),
  exploration: z.number(),
  updatedAt: z.string().nullable(),
}).openapi('NbaPlacement');

export function defaultPlacement(placement: string): Placement {
  return {
    placement,
    policy: 'thompson',
    exploration: DEFAULT_EXPLORATION.thompson,
    floor: DEFAULT_FLOOR,
    shadow: false,
    defaultActionId: null,
    rewardWindowHours: DEFAULT_REWARD_WINDOW_HOURS,
    defaultReward: 0,
    updatedAt: null,
  };
}

export const explorationOf = (policy: PolicyName, exploration: number | undefined) =>
  exploration ?? DEFAULT_EXPLORATION[policy];
