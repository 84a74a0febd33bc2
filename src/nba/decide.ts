// One decision: read the person's state in one query, arbitrate (pure), commit in one statement
// (nba_commit_decision: caps, budgets and the log, atomically). When the commit finds that a limit
// was reached between the read and the write, the refused action is dropped and the policy runs
// again over the rest, so the logged probabilities are always those the served choice was drawn from.
import crypto from 'node:crypto';
import type { Database } from '../platform/db/client.js';
import { toNamed, toVector, type RawFeatures } from '../features/index.js';
import { arbitrate, type Arbitration, type PersonState, type Reason, type Usage } from './arbitrate.js';
import { catalogueSnapshot, placementOf, type Catalogue } from './catalogue-store.js';
import type { DecisionContext } from './context-features.js';
import { servingModel } from './model-store.js';
import { toDecisionResponse, type DecisionResponse } from './decision-response.js';
import { createRandom, type Random } from './policies/rng.js';

export type DecisionRequest = {
  customerId: string;
  requestId?: string | undefined;
  placement: string;
  context: DecisionContext;
  candidates?: string[] | undefined;
  defaultActionId?: string | undefined;
};

/** A decision re-runs at most this often when limits are reached by concurrent decisions. */
const MAX_COMMIT_ATTEMPTS = 4;

type StateRow = {
  consent: Record<string, boolean> | null;
  raw: RawFeatures | null;
  as_of: string | null;
  sends: { a: string; c: string; t: string }[];
  usage: { s: string; k: string; n: number; m: number }[];
  replay: DecisionResponse | null;
};

function maxCapDays(catalogue: Catalogue): number {
  let days = 0;
  for (const a of catalogue.actions.values()) for (const c of a.caps) days = Math.max(days, c.days);
  for (const ch of catalogue.channels.values()) for (const c of ch.caps) days = Math.max(days, c.days);
  return days;
}

/** The one read: consent, materialised features, recent sends, today's usage, a prior answer. */
async function readState(
  database: Database,
  personId: string,
  requestKey: string | null,
  at: Date,
  capDays: number,
) {
  const { sql } = database;
  const since = new Date(at.getTime() - capDays * 86_400_000).toISOString();
  const day = at.toISOString().slice(0, 10);
  const [row] = await sql<StateRow[]>`
    select
      (select categories from cdp_consent_state where person_id = ${personId}) as consent,
      f.raw, f.as_of,
      (select coalesce(jsonb_agg(jsonb_build_object('a', served_action_id, 'c', served_channel, 't', decided_at)), '[]'::jsonb)
         from nba_decisions where person_id = ${personId} and served_action_id is not null
           and decided_at > ${since}::timestamptz) as sends,
      (select coalesce(jsonb_agg(jsonb_build_object('s', scope, 'k', key, 'n', sends, 'm', spend)), '[]'::jsonb)
         from nba_usage_daily where day = ${day}::date) as usage,
      (select response from nba_decisions where request_key = ${requestKey}) as replay
    from (select 1) one
    left join feature_person_raw f on f.person_id = ${personId}`;
  return row!;
}

function toPersonState(row: StateRow): PersonState {
  const consent = row.consent ?? {};
  const personalization = consent.personalization === true;
  // Stored events (and so features) may be used only while analytics consent stands.
  const usable = personalization && consent.analytics === true && row.raw && row.as_of;
  const profile = personalization ? (usable ? toNamed(toVector(row.raw!, new Date(row.as_of!))) : {}) : null;
  const usage = new Map<string, Usage>(row.usage.map((u) => [`${u.s}:${u.k}`, { sends: u.n, spend: u.m }]));
  return {
    consent: { personalization, marketing: consent.marketing === true },
    profile,
    sends: row.sends.map((s) => ({ actionId: s.a, channel: s.c, at: Date.parse(s.t) })),
    usage,
  };
}

