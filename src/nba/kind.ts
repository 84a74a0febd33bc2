// The bandit as a registry kind: `model.refresh` with kind "nba" fits every action's Bayesian linear
// model on the joined decision-reward log (every served decision whose features were logged, whoever
// chose it: learned, shadow), records the version and promotes it. A bandit's update is its posterior
// on more data, so it always serves; the version records rows, mean reward and fit per action.
import type { Database } from '../platform/db/client.js';
import { initRuntime } from '../ml/runtime/index.js';
import { recordVersion, type ModelKind } from '../models/registry/index.js';
import { CONTEXT_DIM, CONTEXT_FEATURE_NAMES } from './context-features.js';
import { fitLinearModel } from './policies/fit.js';
import { forgetBanditModel, NBA_KIND, type BanditArtifact } from './model-store.js';
import { rewardedDecisions, type RewardedDecision } from './reward-log.js';
import type { LinearModel } from './policies/linear-model.js';

export const NBA_FEATURE_SET_VERSION = 1;

/** Per action: x and y of every rewarded decision that served it with logged features. */
export function trainingRows(
  rows: readonly RewardedDecision[],
): Map<string, { xs: number[][]; ys: number[] }> {
  const by = new Map<string, { xs: number[][]; ys: number[] }>();
  for (const r of rows) {
    if (!r.features || r.features.length !== CONTEXT_DIM) continue;
    const t = by.get(r.actionId) ?? { xs: [], ys: [] };
    t.xs.push(r.features);
    t.ys.push(r.reward);
    by.set(r.actionId, t);
  }
  return by;
}

export async function refreshBandit(database: Database, clock: () => Date, actor: string) {
  const started = Date.now();
  const runtime = await initRuntime();
  const now = clock();
  const log = await rewardedDecisions(database, now);
  const byAction = trainingRows(log);
  const actions: Record<string, LinearModel> = {};
  const perAction: Record<string, { rows: number; meanReward: number; sigma2: number }> = {};
  for (const [id, t] of byAction) {
    const m = fitLinearModel(t.xs, t.ys, CONTEXT_DIM);
    actions[id] = m;
    perAction[id] = {
      rows: t.xs.length,
      meanReward: t.ys.reduce((a, b) => a + b, 0) / t.xs.length,
      sigma2: m.sigma2,
    };
  }
  const rows = [...byAction.values()].reduce((s, t) => s + t.xs.length, 0);
  const artifact: BanditArtifact = { dim: CONTEXT_DIM, actions };
  const v = await recordVersion(database, {
    kind: NBA_KIND,
    algorithm: 'bayesian-linear-per-action',
    reason: `posterior on ${rows} rewarded decisions; a bandit's update always serves`,
    dataWindow: {
      from: log[0]?.decidedAt ?? null,
      to: log.at(-1)?.decidedAt ?? null,
      asOf: now.toISOString(),
    },
    features: { names: CONTEXT_FEATURE_NAMES, setVersion: NBA_FEATURE_SET_VERSION },
    params: { priorPrecision: 1, contextDim: CONTEXT_DIM },
    metrics: { rows, defaultedRewards: log.filter((r) => r.defaulted).length, perAction },
    runtime: { backend: runtime.backend, device: runtime.device, threads: runtime.threads },
    durationMs: Date.now() - started,
    trainedBy: actor,
    artifact: artifact,
    promote: true,
  });
  forgetBanditModel(database);
  return { version: v.version, promoted: true, reason: v.reason, rows, actions: Object.keys(actions).length };
}

export function nbaKind(database: Database, clock: () => Date): ModelKind {
  return {
    kind: NBA_KIND,
    description: 'Next best action: per-action Bayesian linear models from the decision-reward log',
    refresh: async ({ actor, onProgress }) => {
      onProgress(0.1, 'reading the decision-reward log');
      return refreshBandit(database, clock, actor);
    },
  };
}
