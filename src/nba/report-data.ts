// What the next-best-action report shows, read from the decision log: the value of the policy as it
// ran against uniform random and a best-single-action baseline (both by off-policy evaluation over the
// same log, in net value per decision), the mix of served actions per day, why candidates were
// excluded, the use of daily budgets and capacity, and how shadow decisions compare with what was served.
import type { Database } from '../platform/db/client.js';
import { evaluatePolicy, type Estimate, type LoggedRow } from './ope/index.js';
import { DEFAULT_REWARD_WINDOW_HOURS } from './catalogue.js';

export type PolicyValues = {
  rows: number;
  asRun: Estimate;
  random: Estimate;
  baseline: Estimate & { actionId: string };
  effectiveSampleSize: { random: number; baseline: number };
};

export type NbaReportData = {
  mix: { day: string; actionId: string; n: number }[];
  modes: { mode: string; n: number }[];
  reasons: { reason: string; n: number }[];
  usage: { day: string; scope: string; key: string; sends: number; spend: number; limit: string }[];
  values: PolicyValues | null;
  shadow: { decisions: number; agree: number; chosenEv: number; servedEv: number } | null;
};

type LogRow = {
  action: string;
  net: number;
  propensity: number;
  candidates: { actionId: string; probability: number }[];
};

/** Off-policy values of the policy as run, uniform random and the best single action, per decision. */
export function policyValues(
  log: readonly LogRow[],
  options: { bootstrapSamples?: number; seed?: number } = {},
): PolicyValues | null {
  if (!log.length) return null;
  const rows: LoggedRow[] = log.map((r) => ({
    action: r.action,
    position: 0,
    reward: r.net,
    propensity: r.propensity,
  }));
  const asRunOf = new Map<LoggedRow, ReadonlyMap<string, number>>();
  const randomOf = new Map<LoggedRow, ReadonlyMap<string, number>>();
  const means = new Map<string, { s: number; n: number }>();
  log.forEach((r, i) => {
    asRunOf.set(rows[i]!, new Map(r.candidates.map((c) => [c.actionId, c.probability])));
    randomOf.set(rows[i]!, new Map(r.candidates.map((c) => [c.actionId, 1 / r.candidates.length])));
    const m = means.get(r.action) ?? { s: 0, n: 0 };
    // Self-normalised per action: the logged mean net value of each action where it was served.
    means.set(r.action, { s: m.s + r.net / r.propensity, n: m.n + 1 / r.propensity });
  });
  const best = [...means].sort((a, b) => b[1].s / b[1].n - a[1].s / a[1].n)[0]![0];
  const baselineOf = new Map<LoggedRow, ReadonlyMap<string, number>>();
  log.forEach((r, i) => {
    const has = r.candidates.some((c) => c.actionId === best);
    baselineOf.set(rows[i]!, has ? new Map([[best, 1]]) : randomOf.get(rows[i]!)!);
  });
  const opts = { bootstrapSamples: options.bootstrapSamples ?? 500, seed: options.seed ?? 1 };
  const run = (m: Map<LoggedRow, ReadonlyMap<string, number>>, describe: string) =>
    evaluatePolicy(rows, { describe, probabilities: (r) => m.get(r)! }, opts);
  const asRun = run(asRunOf, 'as run');
  const random = run(randomOf, 'uniform random');
  const baseline = run(baselineOf, `always ${best}`);
  return {
    rows: rows.length,
    asRun: asRun.estimates.snipw,
    random: random.estimates.snipw,
    baseline: { ...baseline.estimates.snipw, actionId: best },
    effectiveSampleSize: {
      random: random.weights.effectiveSampleSize,
      baseline: baseline.weights.effectiveSampleSize,
    },
  };
}

