// The simulated world's six offers as the next-best-action catalogue, loaded once by `attune demo`,
// plus one non-marketing action (a brewing guide on the web) that the default placement serves to
// people who have not granted personalization. Mapping: each offer's cost per send and value if
// accepted; "requires marketing consent" → a marketing action; minimum purchases and "not within N
// days of a purchase" → an eligibility rule over the profile; the per-offer cap → the action's cap;
// the all-offers cap → the same cap on each channel (Attune caps per action and per channel); the
// yearly budget → a daily budget of a 365th.
import type { Database } from '../platform/db/client.js';
import { listActions, putAction, putChannel, putPlacement, type ActionInput } from '../nba/index.js';
import { SIM_OFFERS, type SimOffer } from '../sim/offers.js';

export const NON_PERSONAL_DEFAULT = 'brewing-guide';

export function offerAction(o: SimOffer): ActionInput {
  const rules = [
    {
      field: 'profile.days_since_last_order',
      op: 'gte' as const,
      value: o.eligibility.excludeIfPurchasedWithinDays,
    },
    ...(o.eligibility.minPurchases > 0
      ? [{ field: 'profile.orders_365d', op: 'gte' as const, value: o.eligibility.minPurchases }]
      : []),
  ];
  return {
    name: o.name,
    channel: o.channel,
    creative: null,
    marketing: o.eligibility.requiresConsent === 'marketing',
    value: o.valueIfAccepted,
    cost: o.costPerSend,
    lever: 1,
    startsAt: null,
    endsAt: null,
    eligibility: { all: rules },
    caps: [{ max: o.frequencyCap.perOfferPerDays[0], days: o.frequencyCap.perOfferPerDays[1] }],
    dailyBudget: Math.round((o.budget / 365) * 100) / 100,
    dailyCapacity: null,
    active: true,
  };
}

/** Loads the catalogue when it is empty; returns how many actions it added. */
export async function ensureDemoCatalogue(database: Database): Promise<number> {
  if ((await listActions(database)).length) return 0;
  for (const o of SIM_OFFERS) await putAction(database, o.id, offerAction(o));
  const [max, days] = SIM_OFFERS[0]!.frequencyCap.allOffersPerDays;
  for (const channel of new Set(SIM_OFFERS.map((o) => o.channel)))
    await putChannel(database, channel, { caps: [{ max, days }], dailyBudget: null, dailyCapacity: null });
  await putAction(database, NON_PERSONAL_DEFAULT, {
    name: 'Brewing guide on the home page',
    channel: 'web',
    creative: null,
    marketing: false,
    value: 1,
    cost: 0,
    lever: 1,
    startsAt: null,
    endsAt: null,
    eligibility: null,
    caps: [],
    dailyBudget: null,
    dailyCapacity: null,
    active: true,
  });
  await putPlacement(database, 'default', {
    policy: 'thompson',
    floor: 0.02,
    shadow: false,
    defaultActionId: NON_PERSONAL_DEFAULT,
    rewardWindowHours: 168,
    defaultReward: 0,
  });
  return SIM_OFFERS.length + 1;
}
