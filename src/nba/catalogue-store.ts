// Reading and writing the catalogue. Decisions read it through `catalogueSnapshot`, which keeps it
// for CATALOGUE_TTL_MS per process (a write through this process clears it at once; other replicas
// see a change within that bound), so a decision costs no catalogue query.
import type { Database } from '../platform/db/client.js';
import { NotFoundError } from '../platform/errors.js';
import type { Condition } from './conditions.js';
import {
  defaultPlacement,
  explorationOf,
  type Action,
  type ActionInput,
  type Cap,
  type Channel,
  type ChannelInput,
  type Placement,
  type PlacementInput,
} from './catalogue.js';
import type { PolicyName } from './policies/policy.js';

/** How long a process reuses the catalogue it read: the bound on a change reaching other replicas. */
export const CATALOGUE_TTL_MS = 1000;

type ActionRow = {
  id: string;
  name: string;
  channel: string;
  creative: string | null;
  marketing: boolean;
  value: number;
  cost: number;
  lever: number;
  starts_at: string | null;
  ends_at: string | null;
  eligibility: Condition | null;
  caps: Cap[];
  daily_budget: number | null;
  daily_capacity: number | null;
  active: boolean;
  updated_at: string;
};
const iso = (v: string | null) => (v ? new Date(v).toISOString() : null);
const toAction = (r: ActionRow): Action => ({
  id: r.id,
  name: r.name,
  channel: r.channel,
  creative: r.creative,
  marketing: r.marketing,
  value: r.value,
  cost: r.cost,
  lever: r.lever,
  startsAt: iso(r.starts_at),
  endsAt: iso(r.ends_at),
  eligibility: r.eligibility,
  caps: r.caps,
  dailyBudget: r.daily_budget,
  dailyCapacity: r.daily_capacity,
  active: r.active,
  updatedAt: iso(r.updated_at)!,
});

type ChannelRow = {
  channel: string;
  caps: Cap[];
  daily_budget: number | null;
  daily_capacity: number | null;
  updated_at: string;
};
const toChannel = (r: ChannelRow): Channel => ({
  channel: r.channel,
  caps: r.caps,
  dailyBudget: r.daily_budget,
  dailyCapacity: r.daily_capacity,
  updatedAt: iso(r.updated_at)!,
});

type PlacementRow = {
  placement: string;
  policy: PolicyName;
  exploration: number;
  floor: number;
  shadow: boolean;
  default_action_id: string | null;
  reward_window_hours: number;
  default_reward: number;
  updated_at: string;
};
const toPlacement = (r: PlacementRow): Placement => ({
  placement: r.placement,
  policy: r.policy,
  exploration: r.exploration,
  floor: r.floor,
  shadow: r.shadow,
  defaultActionId: r.default_action_id,
  rewardWindowHours: r.reward_window_hours,
  defaultReward: r.default_reward,
  updatedAt: iso(r.updated_at),
});

export type Catalogue = {
  actions: Map<string, Action>;
  channels: Map<string, Channel>;
  placements: Map<string, Placement>;
};

const cache = new WeakMap<Database, { at: number; value: Promise<Catalogue> }>();
export function forgetCatalogue(database: Database): void {
  cache.delete(database);
}

async function loadCatalogue(database: Database): Promise<Catalogue> {
  const { sql } = database;
  const [actions, channels, placements] = await Promise.all([
    sql<ActionRow[]>`select * from nba_actions order by id`,
    sql<ChannelRow[]>`select * from nba_channels order by channel`,
    sql<PlacementRow[]>`select * from nba_placements order by placement`,
  ]);
  return {
    actions: new Map(actions.map((r) => [r.id, toAction(r)])),
    channels: new Map(channels.map((r) => [r.channel, toChannel(r)])),
    placements: new Map(placements.map((r) => [r.placement, toPlacement(r)])),
  };
}

export function catalogueSnapshot(database: Database, now = Date.now()): Promise<Catalogue> {
  const hit = cache.get(database);
  if (hit && now - hit.at < CATALOGUE_TTL_MS) return hit.value;
  const value = loadCatalogue(database);
  cache.set(database, { at: now, value });
  value.catch(() => cache.delete(database));
  return value;
}

