// The decision log joined with its rewards: a reward that arrived inside the placement's window, or
// the placement's default reward once the window has closed without one. Decisions still inside
// their window without a reward are left out (not yet known); late rewards never enter.
import type { Database } from '../platform/db/client.js';
import { DEFAULT_REWARD_WINDOW_HOURS } from './catalogue.js';

export type RewardedDecision = {
  decisionId: string;
  mode: 'learned' | 'non-personal' | 'shadow';
  actionId: string;
  /** Probability of the served action under the process that chose it. */
  propensity: number | null;
  reward: number;
  /** True when the reward is the placement's default (none arrived in the window). */
  defaulted: boolean;
  features: number[] | null;
  candidates: { actionId: string; probability: number }[];
  context: Record<string, unknown>;
  decidedAt: string;
};

export async function rewardedDecisions(
  database: Database,
  now: Date,
  options: { since?: Date } = {},
): Promise<RewardedDecision[]> {
  const { sql } = database;
  const rows = await sql<
    {
      id: string;
      mode: RewardedDecision['mode'];
      served_action_id: string;
      probability: number | null;
      reward: number | null;
      default_reward: number;
      window_closed: boolean;
      features: number[] | null;
      candidates: RewardedDecision['candidates'];
      context: Record<string, unknown>;
      decided_at: string;
    }[]
  >`
    select d.id, d.mode, d.served_action_id, d.probability, d.reward, d.features, d.candidates, d.context, d.decided_at,
      coalesce(p.default_reward, 0) as default_reward,
      d.decided_at + make_interval(secs => coalesce(p.reward_window_hours, ${DEFAULT_REWARD_WINDOW_HOURS}) * 3600)
        < ${now.toISOString()}::timestamptz as window_closed
    from nba_decisions d left join nba_placements p on p.placement = d.placement
    where d.served_action_id is not null
      ${options.since ? sql`and d.decided_at >= ${options.since.toISOString()}::timestamptz` : sql``}
    order by d.decided_at, d.id`;
  const out: RewardedDecision[] = [];
  for (const r of rows) {
    if (r.reward === null && !r.window_closed) continue;
    out.push({
      decisionId: r.id,
      mode: r.mode,
      actionId: r.served_action_id,
      propensity: r.probability,
      reward: r.reward ?? r.default_reward,
      defaulted: r.reward === null,
      features: r.features,
      candidates: r.candidates,
      context: r.context,
      decidedAt: new Date(r.decided_at).toISOString(),
    });
  }
  return out;
}

/** The log in the `attune` format that `attune nba evaluate` reads: decisions the policy chose. */
export function toEvaluationRows(rows: readonly RewardedDecision[]) {
  return rows
    .filter((r) => r.mode === 'learned' && r.propensity !== null && r.propensity > 0)
    .map((r) => ({
      action: r.actionId,
      position: 0,
      reward: r.reward,
      propensity: r.propensity!,
      decisionId: r.decisionId,
      decidedAt: r.decidedAt,
      candidates: r.candidates,
      context: r.context,
    }));
}
