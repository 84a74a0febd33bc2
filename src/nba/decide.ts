// One decision, one database round trip: arbitrate (pure) over the person's state as this process
// knows it (person-state.ts), then one call of nba_decide (sql/0015), that checks that state's
// token against the person's current consent and features and commits (caps, budgets and the log,
// atomically). The calls made in the same turn of the event loop share one statement and one commit
// (decide-batch.ts, sql/0017). A person this process does not know yet, or whose consent or features
// changed, costs one more round trip: nba_decide answers with the state instead, and the decision is
// made again from it. When the commit finds a limit reached since, the refused action is dropped and the policy runs
// again over the rest, so the logged probabilities are always those the served choice was drawn from.
import crypto from 'node:crypto';
import type { Database } from '../platform/db/client.js';
import { arbitrate, type Arbitration, type Reason } from './arbitrate.js';
import { catalogueSnapshot, placementOf, type Catalogue } from './catalogue-store.js';
import type { DecisionContext } from './context-features.js';
import { servingModel } from './model-store.js';
import {
  responseFromLog,
  toDecisionResponse,
  type DecisionResponse,
  type LoggedDecision,
} from './decision-response.js';
import { createRandom, type Random } from './policies/rng.js';
import { callDecide } from './decide-batch.js';
import { personCacheOf, toKnownPerson, type KnownPerson, type StateAnswer } from './person-state.js';

export type DecisionRequest = {
  customerId: string;
  requestId?: string | undefined;
  placement: string;
  context: DecisionContext;
  candidates?: string[] | undefined;
  defaultActionId?: string | undefined;
};

/**
 * nba_decide's commit call: one flat literal (a hot path: no spread copies, one object shape for
 * JSON.stringify), with the state token the decision was made from. The log keeps each part of the
 * answer once (sql/0019): the alternatives as the candidates (in the modes that score them), the
 * reasons, and what the answer showed of the catalogue and placement; responseFromLog rebuilds it.
 */
function commitPayload(
  a: Arbitration,
  response: DecisionResponse,
  ids: { id: string; requestKey: string | null; personId: string; userId: string },
  catalogue: Catalogue,
  context: DecisionContext,
  modelVersion: number | null,
  state: { token: string; since: string; day: string } | null,
) {
  const served = a.served;
  const channel = served ? catalogue.channels.get(served.channel) : undefined;
  return {
    id: ids.id,
    requestKey: ids.requestKey,
    personId: ids.personId,
    userId: ids.userId,
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
      ? response.alternatives
      : a.eligible.map((e) => ({ actionId: e.id, probability: e.id === served?.id ? 1 : 0 })),
    context,
    features: a.features,
    reasons: response.reasons,
    actionName: response.action?.name ?? null,
    actionCreative: response.action?.creative ?? null,
    exploration: response.policy.exploration,
    floor: response.policy.floor,
    decidedAt: response.decidedAt,
    actionCaps: served?.caps ?? [],
    channelCaps: channel?.caps ?? [],
    actionBudget: served?.dailyBudget ?? null,
    actionCapacity: served?.dailyCapacity ?? null,
    channelBudget: channel?.dailyBudget ?? null,
    channelCapacity: channel?.dailyCapacity ?? null,
    token: state?.token ?? null,
    since: state?.since ?? null,
    day: state?.day ?? null,
  };
}

type DecideAnswer =
  | { status: 'ok' }
  | { status: 'duplicate'; logged: LoggedDecision }
  | ({ status: 'state' } & StateAnswer)
  | { status: 'cap' | 'budget' | 'capacity'; scope: 'action' | 'channel'; detail: unknown };

/** A decision re-runs at most this often when limits are reached by concurrent decisions. */
const MAX_COMMIT_ATTEMPTS = 4;
/** Fresh states a decision takes before it commits (its first, then a changed consent or profile). */
const MAX_STATE_READS = 3;

/** The longest cap window of a catalogue snapshot, worked out once per snapshot. */
const capDaysOf = new WeakMap<Catalogue, number>();

function maxCapDays(catalogue: Catalogue): number {
  const known = capDaysOf.get(catalogue);
  if (known !== undefined) return known;
  let days = 0;
  for (const a of catalogue.actions.values()) for (const c of a.caps) days = Math.max(days, c.days);
  for (const ch of catalogue.channels.values()) for (const c of ch.caps) days = Math.max(days, c.days);
  capDaysOf.set(catalogue, days);
  return days;
}

