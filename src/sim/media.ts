// Media: weekly spend per channel with correlated flighting, each channel's geometric adstock and
// Hill saturation, controls, and the weekly conversions they drive. The truth is the structural
// model itself, so an MMM can be checked against it.
import { type Rng, bernoulli, normal, uniform } from './rng.js';
import { DAY_MS, seasonFactor, holidayFactor } from './calendar.js';

export const CHANNELS = ['search', 'social', 'display', 'video', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];

export type ChannelTruth = {
  /** Share of last week's adstock carried into this week. */
  decayPerWeek: number;
  /** Adstocked weekly spend at which the response reaches half its maximum. */
  halfSaturation: number;
  /** Hill shape (steepness). */
  shape: number;
  /** Weekly conversions at full saturation. */
  maxConversionsPerWeek: number;
  /** Typical weekly spend before flighting. */
  baseSpendPerWeek: number;
};

export const CHANNEL_TRUTH: Record<Channel, ChannelTruth> = {
  search: {
    decayPerWeek: 0.15,
    halfSaturation: 14_000,
    shape: 1.3,
    maxConversionsPerWeek: 520,
    baseSpendPerWeek: 12_000,
  },
  social: {
    decayPerWeek: 0.4,
    halfSaturation: 11_000,
    shape: 1.1,
    maxConversionsPerWeek: 330,
    baseSpendPerWeek: 8_000,
  },
  display: {
    decayPerWeek: 0.5,
    halfSaturation: 9_000,
    shape: 1.0,
    maxConversionsPerWeek: 150,
    baseSpendPerWeek: 5_000,
  },
  video: {
    decayPerWeek: 0.7,
    halfSaturation: 30_000,
    shape: 1.6,
    maxConversionsPerWeek: 420,
    baseSpendPerWeek: 15_000,
  },
  email: {
    decayPerWeek: 0.2,
    halfSaturation: 1_500,
    shape: 1.0,
    maxConversionsPerWeek: 180,
    baseSpendPerWeek: 1_200,
  },
};

export const CONTROL_TRUTH = {
  baseConversionsPerWeek: 1_400,
  /** Conversions lost per week for each 1.0 of price index above 1 (a 5% rise costs 0.05 × this). */
  priceIndexEffect: -3_000,
  competitorPromoEffect: -130,
  noiseSd: 35,
  averageOrderValue: 48,
};

export function geometricAdstock(spend: readonly number[], decay: number): number[] {
  const out: number[] = [];
  let carry = 0;
  for (const s of spend) {
    carry = s + decay * carry;
    out.push(carry);
  }
  return out;
}

export function hill(x: number, halfSaturation: number, shape: number): number {
  if (x <= 0) return 0;
  const a = Math.pow(x, shape);
  return a / (a + Math.pow(halfSaturation, shape));
}

export type MediaWeek = {
  weekStart: string;
  spend: Record<Channel, number>;
  priceIndex: number;
  competitorPromo: 0 | 1;
  /** Expected conversions from each channel this week (the truth an MMM should recover). */
  contribution: Record<Channel, number>;
  baseline: number;
  controls: number;
  conversions: number;
  revenue: number;
};

export type MediaTruth = {
  channels: Record<
    Channel,
    ChannelTruth & { totalSpend: number; totalContribution: number; contributionShare: number; roi: number }
  >;
  controls: typeof CONTROL_TRUTH;
  weeks: number;
};

