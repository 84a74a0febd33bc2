// Offers for next-best-action with true, context-dependent response probabilities: the best offer
// differs by customer. Eligibility, frequency caps and budgets are what the product must enforce.
import { sigmoid } from './rng.js';
import type { Segment, Channelish } from './customers.js';

export type OfferContext = {
  segment: Segment;
  affinity: { coffee: number; tea: number; gear: number };
  priceSensitivity: number;
  channelPreference: Channelish;
  daysSinceLastPurchase: number;
  purchases: number;
};

export type SimOffer = {
  id: string;
  name: string;
  channel: Channelish;
  costPerSend: number;
  valueIfAccepted: number;
  eligibility: { requiresConsent: 'marketing'; minPurchases: number; excludeIfPurchasedWithinDays: number };
  frequencyCap: { perOfferPerDays: [number, number]; allOffersPerDays: [number, number] };
  budget: number;
  /** True response model: logit = intercept + Σ coefficient × feature (features named in OFFER_FEATURES). */
  truth: { intercept: number; coefficients: Partial<Record<OfferFeature, number>> };
};

export const OFFER_FEATURES = [
  'coffeeAffinity',
  'teaAffinity',
  'gearAffinity',
  'priceSensitivity',
  'premium',
  'budget',
  'channelMatch',
  'recencyYears',
] as const;
export type OfferFeature = (typeof OFFER_FEATURES)[number];

const caps = { perOfferPerDays: [1, 7] as [number, number], allOffersPerDays: [3, 30] as [number, number] };
const elig = (minPurchases = 0) => ({
  requiresConsent: 'marketing' as const,
  minPurchases,
  excludeIfPurchasedWithinDays: 3,
});

export const SIM_OFFERS: SimOffer[] = [
  {
    id: 'coffee-10-off',
    name: '10% off any coffee',
    channel: 'email',
    costPerSend: 1.8,
    valueIfAccepted: 38,
    eligibility: elig(),
    frequencyCap: caps,
    budget: 20_000,
    truth: {
      intercept: -3.6,
      coefficients: { coffeeAffinity: 2.6, priceSensitivity: 1.3, channelMatch: 0.6 },
    },
  },
  {
    id: 'tea-sampler',
    name: 'Tea discovery sampler at half price',
    channel: 'email',
    costPerSend: 3.2,
    valueIfAccepted: 27,
    eligibility: elig(),
    frequencyCap: caps,
    budget: 15_000,
    truth: { intercept: -3.9, coefficients: { teaAffinity: 3.4, channelMatch: 0.6 } },
  },
  {
    id: 'free-shipping',
    name: 'Free shipping this week',
    channel: 'email',
    costPerSend: 4.5,
    valueIfAccepted: 45,
    eligibility: elig(),
    frequencyCap: caps,
    budget: 20_000,
    truth: { intercept: -3.2, coefficients: { priceSensitivity: 1.8, premium: -0.6, channelMatch: 0.6 } },
  },
  {
    id: 'grinder-launch',
    name: 'New burr grinder launch',
    channel: 'social',
    costPerSend: 0.9,
    valueIfAccepted: 139,
    eligibility: elig(),
    frequencyCap: caps,
    budget: 25_000,
    truth: {
      intercept: -5.0,
      coefficients: { gearAffinity: 4.2, premium: 1.0, priceSensitivity: -1.2, channelMatch: 0.6 },
    },
  },
  {
    id: 'subscription-trial',
    name: 'First subscription box free',
    channel: 'email',
    costPerSend: 2.5,
    valueIfAccepted: 90,
    eligibility: elig(1),
    frequencyCap: caps,
    budget: 20_000,
    truth: {
      intercept: -4.2,
      coefficients: {
        coffeeAffinity: 0.8,
        premium: 1.1,
        budget: -0.7,
        recencyYears: -1.5,
        channelMatch: 0.6,
      },
    },
  },
  {
    id: 'loyalty-double-points',
    name: 'Double loyalty points',
    channel: 'sms',
    costPerSend: 0.6,
    valueIfAccepted: 30,
    eligibility: elig(1),
    frequencyCap: caps,
    budget: 10_000,
    truth: { intercept: -3.4, coefficients: { premium: 0.9, recencyYears: -2.0, channelMatch: 0.6 } },
  },
];

export function offerFeatures(offer: SimOffer, ctx: OfferContext): Record<OfferFeature, number> {
  return {
    coffeeAffinity: ctx.affinity.coffee,
    teaAffinity: ctx.affinity.tea,
    gearAffinity: ctx.affinity.gear,
    priceSensitivity: ctx.priceSensitivity,
    premium: ctx.segment === 'premium' ? 1 : 0,
    budget: ctx.segment === 'budget' ? 1 : 0,
    channelMatch: ctx.channelPreference === offer.channel ? 1 : 0,
    recencyYears: Math.min(ctx.daysSinceLastPurchase, 730) / 365,
  };
}

/** The true probability that this customer accepts this offer. */
export function trueOfferResponse(offer: SimOffer, ctx: OfferContext): number {
  const f = offerFeatures(offer, ctx);
  let logit = offer.truth.intercept;
  for (const [k, v] of Object.entries(offer.truth.coefficients) as [OfferFeature, number][])
    logit += v * f[k];
  return sigmoid(logit);
}

/** Expected net value of sending an offer: p × value − cost. */
export function trueOfferValue(offer: SimOffer, ctx: OfferContext): number {
  return trueOfferResponse(offer, ctx) * offer.valueIfAccepted - offer.costPerSend;
}