export async function decide(
  database: Database,
  req: DecisionRequest,
  options: { keyId: string; clock: () => Date; random?: Random },
): Promise<{ response: DecisionResponse; replayed: boolean; json: string }> {
  const at = options.clock();
  const now = at.getTime();
  const day = at.toISOString().slice(0, 10);
  const personId = `u:${req.customerId}`;
  const requestKey = req.requestId ? `${options.keyId}:${req.requestId}` : null;
  const [catalogue, model] = await Promise.all([catalogueSnapshot(database), servingModel(database)]);
  const people = personCacheOf(database);
  // Sends older than the longest cap window decide nothing.
  const since = new Date(now - maxCapDays(catalogue) * 86_400_000).toISOString();
  const placement = placementOf(catalogue, req.placement);
  const random = options.random ?? createRandom(crypto.randomInt(2 ** 31));
  const refused: Reason[] = [];
  let person: KnownPerson | undefined = people.get(personId, now);
  let stateReads = 0;
  const ids = (id: string) => ({ id, requestKey, personId, userId: req.customerId });
  for (let attempt = 1; ;) {
    if (!person) {
      // Not known here: ask for the state alone (and an earlier answer to the same request id).
      const r = await callDecide<DecideAnswer>(database, { personId, requestKey, since, day, token: null });
      if (r.status === 'duplicate') return replay(r.logged);
      if (r.status !== 'state') throw new Error(`nba_decide answered ${r.status} to a state request`);
      person = learn(r);
    }
    const a = arbitrate({
      catalogue,
      placement,
      person: { ...person, usage: people.usage(day) },
      context: req.context,
      candidateIds: req.candidates ?? null,
      defaultActionId: req.defaultActionId ?? null,
      model,
      now,
      random,
      refused,
    });
    const id = crypto.randomUUID();
    const response = toDecisionResponse(a, { decisionId: id, req, at, modelVersion: model.version });
    const payload = commitPayload(a, response, ids(id), catalogue, req.context, model.version, {
      token: person.token,
      since,
      day,
    });
    const r = await callDecide<DecideAnswer>(database, payload);
    if (r.status === 'ok') {
      if (payload.servedActionId) {
        const charged = [];
        if (payload.actionBudget !== null || payload.actionCapacity !== null)
          charged.push(`action:${payload.servedActionId}`);
        if (payload.channelBudget !== null || payload.channelCapacity !== null)
          charged.push(`channel:${payload.servedChannel}`);
        const send = { actionId: payload.servedActionId, channel: payload.servedChannel!, at: now };
        people.recordSend(personId, send, day, payload.cost, charged);
      }
      return { response, replayed: false, json: JSON.stringify(response) };
    }
    if (r.status === 'duplicate') return replay(r.logged);
    if (r.status === 'state') {
      // Consent or features changed since this process read them: decide again from the fresh state.
      person = learn(r);
      continue;
    }
    // A limit reached since: what this process knew of the person or the counters was behind.
    people.forget(personId);
    const scope =
      r.scope === 'action' ? `action:${payload.servedActionId}` : `channel:${payload.servedChannel}`;
    const usage = people.usage(day);
    const u = usage.get(scope) ?? { sends: 0, spend: 0 };
    if (r.status === 'budget') usage.set(scope, { ...u, spend: Number(r.detail) });
    if (r.status === 'capacity') usage.set(scope, { ...u, sends: Number(r.detail) });
    refused.push({
      actionId: a.served!.id,
      reason: r.status,
      detail: `${r.scope} limit reached by a concurrent decision (${JSON.stringify(r.detail)})`,
    });
    if (attempt++ >= MAX_COMMIT_ATTEMPTS) return giveUp(a, id);
  }

  function replay(logged: LoggedDecision) {
    const stored = responseFromLog(logged, req.requestId ?? null);
    return { response: stored, replayed: true, json: JSON.stringify(stored) };
  }

  function learn(r: StateAnswer): KnownPerson {
    if (++stateReads > MAX_STATE_READS)
      throw new Error(`the state of ${personId} changed ${MAX_STATE_READS} times during one decision`);
    const p = toKnownPerson(r, now);
    people.set(personId, p);
    people.setUsage(day, r.usage);
    return p;
  }

  /** Serve nothing: log a decision with no action and every refusal as its reason. */
  async function giveUp(a: Arbitration, id: string) {
    const none = { ...a, mode: 'none' as const, served: null, chosen: null, probability: null };
    const resp = toDecisionResponse(
      { ...none, reasons: [...a.reasons.filter((x) => !refused.includes(x)), ...refused] },
      { decisionId: id, req, at, modelVersion: model.version },
    );
    const p = commitPayload(none, resp, ids(id), catalogue, req.context, model.version, null);
    const [last] = await database.sql<
      { r: DecideAnswer }[]
    >`select nba_log_decision(${JSON.stringify(p)}::jsonb) as r`;
    if (last!.r.status === 'duplicate') return replay(last!.r.logged);
    return { response: resp, replayed: false, json: JSON.stringify(resp) };
  }
}