/** Simulate `weeks` weeks of media ending at the week that starts `lastWeekStart`. */
export function simulateMedia(
  rng: Rng,
  firstWeekStart: Date,
  weeks: number,
  options: { noise?: boolean } = {},
): { weeks: MediaWeek[]; truth: MediaTruth } {
  const flights = rng.fork('flights');
  const dates = Array.from({ length: weeks }, (_, w) => new Date(firstWeekStart.getTime() + w * 7 * DAY_MS));
  // A budget cycle shared by all channels (correlated flighting): heavier in Q4 and at holidays.
  const common = dates.map(
    (d) => seasonFactor(d) * (holidayFactor(d) > 1.1 ? 1.35 : 1) * (1 + normal(flights, 0, 0.06)),
  );
  const spend: Record<Channel, number[]> = { search: [], social: [], display: [], video: [], email: [] };
  for (const c of CHANNELS) {
    const r = flights.fork(c);
    let on = true;
    let left = 6;
    for (let w = 0; w < weeks; w++) {
      // Video and display run in flights: some weeks on, some dark.
      if (c === 'video' || c === 'display') {
        if (--left <= 0) {
          on = !on;
          left = on ? 3 + Math.floor(r.next() * 5) : 2 + Math.floor(r.next() * 4);
        }
      }
      const level =
        CHANNEL_TRUTH[c].baseSpendPerWeek *
        (common[w] ?? 1) *
        Math.exp(normal(r, 0, c === 'email' ? 0.05 : 0.18));
      spend[c].push(on ? Math.round(level) : 0);
    }
  }
  const controlsRng = rng.fork('controls');
  let price = 1;
  const priceIndex: number[] = [];
  const promo: (0 | 1)[] = [];
  for (let w = 0; w < weeks; w++) {
    if (bernoulli(controlsRng, 0.03))
      price = Math.round(price * uniform(controlsRng, 1.02, 1.06) * 1000) / 1000; // price rises
    const sale = bernoulli(controlsRng, 0.06) ? 0.9 : 1;
    priceIndex.push(Math.round(price * sale * 1000) / 1000);
    promo.push(bernoulli(controlsRng, 0.1) ? 1 : 0);
  }
  const adstock = Object.fromEntries(
    CHANNELS.map((c) => [c, geometricAdstock(spend[c], CHANNEL_TRUTH[c].decayPerWeek)]),
  ) as Record<Channel, number[]>;
  const noise = rng.fork('noise');
  const out: MediaWeek[] = dates.map((d, w) => {
    const contribution = Object.fromEntries(
      CHANNELS.map((c) => {
        const t = CHANNEL_TRUTH[c];
        return [c, t.maxConversionsPerWeek * hill(adstock[c][w] ?? 0, t.halfSaturation, t.shape)];
      }),
    ) as Record<Channel, number>;
    const baseline = CONTROL_TRUTH.baseConversionsPerWeek * seasonFactor(d) * (1 + (0.1 * w) / 52);
    const controls =
      CONTROL_TRUTH.priceIndexEffect * ((priceIndex[w] ?? 1) - 1) +
      CONTROL_TRUTH.competitorPromoEffect * (promo[w] ?? 0);
    const expected = baseline + controls + CHANNELS.reduce((s, c) => s + contribution[c], 0);
    const conversions = Math.max(
      0,
      Math.round(expected + (options.noise === false ? 0 : normal(noise, 0, CONTROL_TRUTH.noiseSd))),
    );
    return {
      weekStart: d.toISOString().slice(0, 10),
      spend: Object.fromEntries(CHANNELS.map((c) => [c, spend[c][w] ?? 0])) as Record<Channel, number>,
      priceIndex: priceIndex[w] ?? 1,
      competitorPromo: promo[w] ?? 0,
      contribution,
      baseline,
      controls,
      conversions,
      revenue: Math.round(conversions * CONTROL_TRUTH.averageOrderValue * 100) / 100,
    };
  });
  const totalContribution = CHANNELS.reduce(
    (s, c) => s + out.reduce((a, wk) => a + wk.contribution[c], 0),
    0,
  );
  const channels = Object.fromEntries(
    CHANNELS.map((c) => {
      const totalSpend = spend[c].reduce((a, b) => a + b, 0);
      const contrib = out.reduce((a, wk) => a + wk.contribution[c], 0);
      return [
        c,
        {
          ...CHANNEL_TRUTH[c],
          totalSpend,
          totalContribution: contrib,
          contributionShare: contrib / totalContribution,
          roi: totalSpend > 0 ? (contrib * CONTROL_TRUTH.averageOrderValue) / totalSpend : 0,
        },
      ];
    }),
  ) as MediaTruth['channels'];
  return { weeks: out, truth: { channels, controls: CONTROL_TRUTH, weeks } };
}