export async function nbaReportData(database: Database, now: Date, days = 90): Promise<NbaReportData> {
  const { sql } = database;
  const since = new Date(now.getTime() - days * 86_400_000).toISOString();
  const nowIso = now.toISOString();
  const [mix, modes, reasons, usage, log, shadow] = await Promise.all([
    sql<{ day: string; action_id: string; n: number }[]>`
      select to_char(decided_at at time zone 'UTC', 'YYYY-MM-DD') as day, served_action_id as action_id, count(*)::int as n
      from nba_decisions where served_action_id is not null and decided_at >= ${since}::timestamptz
      group by 1, 2 order by 1, 2`,
    sql<{ mode: string; n: number }[]>`
      select mode, count(*)::int as n from nba_decisions where decided_at >= ${since}::timestamptz group by 1 order by 2 desc`,
    sql<{ reason: string; n: number }[]>`
      select r->>'reason' as reason, count(*)::int as n
      from nba_decisions d, jsonb_array_elements(d.reasons) r
      where d.decided_at >= ${since}::timestamptz group by 1 order by 2 desc`,
    sql<
      {
        day: string;
        scope: string;
        key: string;
        sends: number;
        spend: number;
        budget: number | null;
        capacity: number | null;
      }[]
    >`
      select to_char(u.day, 'YYYY-MM-DD') as day, u.scope, u.key, u.sends, u.spend,
        coalesce(a.daily_budget, c.daily_budget) as budget, coalesce(a.daily_capacity, c.daily_capacity) as capacity
      from nba_usage_daily u
      left join nba_actions a on u.scope = 'action' and a.id = u.key
      left join nba_channels c on u.scope = 'channel' and c.channel = u.key
      where u.day >= (${nowIso}::timestamptz - interval '14 days')::date order by 1, 2, 3`,
    sql<
      {
        action: string;
        reward: number;
        value: number;
        cost: number;
        propensity: number;
        candidates: LogRow['candidates'];
      }[]
    >`
      select d.served_action_id as action, d.probability as propensity, d.candidates, d.cost,
        coalesce(d.reward, p.default_reward, 0) as reward,
        coalesce((select (a->>'value')::float8 from jsonb_array_elements(d.candidates) a
                  where a->>'actionId' = d.served_action_id limit 1), 0) as value
      from nba_decisions d left join nba_placements p on p.placement = d.placement
      where d.mode = 'learned' and d.probability > 0 and d.decided_at >= ${since}::timestamptz
        and (d.reward is not null or d.decided_at + make_interval(secs =>
             coalesce(p.reward_window_hours, ${DEFAULT_REWARD_WINDOW_HOURS}) * 3600) < ${nowIso}::timestamptz)`,
    sql<{ decisions: number; agree: number; chosen_ev: number | null; served_ev: number | null }[]>`
      select count(*)::int as decisions, count(*) filter (where chosen_action_id = served_action_id)::int as agree,
        avg((select (a->>'expectedValue')::float8 from jsonb_array_elements(candidates) a where a->>'actionId' = chosen_action_id limit 1)) as chosen_ev,
        avg((select (a->>'expectedValue')::float8 from jsonb_array_elements(candidates) a where a->>'actionId' = served_action_id limit 1)) as served_ev
      from nba_decisions where mode = 'shadow' and decided_at >= ${since}::timestamptz`,
  ]);
  const s = shadow[0]!;
  return {
    mix: mix.map((r) => ({ day: r.day, actionId: r.action_id, n: r.n })),
    modes,
    reasons,
    usage: usage.map((u) => ({
      day: u.day,
      scope: u.scope,
      key: u.key,
      sends: u.sends,
      spend: u.spend,
      limit: [
        u.budget !== null ? `budget ${u.budget}` : '',
        u.capacity !== null ? `capacity ${u.capacity}` : '',
      ]
        .filter(Boolean)
        .join(', '),
    })),
    values: policyValues(
      log.map((r) => ({
        action: r.action,
        net: r.reward * r.value - r.cost,
        propensity: r.propensity,
        candidates: r.candidates,
      })),
    ),
    shadow: s.decisions
      ? { decisions: s.decisions, agree: s.agree, chosenEv: s.chosen_ev ?? NaN, servedEv: s.served_ev ?? NaN }
      : null,
  };
}
