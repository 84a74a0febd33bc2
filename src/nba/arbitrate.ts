// Arbitration, pure: from the catalogue, the person's consent, profile, recent sends and today's usage
// to the eligible candidates (each exclusion with its reason), then the policy's probabilities and
// choice, or the non-personal default. The decision service (decide.ts) does the I/O around it.
import { holds, profileFields } from './conditions.js';
import type { Action, Cap, Placement } from './catalogue.js';
import type { Catalogue } from './catalogue-store.js';
import { contextVector, type DecisionContext } from './context-features.js';
import { predict, priorModel, type LinearModel } from './policies/linear-model.js';
import { CONTEXT_DIM } from './context-features.js';
import { choose, type ScoredCandidate } from './policies/policy.js';
import type { Random } from './policies/rng.js';

export const REASONS = [
  'not-in-catalogue',
  'inactive',
  'consent',
  'eligibility',
  'cap',
  'budget',
  'capacity',
] as const;
export type ReasonCode = (typeof REASONS)[number];
export type Reason = { actionId: string; reason: ReasonCode; detail: string };

export type Send = { actionId: string; channel: string; at: number };
export type Usage = { sends: number; spend: number };

export type PersonState = {
  consent: { personalization: boolean; marketing: boolean };
  /** Named features (src/features) when personalization is granted; null otherwise. */
  profile: Record<string, number> | null;
  sends: readonly Send[];
  /** Today's usage by `action:<id>` and `channel:<name>`. */
  usage: ReadonlyMap<string, Usage>;
};

export type BanditModel = { version: number | null; actions: ReadonlyMap<string, LinearModel> };

/** The prior every action starts from, built once (an action the model has not seen yet). */
const PRIOR = priorModel(CONTEXT_DIM);

export type Arbitration = {
  mode: 'learned' | 'non-personal' | 'shadow' | 'none';
  placement: Placement;
  eligible: Action[];
  reasons: Reason[];
  /** The policy's choice (learned and shadow modes). */
  chosen: string | null;
  /** What the CRM is told to do. */
  served: Action | null;
  /** Probability of the served action under the process that chose it (1 for a fixed default). */
  probability: number | null;
  scored: ScoredCandidate[];
  features: number[] | null;
};

const DAY_MS = 86_400_000;

function capReason(
  caps: readonly Cap[],
  sent: (s: Send) => boolean,
  sends: readonly Send[],
  now: number,
  what: string,
) {
  for (const cap of caps) {
    const used = sends.filter((s) => sent(s) && s.at > now - cap.days * DAY_MS && s.at <= now).length;
    if (used >= cap.max) return `${used} sends of ${what} in the last ${cap.days} days (cap ${cap.max})`;
  }
  return null;
}

/** Why an action may not be served to this person now, or null. */
export function exclusion(
  a: Action,
  catalogue: Catalogue,
  person: PersonState,
  context: DecisionContext,
  now: number,
): Reason | null {
  const r = (reason: ReasonCode, detail: string): Reason => ({ actionId: a.id, reason, detail });
  if (!a.active) return r('inactive', 'the action is switched off');
  if (a.startsAt && Date.parse(a.startsAt) > now) return r('inactive', `starts at ${a.startsAt}`);
  if (a.endsAt && Date.parse(a.endsAt) <= now) return r('inactive', `ended at ${a.endsAt}`);
  if (a.marketing && !person.consent.marketing)
    return r('consent', 'a marketing action, and the person has not granted marketing consent');
  if (a.eligibility) {
    if (!person.profile && profileFields(a.eligibility).length)
      return r('eligibility', 'the rule reads the profile, which needs personalization consent');
    if (!holds(a.eligibility, { context, profile: person.profile }))
      return r('eligibility', 'the eligibility rule does not hold');
  }
  const c = catalogue.channels.get(a.channel);
  const actionCap = capReason(a.caps, (s) => s.actionId === a.id, person.sends, now, 'this action');
  if (actionCap) return r('cap', actionCap);
  const channelCap = capReason(
    c?.caps ?? [],
    (s) => s.channel === a.channel,
    person.sends,
    now,
    `channel ${a.channel}`,
  );
  if (channelCap) return r('cap', channelCap);
  for (const [scope, key, budget, capacity] of [
    ['action', a.id, a.dailyBudget, a.dailyCapacity],
    ['channel', a.channel, c?.dailyBudget ?? null, c?.dailyCapacity ?? null],
  ] as const) {
    const u = person.usage.get(`${scope}:${key}`) ?? { sends: 0, spend: 0 };
    if (budget !== null && u.spend + a.cost > budget + 1e-9)
      return r('budget', `${scope} ${key}: ${u.spend} of ${budget} spent today`);
    if (capacity !== null && u.sends + 1 > capacity)
      return r('capacity', `${scope} ${key}: ${u.sends} of ${capacity} sends today`);
  }
  return null;
}

export function arbitrate(input: {
  catalogue: Catalogue;
  placement: Placement;
  person: PersonState;
  context: DecisionContext;
  candidateIds: readonly string[] | null;
  /** The CRM's own default for shadow mode (else the placement's). */
  defaultActionId: string | null;
  model: BanditModel;
  now: number;
  random: Random;
  /** Exclusions found by the commit (a limit reached between read and write). */
  refused?: readonly Reason[];
}): Arbitration {
  const { catalogue, placement, person, context, now } = input;
  const reasons: Reason[] = [...(input.refused ?? [])];
  const refusedIds = new Set(reasons.map((r) => r.actionId));
  const ids = input.candidateIds ?? [...catalogue.actions.keys()];
  const eligible: Action[] = [];
  for (const id of ids) {
    if (refusedIds.has(id)) continue;
    const a = catalogue.actions.get(id);
    if (!a) {
      reasons.push({ actionId: id, reason: 'not-in-catalogue', detail: 'no action with this id' });
      continue;
    }
    const why = exclusion(a, catalogue, person, context, now);
    if (why) reasons.push(why);
    else eligible.push(a);
  }
  const defaultId = input.defaultActionId ?? placement.defaultActionId;
  const fallback = eligible.find((a) => a.id === defaultId) ?? null;
  const base = { placement, eligible, reasons, scored: [] as ScoredCandidate[], features: null };
  if (!eligible.length) return { ...base, mode: 'none', chosen: null, served: null, probability: null };
  if (!person.consent.personalization || !person.profile)
    return fallback
      ? { ...base, mode: 'non-personal', chosen: null, served: fallback, probability: 1 }
      : { ...base, mode: 'none', chosen: null, served: null, probability: null };
  const x = contextVector(person.profile, context);
  const { chosen, scored } = choose(
    eligible.map((a) => {
      const m = input.model.actions.get(a.id) ?? PRIOR;
      const p = predict(m, x);
      return {
        id: a.id,
        value: a.value,
        cost: a.cost,
        lever: a.lever,
        prediction: { ...p, sigma2: m.sigma2 },
      };
    }),
    { policy: placement.policy, exploration: placement.exploration, floor: placement.floor },
    input.random,
  );
  scored.sort((a, b) => b.probability - a.probability || b.expectedValue - a.expectedValue);
  if (placement.shadow) {
    return {
      ...base,
      scored,
      features: x,
      mode: 'shadow',
      chosen,
      served: fallback,
      probability: fallback ? 1 : null,
    };
  }
  const probability = scored.find((s) => s.id === chosen)!.probability;
  return {
    ...base,
    scored,
    features: x,
    mode: 'learned',
    chosen,
    served: catalogue.actions.get(chosen)!,
    probability,
  };
}