function commitPayload(
  a: Arbitration,
  ids: { id: string; requestKey: string | null; personId: string; userId: string },
  catalogue: Catalogue,
  context: DecisionContext,
  at: Date,
  response: DecisionResponse,
  modelVersion: number | null,
) {
  const served = a.served;
  const channel = served ? catalogue.channels.get(served.channel) : undefined;
  return {
    ...ids,
    placement: a.placement.placement,
    mode: a.mode,
    policy: a.mode === 'non-personal' ? 'non-personal-default' : a.placement.policy,
    modelVersion,
    chosenActionId: a.chosen,
    servedActionId: served?.id ?? null,
    servedChannel: served?.channel ?? null,
    probability: a.probability,
    cost: served?.cost ?? 0,
    candidates: a.scored.length
      ? a.scored.map((s) => ({ actionId: s.id, probability: s.probability, score: s.score }))
      : a.eligible.map((e) => ({ actionId: e.id, probability: e.id === served?.id ? 1 : 0 })),
    context,
    features: a.features,
    response,
    decidedAt: at.toISOString(),
    actionCaps: served?.caps ?? [],
    channelCaps: channel?.caps ?? [],
    actionBudget: served?.dailyBudget ?? null,
    actionCapacity: served?.dailyCapacity ?? null,
    channelBudget: channel?.dailyBudget ?? null,
    channelCapacity: channel?.dailyCapacity ?? null,
  };
}

type CommitResult =
  | { status: 'ok' }
  | { status: 'duplicate'; response: DecisionResponse }
  | { status: 'cap' | 'budget' | 'capacity'; scope: 'action' | 'channel'; detail: unknown };

export async function decide(
  database: Database,
  req: DecisionRequest,
  options: { keyId: string; clock: () => Date; random?: Random },
): Promise<{ response: DecisionResponse; replayed: boolean }> {
  const at = options.clock();
  const personId = `u:${req.customerId}`;
  const requestKey = req.requestId ? `${options.keyId}:${req.requestId}` : null;
  const [catalogue, model] = await Promise.all([catalogueSnapshot(database), servingModel(database)]);
  const state = await readState(database, personId, requestKey, at, maxCapDays(catalogue));
  if (state.replay) return { response: state.replay, replayed: true };
  const person = toPersonState(state);
  const placement = placementOf(catalogue, req.placement);
  const random = options.random ?? createRandom(crypto.randomInt(2 ** 31));
  const refused: Reason[] = [];
  for (let attempt = 1; ; attempt++) {
    const a = arbitrate({
      catalogue,
      placement,
      person,
      context: req.context,
      candidateIds: req.candidates ?? null,
      defaultActionId: req.defaultActionId ?? null,
      model,
      now: at.getTime(),
      random,
      refused,
    });
    const id = crypto.randomUUID();
    const response = toDecisionResponse(a, { decisionId: id, req, at, modelVersion: model.version });
    const payload = commitPayload(
      a,
      { id, requestKey, personId, userId: req.customerId },
      catalogue,
      req.context,
      at,
      response,
      model.version,
    );
    const [row] = await database.sql<
      { r: CommitResult }[]
    >`select nba_commit_decision(${JSON.stringify(payload)}::jsonb) as r`;
    const r = row!.r;
    if (r.status === 'ok') return { response, replayed: false };
    if (r.status === 'duplicate') return { response: r.response, replayed: true };
    refused.push({
      actionId: a.served!.id,
      reason: r.status,
      detail: `${r.scope} limit reached by a concurrent decision (${JSON.stringify(r.detail)})`,
    });
    if (attempt >= MAX_COMMIT_ATTEMPTS) {
      // Give up serving: log a decision with no action and every refusal as its reason.
      const none = {
        ...a,
        mode: 'none' as const,
        served: null,
        chosen: null,
        probability: null,
        reasons: [...a.reasons, ...refused],
      };
      const resp = toDecisionResponse(none, { decisionId: id, req, at, modelVersion: model.version });
      const p = commitPayload(
        none,
        { id, requestKey, personId, userId: req.customerId },
        catalogue,
        req.context,
        at,
        resp,
        model.version,
      );
      const [last] = await database.sql<
        { r: CommitResult }[]
      >`select nba_commit_decision(${JSON.stringify(p)}::jsonb) as r`;
      if (last!.r.status === 'duplicate') return { response: last!.r.response, replayed: true };
      return { response: resp, replayed: false };
    }
  }
}