export async function listActions(database: Database): Promise<Action[]> {
  return (await database.sql<ActionRow[]>`select * from nba_actions order by id`).map(toAction);
}

export async function getAction(database: Database, id: string): Promise<Action> {
  const [row] = await database.sql<ActionRow[]>`select * from nba_actions where id = ${id}`;
  if (!row) throw new NotFoundError(`Action "${id}"`);
  return toAction(row);
}

/** Create or replace an action by id. */
export async function putAction(database: Database, id: string, a: ActionInput): Promise<Action> {
  const { sql } = database;
  const [row] = await sql<ActionRow[]>`
    insert into nba_actions (id, name, channel, creative, marketing, value, cost, lever, starts_at, ends_at,
      eligibility, caps, daily_budget, daily_capacity, active, updated_at)
    values (${id}, ${a.name}, ${a.channel}, ${a.creative}, ${a.marketing}, ${a.value}, ${a.cost}, ${a.lever},
      ${a.startsAt}::timestamptz, ${a.endsAt}::timestamptz,
      ${a.eligibility === null ? null : JSON.stringify(a.eligibility)}::jsonb, ${JSON.stringify(a.caps)}::jsonb,
      ${a.dailyBudget}, ${a.dailyCapacity}, ${a.active}, now())
    on conflict (id) do update set name = excluded.name, channel = excluded.channel, creative = excluded.creative,
      marketing = excluded.marketing, value = excluded.value, cost = excluded.cost, lever = excluded.lever,
      starts_at = excluded.starts_at, ends_at = excluded.ends_at, eligibility = excluded.eligibility,
      caps = excluded.caps, daily_budget = excluded.daily_budget, daily_capacity = excluded.daily_capacity,
      active = excluded.active, updated_at = now()
    returning *`;
  forgetCatalogue(database);
  return toAction(row!);
}

export async function deleteAction(database: Database, id: string): Promise<void> {
  const rows = await database.sql`delete from nba_actions where id = ${id} returning id`;
  forgetCatalogue(database);
  if (!rows.length) throw new NotFoundError(`Action "${id}"`);
}

export async function listChannels(database: Database): Promise<Channel[]> {
  return (await database.sql<ChannelRow[]>`select * from nba_channels order by channel`).map(toChannel);
}

export async function putChannel(database: Database, channel: string, c: ChannelInput): Promise<Channel> {
  const [row] = await database.sql<ChannelRow[]>`
    insert into nba_channels (channel, caps, daily_budget, daily_capacity, updated_at)
    values (${channel}, ${JSON.stringify(c.caps)}::jsonb, ${c.dailyBudget}, ${c.dailyCapacity}, now())
    on conflict (channel) do update set caps = excluded.caps, daily_budget = excluded.daily_budget,
      daily_capacity = excluded.daily_capacity, updated_at = now()
    returning *`;
  forgetCatalogue(database);
  return toChannel(row!);
}

export async function listPlacements(database: Database): Promise<Placement[]> {
  return (await database.sql<PlacementRow[]>`select * from nba_placements order by placement`).map(
    toPlacement,
  );
}

export async function putPlacement(
  database: Database,
  placement: string,
  p: PlacementInput,
): Promise<Placement> {
  const exploration = explorationOf(p.policy, p.exploration);
  const [row] = await database.sql<PlacementRow[]>`
    insert into nba_placements (placement, policy, exploration, floor, shadow, default_action_id,
      reward_window_hours, default_reward, updated_at)
    values (${placement}, ${p.policy}, ${exploration}, ${p.floor}, ${p.shadow}, ${p.defaultActionId},
      ${p.rewardWindowHours}, ${p.defaultReward}, now())
    on conflict (placement) do update set policy = excluded.policy, exploration = excluded.exploration,
      floor = excluded.floor, shadow = excluded.shadow, default_action_id = excluded.default_action_id,
      reward_window_hours = excluded.reward_window_hours, default_reward = excluded.default_reward, updated_at = now()
    returning *`;
  forgetCatalogue(database);
  return toPlacement(row!);
}

export function placementOf(catalogue: Catalogue, placement: string): Placement {
  return catalogue.placements.get(placement) ?? defaultPlacement(placement);
}
