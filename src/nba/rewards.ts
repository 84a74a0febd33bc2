// Rewards: what happened after a decision. A reward inside the placement's window is learned from; a
// later one is kept beside it (late_reward) and never learned from. A decision whose window closes
// without a reward counts as the placement's default reward when the log is joined (reward-log.ts).
import type { Database } from '../platform/db/client.js';
import { AppError, NotFoundError } from '../platform/errors.js';
import { catalogueSnapshot, placementOf } from './catalogue-store.js';

export type RewardResult = {
  decisionId: string;
  reward: number;
  status: 'learned' | 'late';
  windowEndsAt: string;
};

export async function recordReward(
  database: Database,
  input: { decisionId: string; reward: number; at?: string | undefined },
  clock: () => Date,
): Promise<RewardResult> {
  const { sql } = database;
  const at = input.at ? new Date(input.at) : clock();
  const [d] = await sql<
    {
      placement: string;
      decided_at: string;
      served_action_id: string | null;
      reward: number | null;
      late_reward: number | null;
    }[]
  >`
    select placement, decided_at, served_action_id, reward, late_reward from nba_decisions where id = ${input.decisionId}`;
  if (!d) throw new NotFoundError(`Decision "${input.decisionId}"`);
  if (!d.served_action_id)
    throw new AppError('unprocessable', 'This decision served no action, so it has nothing to reward.');
  const placement = placementOf(await catalogueSnapshot(database), d.placement);
  const decidedAt = new Date(d.decided_at);
  const windowEnds = new Date(decidedAt.getTime() + placement.rewardWindowHours * 3_600_000);
  if (at.getTime() < decidedAt.getTime())
    throw new AppError(
      'unprocessable',
      `The reward's time ${at.toISOString()} is before the decision (${decidedAt.toISOString()}).`,
    );
  const late = at.getTime() > windowEnds.getTime();
  const rows = late
    ? await sql`update nba_decisions set late_reward = ${input.reward}, late_reward_at = ${at.toISOString()}::timestamptz
        where id = ${input.decisionId} and late_reward is null and reward is null returning id`
    : await sql`update nba_decisions set reward = ${input.reward}, reward_at = ${at.toISOString()}::timestamptz
        where id = ${input.decisionId} and reward is null returning id`;
  if (!rows.length)
    throw new AppError('conflict', 'This decision already has its reward; rewards are recorded once.');
  return {
    decisionId: input.decisionId,
    reward: input.reward,
    status: late ? 'late' : 'learned',
    windowEndsAt: windowEnds.toISOString(),
  };
}
