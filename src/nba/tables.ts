// Next-best-action storage: the catalogue (actions, channels, placements), the decision log with
// its rewards, and the daily usage counters that budgets and capacity are enforced against.
import { sql } from 'drizzle-orm';
import {
  pgTable,
  text,
  timestamp,
  jsonb,
  integer,
  doublePrecision,
  boolean,
  uuid,
  date,
  primaryKey,
  index,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/** One thing the CRM can do: an offer on a channel, optionally with a creative. */
export const nbaActions = pgTable('nba_actions', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  channel: text('channel').notNull(),
  creative: text('creative'),
  /** Marketing actions need the person's `marketing` consent. */
  marketing: boolean('marketing').notNull().default(true),
  value: doublePrecision('value').notNull(),
  cost: doublePrecision('cost').notNull(),
  lever: doublePrecision('lever').notNull().default(1),
  startsAt: timestamp('starts_at', { withTimezone: true }),
  endsAt: timestamp('ends_at', { withTimezone: true }),
  eligibility: jsonb('eligibility'),
  /** Per person per action: at most `max` sends in any `days`-day window. */
  caps: jsonb('caps').notNull().default([]),
  dailyBudget: doublePrecision('daily_budget'),
  dailyCapacity: integer('daily_capacity'),
  active: boolean('active').notNull().default(true),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A channel's own limits: caps per person across its actions, daily budget and capacity. */
export const nbaChannels = pgTable('nba_channels', {
  channel: text('channel').primaryKey(),
  caps: jsonb('caps').notNull().default([]),
  dailyBudget: doublePrecision('daily_budget'),
  dailyCapacity: integer('daily_capacity'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Where decisions are asked for, with its policy, exploration, shadow mode and reward settings. */
export const nbaPlacements = pgTable('nba_placements', {
  placement: text('placement').primaryKey(),
  policy: text('policy').notNull(),
  exploration: doublePrecision('exploration').notNull(),
  floor: doublePrecision('floor').notNull(),
  shadow: boolean('shadow').notNull().default(false),
  /** The CRM's own default (shadow mode serves it) and the non-personal default's first choice. */
  defaultActionId: text('default_action_id'),
  rewardWindowHours: doublePrecision('reward_window_hours').notNull(),
  defaultReward: doublePrecision('default_reward').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Every decision: the candidates with their probabilities (in the scored modes, the alternatives as
 * answered), the choice, the context and features, the reasons, later the reward (sql/0019).
 */
export const nbaDecisions = pgTable(
  'nba_decisions',
  {
    id: uuid('id').primaryKey(),
    /** `<key id>:<client request id>`: a repeated request gets the logged decision's answer again. */
    requestKey: text('request_key'),
    personId: text('person_id').notNull(),
    userId: text('user_id').notNull(),
    placement: text('placement').notNull(),
    /** learned | non-personal | shadow | none */
    mode: text('mode').notNull(),
    policy: text('policy').notNull(),
    modelVersion: integer('model_version'),
    chosenActionId: text('chosen_action_id'),
    /** What the CRM was told to do (the chosen one, or in shadow mode its own default). */
    servedActionId: text('served_action_id'),
    servedChannel: text('served_channel'),
    probability: doublePrecision('probability'),
    cost: doublePrecision('cost').notNull().default(0),
    candidates: jsonb('candidates').notNull(),
    context: jsonb('context').notNull(),
    features: jsonb('features'),
    /** Every excluded candidate with its reason; with the columns around it, the answer as sent. */
    reasons: jsonb('reasons').notNull().default([]),
    /** The served action's name and creative, the placement's exploration and floor, as answered. */
    actionName: text('action_name'),
    actionCreative: text('action_creative'),
    policyExploration: doublePrecision('policy_exploration'),
    policyFloor: doublePrecision('policy_floor'),
    decidedAt: timestamp('decided_at', { withTimezone: true }).notNull(),
    reward: doublePrecision('reward'),
    rewardAt: timestamp('reward_at', { withTimezone: true }),
    lateReward: doublePrecision('late_reward'),
    lateRewardAt: timestamp('late_reward_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('nba_decisions_request_key_idx')
      .on(t.requestKey)
      .where(sql`${t.requestKey} is not null`),
    index('nba_decisions_person_idx').on(t.personId, t.decidedAt),
    index('nba_decisions_decided_idx').on(t.decidedAt),
  ],
);

/** Sends and spend per action or channel per UTC day, the counters budgets are enforced on. */
export const nbaUsageDaily = pgTable(
  'nba_usage_daily',
  {
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    day: date('day').notNull(),
    sends: integer('sends').notNull().default(0),
    spend: doublePrecision('spend').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key, t.day] })],
);
