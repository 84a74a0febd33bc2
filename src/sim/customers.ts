// Customers with latent traits, devices, and their consent choices over time.
import { type Rng, bernoulli, dirichlet, intBetween, logNormal, normal, pickWeighted, uuid } from './rng.js';
import { DAY_MS } from './calendar.js';

export type Segment = 'budget' | 'regular' | 'premium';
export type Channelish = 'email' | 'social' | 'search' | 'display' | 'video' | 'sms';
export type ConsentCategory = 'analytics' | 'personalization' | 'marketing' | 'ads';
export const CONSENT_CATEGORIES: ConsentCategory[] = ['analytics', 'personalization', 'marketing', 'ads'];
export type ConsentState = Record<ConsentCategory, boolean>;

export type Device = {
  anonymousId: string;
  kind: 'desktop' | 'mobile' | 'tablet';
  app: boolean;
  clockSkewMs: number;
  userAgent: string;
};

export type Customer = {
  index: number;
  userId: string;
  email: string;
  firstName: string;
  segment: Segment;
  affinity: { coffee: number; tea: number; gear: number };
  priceSensitivity: number;
  channelPreference: Channelish;
  /** Expected sessions per day before calendar effects. */
  sessionRate: number;
  /** log of the individual activity multiplier: latent, never observed directly. */
  activityZ: number;
  signupAt: number;
  devices: Device[];
  consent: ConsentState;
  /** Dated withdrawals: from `at` on, the category is refused. */
  withdrawals: { category: ConsentCategory; at: number }[];
  erasureAt: number | null;
};

export const SEGMENT_SHARE: Record<Segment, number> = { budget: 0.45, regular: 0.4, premium: 0.15 };
const SEGMENT_RATE: Record<Segment, number> = { budget: 0.035, regular: 0.055, premium: 0.08 };

export type ConsentRates = Record<ConsentCategory, number> & {
  withdrawMarketing: number;
  withdrawAnalytics: number;
  erasure: number;
};

/** Shares granting each category at first contact, and yearly shares withdrawing or asking for erasure. */
export const DEFAULT_CONSENT_RATES: ConsentRates = {
  analytics: 0.86,
  personalization: 0.72,
  marketing: 0.58,
  ads: 0.47,
  withdrawMarketing: 0.05,
  withdrawAnalytics: 0.02,
  erasure: 0.008,
};

export const DEVICE_SKEW_SHARE = 0.03;

const FIRST_NAMES = [
  'Ada',
  'Bo',
  'Cleo',
  'Dev',
  'Eli',
  'Fay',
  'Gus',
  'Hana',
  'Ivo',
  'Jun',
  'Kai',
  'Lena',
  'Milo',
  'Nia',
  'Oren',
  'Pia',
  'Quin',
  'Rae',
  'Sol',
  'Tess',
];
const USER_AGENTS: Record<Device['kind'], string> = {
  desktop:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36',
  mobile:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  tablet:
    'Mozilla/5.0 (iPad; CPU OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
};

export function createCustomer(
  rng: Rng,
  index: number,
  start: number,
  end: number,
  rates: ConsentRates,
): Customer {
  const segment = pickWeighted(rng, ['budget', 'regular', 'premium'] as const, [
    SEGMENT_SHARE.budget,
    SEGMENT_SHARE.regular,
    SEGMENT_SHARE.premium,
  ]);
  const [coffee = 0, tea = 0, gear = 0] = dirichlet(
    rng,
    segment === 'premium' ? [1.2, 1, 1.1] : [1.4, 1.1, 0.5],
  );
  const base = segment === 'budget' ? 0.65 : segment === 'regular' ? 0.45 : 0.25;
  const priceSensitivity = Math.min(1, Math.max(0, base + normal(rng, 0, 0.18)));
  const channelPreference = pickWeighted(
    rng,
    ['email', 'social', 'search', 'display', 'video', 'sms'] as const,
    [0.32, 0.25, 0.2, 0.08, 0.1, 0.05],
  );
  const activityZ = normal(rng, 0, 0.45);
  // A third signed up before the window; the rest during it.
  const span = end - start;
  const signupAt = bernoulli(rng, 0.33)
    ? start - Math.floor(rng.next() * 365) * DAY_MS
    : start + Math.floor(rng.next() * span * 0.9);
  const nDevices = pickWeighted(rng, [1, 2, 3], [0.55, 0.35, 0.1]);
  const devices: Device[] = [];
  for (let d = 0; d < nDevices; d++) {
    const kind = pickWeighted(rng, ['desktop', 'mobile', 'tablet'] as const, [0.42, 0.5, 0.08]);
    const skewed = bernoulli(rng, DEVICE_SKEW_SHARE);
    devices.push({
      anonymousId: uuid(rng),
      kind,
      app: kind !== 'desktop' && bernoulli(rng, 0.35),
      clockSkewMs: skewed ? Math.round(normal(rng, 0, 2) * 3_600_000) || 600_000 : 0,
      userAgent: USER_AGENTS[kind],
    });
  }
  const consent: ConsentState = {
    analytics: bernoulli(rng, rates.analytics),
    personalization: bernoulli(rng, rates.personalization),
    marketing: bernoulli(rng, rates.marketing),
    ads: bernoulli(rng, rates.ads),
  };
  const years = span / (365 * DAY_MS);
  const when = () => Math.max(signupAt, start) + Math.floor(rng.next() * (end - Math.max(signupAt, start)));
  const withdrawals: Customer['withdrawals'] = [];
  if (consent.marketing && bernoulli(rng, rates.withdrawMarketing * years))
    withdrawals.push({ category: 'marketing', at: when() });
  if (consent.analytics && bernoulli(rng, rates.withdrawAnalytics * years))
    withdrawals.push({ category: 'analytics', at: when() });
  const erasureAt = bernoulli(rng, rates.erasure * years) ? when() : null;
  const userId = `kc_${String(index).padStart(7, '0')}`;
  return {
    index,
    userId,
    email: `${userId}@example.com`,
    firstName: FIRST_NAMES[intBetween(rng, 0, FIRST_NAMES.length - 1)] ?? 'Ada',
    segment,
    affinity: { coffee, tea, gear },
    priceSensitivity,
    channelPreference,
    sessionRate: SEGMENT_RATE[segment] * logNormal(rng, 0, 0) * Math.exp(activityZ),
    activityZ,
    signupAt,
    devices,
    consent,
    withdrawals,
    erasureAt,
  };
}

/** The person's consent at time t: initial choices minus withdrawals that have happened. */
export function consentAt(c: Customer, t: number): ConsentState {
  const state = { ...c.consent };
  for (const w of c.withdrawals) if (w.at <= t) state[w.category] = false;
  return state;
}
