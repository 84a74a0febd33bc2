// The simulated world, day by day: customers browse, sign up, buy, open emails, change their
// consent, join experiments and ask for erasure; media spend moves demand; the truth that
// generated it all is recorded beside the events. Deterministic by seed.
import { type Rng, bernoulli, createRng, intBetween, pickWeighted, poisson, uuid } from './rng.js';
import { DAY_MS, addDays, isoDay, trafficFactor } from './calendar.js';
import {
  CONSENT_CATEGORIES,
  DEFAULT_CONSENT_RATES,
  consentAt,
  createCustomer,
  type ConsentRates,
  type ConsentState,
  type Customer,
  type Device,
} from './customers.js';
import { CHANNELS, simulateMedia, type MediaTruth, type MediaWeek } from './media.js';
import { SIM_EXPERIMENTS, type SimExperiment } from './experiments.js';
import { SIM_OFFERS, type SimOffer } from './offers.js';
import { PROPENSITY_TRUTH, auc, expectedBayesAuc, truePurchaseProbability } from './propensity.js';
import {
  DEFAULT_DIRT,
  createEmitter,
  type Delivery,
  type DirtCounts,
  type DirtRates,
  type SourceName,
} from './wire.js';
import { loadCatalogue, type Product } from './brand.js';
import { assignVariation } from '../experiments/assignment.js';
import { simulateAudienceDay } from './experiment-audience.js';

export const SCALES = {
  small: { customers: 600, days: 150 },
  demo: { customers: 10_000, days: 365 },
  large: { customers: 60_000, days: 365 },
} as const;
export type Scale = keyof typeof SCALES;

export type WorldOptions = {
  seed: number;
  scale?: Scale;
  customers?: number;
  days?: number;
  /** Last day of the world (UTC, exclusive end at the next midnight). Fixed so output never depends on today. */
  endDate?: string;
  consentRates?: ConsentRates;
  dirt?: DirtRates;
  /** Called every simulated week with the share done (for a progress line). */
  onProgress?: (fraction: number) => void;
};

export type WorldSink = {
  event: (d: Delivery) => void;
};

export type ArmTruth = {
  id: string;
  name: string;
  weight: number;
  trueConversionRate: number;
  cost: { fixed: number; perExposure: number };
  assignedUsers: number;
  exposureEventsSent: number;
  converters: number;
  revenue: number;
};

export type WorldTruth = {
  generator: {
    name: 'attune-sim';
    version: 1;
    seed: number;
    scale: Scale | 'custom';
    customers: number;
    days: number;
    start: string;
    end: string;
  };
  events: {
    total: number;
    bySource: Record<SourceName, number>;
    byName: Record<string, number>;
    dirt: DirtCounts;
    dirtRates: DirtRates;
  };
  identity: {
    customers: number;
    signedUp: number;
    devices: number;
    multiDeviceCustomers: number;
    aliases: number;
    identifies: number;
  };
  consent: {
    configured: ConsentRates;
    initialGrantShare: Record<string, number>;
    withdrawals: Record<string, number>;
    erasureRequests: number;
    consentEvents: number;
  };
  experiments: (Omit<SimExperiment, 'variations' | 'window'> & {
    start: string;
    end: string;
    arms: ArmTruth[];
  })[];
  offers: SimOffer[];
  propensity: typeof PROPENSITY_TRUTH & {
    snapshot: string;
    cohort: number;
    meanProbability: number;
    positives: number;
    expectedBayesAuc: number;
    realizedBayesAuc: number;
  };
  media: MediaTruth;
  drift: {
    date: string;
    trafficMix: { mobileShareBefore: number; mobileShareAfter: number };
    feature: { name: string; meanBefore: number; meanAfter: number };
  };
  bots: { count: number; userAgent: string };
};

export type CustomerTruthRow = {
  userId: string;
  segment: string;
  coffeeAffinity: number;
  teaAffinity: number;
  gearAffinity: number;
  priceSensitivity: number;
  channelPreference: string;
  activityZ: number;
  signupAt: string;
  devices: number;
  analytics: boolean;
  personalization: boolean;
  marketing: boolean;
  ads: boolean;
  withdrew: string;
  erasureAt: string;
  p30: number | null;
  purchased30: 0 | 1 | null;
};

export type World = {
  truth: WorldTruth;
  media: MediaWeek[];
  customers: CustomerTruthRow[];
  experiments: SimExperiment[];
  offers: SimOffer[];
  erasures: { userId: string; requestedAt: string }[];
};

/** Drift: from this share of the span on, mobile traffic grows (a mobile-app campaign) and gear sells more. */
const DRIFT_AT = 0.7;
const BOT_UA = 'Mozilla/5.0 (compatible; CrawlyBot/2.1; +http://crawly.example/bot)';
const HOUR_WEIGHTS = [
  1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 2, 3, 3.2, 3, 3, 3.4, 3.2, 3, 3, 3.2, 3.5, 4, 4.4, 4.2, 3.4, 2.4, 1.6,
];

type State = {
  signedUp: boolean;
  identified: Set<number>;
  lastConsent: string | null;
  purchases: number[];
  sessions: number[];
  emailClicks: number[];
  exposed: Set<string>;
  forcedDays: number[];
  organicBlockedUntilDay: number;
  inCohort: boolean;
  erasureAnnounced: boolean;
  keepsSendingAfterErasure: boolean;
  /** The experiment arm whose converter this customer is, until the purchase is made. */
  owedArm: ArmTruth | null;
};

export function generateWorld(options: WorldOptions, sink: WorldSink): World {
  const scale = options.scale ?? 'small';
  const nCustomers = options.customers ?? SCALES[scale].customers;
  const days = options.days ?? SCALES[scale].days;
  const endDay = new Date(`${options.endDate ?? '2026-10-31'}T00:00:00Z`);
  const start = addDays(endDay, 1 - days);
  const startMs = start.getTime();
  const endMs = startMs + days * DAY_MS;
  const rates = options.consentRates ?? DEFAULT_CONSENT_RATES;
  const dirtRates = options.dirt ?? DEFAULT_DIRT;
  const root = createRng(options.seed);
  const catalogue = loadCatalogue();

  // Media over at least two years (an MMM needs them), ending with the world.
  const mediaWeeks = Math.max(104, Math.ceil(days / 7));
  const firstWeek = new Date(endMs - mediaWeeks * 7 * DAY_MS);
  const media = simulateMedia(root.fork('media'), firstWeek, mediaWeeks);
  const meanConversions =
    media.weeks.reduce((s, w) => s + w.conversions - w.controls, 0) / media.weeks.length;
  const mediaMultiplier = (t: number) => {
    const w = Math.min(mediaWeeks - 1, Math.max(0, Math.floor((t - firstWeek.getTime()) / (7 * DAY_MS))));
    const week = media.weeks[w];
    if (!week) return 1;
    const expected = week.baseline + CHANNELS.reduce((s, c) => s + week.contribution[c], 0);
    return expected / meanConversions / (1 + (0.1 * w) / 52); // trend is already in the calendar
  };

  const customerRng = root.fork('customers');
  const customers: Customer[] = Array.from({ length: nCustomers }, (_, i) =>
    createCustomer(customerRng.fork(String(i)), i + 1, startMs, endMs, rates),
  );
  const states: State[] = customers.map(() => ({
    signedUp: false,
    identified: new Set(),
    lastConsent: null,
    purchases: [],
    sessions: [],
    emailClicks: [],
    exposed: new Set(),
    forcedDays: [],
    organicBlockedUntilDay: -1,
    inCohort: false,
    erasureAnnounced: false,
    keepsSendingAfterErasure: false,
    owedArm: null,
  }));

  // Deliveries wait in a buffer and leave in order of arrival at the end of each simulated day.
  let pending: Delivery[] = [];
  const counted = {
    total: 0,
    bySource: { web: 0, app: 0, email: 0 } as Record<SourceName, number>,
    byName: {} as Record<string, number>,
  };
  const flush = (until: number) => {
    const ready = pending.filter((d) => d.receivedAtMs < until);
    pending = pending.filter((d) => d.receivedAtMs >= until);
    ready.sort((a, b) => a.receivedAtMs - b.receivedAtMs || (a.event.messageId < b.event.messageId ? -1 : 1));
    for (const d of ready) {
      counted.total++;
      counted.bySource[d.source]++;
      const name = d.event.type === 'track' ? (d.event.event ?? '') : d.event.type;
      counted.byName[name] = (counted.byName[name] ?? 0) + 1;
      sink.event(d);
    }
  };
  const eventRng = root.fork('events');
  const emitter = createEmitter(eventRng.fork('wire'), dirtRates, (d) => pending.push(d));
  // The small world's experiments also reach visitors of their own (see experiment-audience.ts),
  // drawn from their own random streams so the customers' events stay as they were.
  const withAudience = scale === 'small' && !options.customers && !options.days;
  const audienceRng = root.fork('experiment-audience');
  const audienceEmitter = createEmitter(audienceRng.fork('wire'), dirtRates, (d) => pending.push(d));

  const experiments = SIM_EXPERIMENTS.map((e) => ({
    def: e,
    startDay: Math.floor(e.window[0] * days),
    endDay: Math.floor(e.window[1] * days),
    arms: e.variations.map((v) => ({
      ...v,
      assignedUsers: 0,
      exposureEventsSent: 0,
      converters: 0,
      revenue: 0,
    })),
  }));
  const driftDay = Math.floor(DRIFT_AT * days);
  const snapshotDay = days - PROPENSITY_TRUTH.windowDays;
  const cohort: { i: number; p: number; y: 0 | 1 }[] = [];
  const identity = { aliases: 0, identifies: 0 };
  const consentStats = {
    consentEvents: 0,
    withdrawals: { marketing: 0, analytics: 0 } as Record<string, number>,
    erasures: [] as { userId: string; requestedAt: string }[],
  };
  const drift = { mobileBefore: [0, 0], mobileAfter: [0, 0], aovBefore: [0, 0], aovAfter: [0, 0] };
  const bots = Array.from({ length: Math.max(1, Math.round(nCustomers / 400)) }, () => uuid(eventRng));

  const consentKey = (s: ConsentState | null) =>
    s ? CONSENT_CATEGORIES.map((c) => (s[c] ? '1' : '0')).join('') : 'none';

  const pickProduct = (rng: Rng, c: Customer, afterDrift: boolean): Product => {
    const gearBoost = afterDrift ? 2.2 : 1;
    const cat = pickWeighted(rng, ['coffee', 'tea', 'gear', 'drinkware', 'subscription'] as const, [
      c.affinity.coffee,
      c.affinity.tea,
      c.affinity.gear * gearBoost,
      0.08,
      0.05,
    ]);
    const pool = catalogue.byCategory[cat] ?? catalogue.products;
    return pool[intBetween(rng, 0, pool.length - 1)] ?? catalogue.products[0]!;
  };

  function session(rng: Rng, c: Customer, s: State, day: number, at: number, forcedPurchase: boolean): void {
    const afterDrift = day >= driftDay;
    const afterErasure = c.erasureAt !== null && at >= c.erasureAt;
    const usable = c.devices.map((d, i) => ({ d, i }));
    const device: Device = s.signedUp
      ? pickWeighted(
          rng,
          usable,
          usable.map(({ d }) => (d.kind === 'mobile' && afterDrift ? 2.6 : 1)),
        ).d
      : c.devices[0]!;
    const deviceIndex = c.devices.indexOf(device);
    const source: SourceName = device.app ? 'app' : 'web';
    const consent = consentAt(c, at);
    const bucket = afterDrift ? drift.mobileAfter : drift.mobileBefore;
    bucket[0]! += device.kind === 'mobile' ? 1 : 0;
    bucket[1]! += 1;
    let t = at;
    const next = () => (t += intBetween(rng, 8, 90) * 1000);
    const base = { source, device, consent, afterErasure } as const;
    const ids = () => ({
      anonymousId: device.anonymousId,
      ...(s.signedUp && s.identified.has(deviceIndex) ? { userId: c.userId } : {}),
    });

    if (s.lastConsent !== consentKey(consent)) {
      s.lastConsent = consentKey(consent);
      consentStats.consentEvents++;
      emitter.emit({
        ...base,
        at: t,
        type: 'track',
        event: 'Segment Consent Preference Updated',
        ...ids(),
        properties: {},
      });
    }
    const pages = 1 + poisson(rng, 2.2);
    const path = pickWeighted(
      rng,
      ['/', '/shop/coffee', '/shop/tea', '/guides/pour-over', '/subscriptions', '/faq'],
      [4, 3, 2, 1, 1, 1],
    );
    emitter.emit({
      ...base,
      at: next(),
      type: 'page',
      name: 'Page Viewed',
      ...ids(),
      properties: { path, title: path === '/' ? 'Kettle & Crane' : path.split('/').pop(), referrer: '' },
    });

    // Log in (or sign up) partway through the session.
    if (!s.signedUp && at >= c.signupAt) {
      s.signedUp = true;
      s.identified.add(deviceIndex);
      identity.identifies++;
      emitter.emit({
        ...base,
        at: next(),
        type: 'track',
        event: 'Signed Up',
        anonymousId: device.anonymousId,
        userId: c.userId,
        properties: { method: pickWeighted(rng, ['email', 'google', 'apple'], [0.6, 0.25, 0.15]) },
      });
      emitter.emit({
        ...base,
        at: next(),
        type: 'identify',
        anonymousId: device.anonymousId,
        userId: c.userId,
        traits: { email: c.email, first_name: c.firstName, plan: c.segment },
      });
    } else if (s.signedUp && !s.identified.has(deviceIndex) && bernoulli(rng, 0.7)) {
      s.identified.add(deviceIndex);
      identity.identifies++;
      identity.aliases++;
      emitter.emit({ ...base, at: next(), type: 'alias', previousId: device.anonymousId, userId: c.userId });
      emitter.emit({
        ...base,
        at: next(),
        type: 'identify',
        anonymousId: device.anonymousId,
        userId: c.userId,
        traits: { email: c.email },
      });
    }

    // Experiments: first identified session inside the window, with consent for the purpose.
    if (s.signedUp && s.identified.has(deviceIndex)) {
      for (const x of experiments) {
        if (day < x.startDay || day >= x.endDay || s.exposed.has(x.def.key) || afterErasure) continue;
        if (!consent[x.def.purpose]) continue;
        const arm = assignVariation(
          x.def.seed,
          c.userId,
          x.def.variations.map((v) => v.weight),
        );
        const a = x.arms[arm];
        if (!a) continue;
        s.exposed.add(x.def.key);
        a.assignedUsers++;
        const lost =
          x.def.lostExposureShare?.variation === a.id && bernoulli(rng, x.def.lostExposureShare.share);
        if (!lost) {
          a.exposureEventsSent++;
          emitter.emit({
            ...base,
            at: next(),
            type: 'track',
            event: 'Experiment Viewed',
            ...ids(),
            properties: { experiment_id: x.def.key, variation_id: a.id },
          });
        }
        s.organicBlockedUntilDay = Math.max(s.organicBlockedUntilDay, day + x.def.attributionDays);
        if (bernoulli(rng, a.trueConversionRate)) {
          a.converters++;
          // Bought within the attribution window; on the exposure day itself, later in this session.
          const offset = intBetween(rng, 0, x.def.attributionDays - 1);
          if (offset === 0) forcedPurchase = true;
          else s.forcedDays.push(day + offset);
          s.owedArm = a;
        }
      }
    }

    const viewed: Product[] = [];
    for (let k = 0, n = 1 + poisson(rng, 1.4); k < n; k++) {
      const p = pickProduct(rng, c, afterDrift);
      viewed.push(p);
      emitter.emit({
        ...base,
        at: next(),
        type: 'track',
        event: 'Product Viewed',
        ...ids(),
        properties: { product_id: p.sku, category: p.category, price: p.price },
      });
    }
    for (let k = 1; k < pages; k++) {
      emitter.emit({
        ...base,
        at: next(),
        type: 'page',
        name: 'Page Viewed',
        ...ids(),
        properties: {
          path: `/products/${(viewed[k % viewed.length] ?? viewed[0]!).sku.toLowerCase()}`,
          referrer: '',
        },
      });
    }

    const organicAllowed =
      day > s.organicBlockedUntilDay && !s.inCohort && !(day >= snapshotDay && s.signedUp);
    const buys =
      forcedPurchase ||
      (organicAllowed &&
        bernoulli(rng, Math.min(0.9, 0.12 * (1.25 - 0.5 * c.priceSensitivity) * mediaMultiplier(at))) &&
        bernoulli(rng, 0.6) &&
        bernoulli(rng, 0.62));
    const adds = buys || (organicAllowed && bernoulli(rng, 0.08));
    if (adds) {
      const items = viewed
        .slice(0, 1 + (bernoulli(rng, 0.3) ? 1 : 0))
        .map((p) => ({ product_id: p.sku, price: p.price, quantity: bernoulli(rng, 0.2) ? 2 : 1 }));
      for (const it of items)
        emitter.emit({
          ...base,
          at: next(),
          type: 'track',
          event: 'Product Added',
          ...ids(),
          properties: it,
        });
      const value = Math.round(items.reduce((v, it) => v + it.price * it.quantity, 0) * 100) / 100;
      const orderId = `o_${uuid(rng).slice(0, 13)}`;
      if (buys || bernoulli(rng, 0.4))
        emitter.emit({
          ...base,
          at: next(),
          type: 'track',
          event: 'Checkout Started',
          ...ids(),
          properties: { order_id: orderId, value },
        });
      if (buys) {
        emitter.emit({
          ...base,
          at: next(),
          type: 'track',
          event: 'Order Completed',
          ...ids(),
          userId: s.signedUp ? c.userId : undefined,
          properties: { order_id: orderId, revenue: value, currency: 'USD', products: items },
        });
        s.purchases.push(at);
        const aov = afterDrift ? drift.aovAfter : drift.aovBefore;
        aov[0]! += value;
        aov[1]! += 1;
        if (forcedPurchase && s.owedArm) {
          s.owedArm.revenue += value;
          s.owedArm = null;
        }
      }
    }
    s.sessions.push(at);
    // Keep only the history the propensity features look at, so memory does not grow with time.
    if (s.sessions.length > 64) s.sessions = s.sessions.filter((x) => at - x <= 30 * DAY_MS);
    if (s.purchases.length > 32)
      s.purchases = s.purchases.filter((x, i, a) => at - x <= 180 * DAY_MS || i === a.length - 1);
  }

  const dayRng = root.fork('days');
  for (let day = 0; day < days; day++) {
    const dayStart = startMs + day * DAY_MS;
    const date = new Date(dayStart);
    const rng = dayRng.fork(String(day));
    const traffic = trafficFactor(date, start);
    const mm = mediaMultiplier(dayStart);

    if (day === snapshotDay) {
      for (let i = 0; i < customers.length; i++) {
        const c = customers[i]!;
        const s = states[i]!;
        if (!s.signedUp || (c.erasureAt !== null && c.erasureAt < dayStart)) continue;
        const since = (ms: number) => (dayStart - ms) / DAY_MS;
        const last = s.purchases.length ? s.purchases[s.purchases.length - 1]! : c.signupAt;
        const p = truePurchaseProbability({
          purchases180d: s.purchases.filter((x) => since(x) <= 180).length,
          sessions30d: s.sessions.filter((x) => since(x) <= 30).length,
          daysSinceLastPurchase: Math.max(0, since(last)),
          emailClicks90d: s.emailClicks.filter((x) => since(x) <= 90).length,
          segment: c.segment,
          activityZ: c.activityZ,
        });
        const y = bernoulli(rng, p) ? 1 : 0;
        s.inCohort = true;
        s.forcedDays = s.forcedDays.filter((d) => d < snapshotDay);
        if (y) s.forcedDays.push(snapshotDay + intBetween(rng, 0, PROPENSITY_TRUTH.windowDays - 1));
        cohort.push({ i, p, y });
      }
    }

    for (let i = 0; i < customers.length; i++) {
      const c = customers[i]!;
      const s = states[i]!;
      const cr = rng.fork(String(i));
      if (
        c.erasureAt !== null &&
        c.erasureAt < dayStart + DAY_MS &&
        !s.erasureAnnounced &&
        c.erasureAt >= startMs
      ) {
        s.erasureAnnounced = true;
        s.keepsSendingAfterErasure = bernoulli(cr, 0.3);
        consentStats.erasures.push({ userId: c.userId, requestedAt: new Date(c.erasureAt).toISOString() });
      }
      const erased = c.erasureAt !== null && c.erasureAt < dayStart;
      if (erased && !s.keepsSendingAfterErasure) continue;
      const forcedToday = s.forcedDays.includes(day);
      if (forcedToday) s.forcedDays = s.forcedDays.filter((d) => d !== day);
      let rate: number;
      // Drift: a mobile-app campaign from the drift date makes mobile-first customers visit more often.
      const mobileBoost = day >= driftDay && c.devices[0]?.kind === 'mobile' ? 1.8 : 1;
      if (s.signedUp || dayStart + DAY_MS > c.signupAt) rate = c.sessionRate * traffic * mm * mobileBoost;
      else if (c.signupAt - dayStart < 30 * DAY_MS)
        rate = 0.4 * c.sessionRate * traffic; // anonymous browsing before signing up
      else rate = 0;
      if (!forcedToday && !bernoulli(cr, Math.min(0.9, rate))) continue;
      const hour = pickWeighted(
        cr,
        HOUR_WEIGHTS.map((_, h) => h),
        HOUR_WEIGHTS,
      );
      let at = dayStart + hour * 3_600_000 + intBetween(cr, 0, 3_599_000);
      if (!s.signedUp && c.signupAt > at && c.signupAt < dayStart + DAY_MS) at = Math.max(at, c.signupAt);
      session(cr, c, s, day, at, forcedToday && s.signedUp);
    }

    // Weekly email campaign on Tuesdays, from the email service (a server-side source).
    if (date.getUTCDay() === 2) {
      const campaign = `cmp_${isoDay(date)}`;
      for (let i = 0; i < customers.length; i++) {
        const c = customers[i]!;
        const s = states[i]!;
        const at = dayStart + 10 * 3_600_000 + intBetween(rng, 0, 7_200_000);
        if (!s.signedUp || (c.erasureAt !== null && c.erasureAt < at) || !consentAt(c, at).marketing)
          continue;
        if (!bernoulli(rng, Math.min(0.9, 0.2 * Math.exp(0.5 * c.activityZ)))) continue;
        const consent = consentAt(c, at);
        emitter.emit({
          source: 'email',
          at,
          consent,
          type: 'track',
          event: 'Email Opened',
          userId: c.userId,
          properties: { campaign_id: campaign },
        });
        if (bernoulli(rng, 0.3)) {
          s.emailClicks.push(at);
          if (s.emailClicks.length > 32) s.emailClicks = s.emailClicks.filter((x) => at - x <= 90 * DAY_MS);
          emitter.emit({
            source: 'email',
            at: at + 60_000,
            consent,
            type: 'track',
            event: 'Email Link Clicked',
            userId: c.userId,
            properties: { campaign_id: campaign, link_url: 'https://kettleandcrane.example/shop' },
          });
        }
      }
    }

    // Bots crawl the site anonymously, without consent signals.
    for (const botId of bots) {
      if (!bernoulli(rng, 0.4)) continue;
      const at0 = dayStart + intBetween(rng, 0, 20) * 3_600_000;
      const device: Device = {
        anonymousId: botId,
        kind: 'desktop',
        app: false,
        clockSkewMs: 0,
        userAgent: BOT_UA,
      };
      for (let k = 0, n = intBetween(rng, 10, 30); k < n; k++) {
        emitter.emit({
          source: 'web',
          at: at0 + k * 2000,
          device,
          consent: null,
          bot: true,
          type: 'page',
          name: 'Page Viewed',
          anonymousId: botId,
          properties: {
            path: `/products/${catalogue.products[k % catalogue.products.length]!.sku.toLowerCase()}`,
          },
        });
      }
    }
    if (withAudience)
      simulateAudienceDay(
        audienceRng.fork(String(day)),
        audienceEmitter,
        catalogue,
        experiments,
        day,
        dayStart,
      );
    flush(dayStart + DAY_MS);
    if (day % 7 === 6) options.onProgress?.((day + 1) / days);
  }
  flush(Number.POSITIVE_INFINITY);
  options.onProgress?.(1);

  for (const c of customers)
    for (const w of c.withdrawals)
      if (w.at < endMs)
        consentStats.withdrawals[w.category] = (consentStats.withdrawals[w.category] ?? 0) + 1;
  const cohortP = cohort.map((r) => r.p);
  const cohortY = cohort.map((r) => r.y);
  const cohortByIndex = new Map(cohort.map((r) => [r.i, r]));
  const ratio = (a: number[]) => (a[1] ? (a[0] ?? 0) / a[1] : 0);

  const truth: WorldTruth = {
    generator: {
      name: 'attune-sim',
      version: 1,
      seed: options.seed,
      scale: options.customers || options.days ? 'custom' : scale,
      customers: nCustomers,
      days,
      start: isoDay(start),
      end: isoDay(endDay),
    },
    events: {
      total: counted.total,
      bySource: counted.bySource,
      byName: Object.fromEntries(Object.entries(counted.byName).sort()),
      dirt: addDirtCounts(emitter.counts, audienceEmitter.counts),
      dirtRates,
    },
    identity: {
      customers: nCustomers,
      signedUp: states.filter((s) => s.signedUp).length,
      devices: customers.reduce((n, c) => n + c.devices.length, 0),
      multiDeviceCustomers: customers.filter((c) => c.devices.length > 1).length,
      ...identity,
    },
    consent: {
      configured: rates,
      initialGrantShare: Object.fromEntries(
        CONSENT_CATEGORIES.map((k) => [k, customers.filter((c) => c.consent[k]).length / nCustomers]),
      ),
      withdrawals: consentStats.withdrawals,
      erasureRequests: consentStats.erasures.length,
      consentEvents: consentStats.consentEvents,
    },
    experiments: experiments.map((x) => {
      const { variations: _v, window: _w, ...rest } = x.def;
      return {
        ...rest,
        start: isoDay(addDays(start, x.startDay)),
        end: isoDay(addDays(start, x.endDay)),
        arms: x.arms.map((a) => ({ ...a, revenue: Math.round(a.revenue * 100) / 100 })),
      };
    }),
    offers: SIM_OFFERS,
    propensity: {
      ...PROPENSITY_TRUTH,
      snapshot: isoDay(addDays(start, snapshotDay)),
      cohort: cohort.length,
      meanProbability: cohortP.reduce((a, b) => a + b, 0) / Math.max(1, cohort.length),
      positives: cohortY.reduce<number>((a, b) => a + b, 0),
      expectedBayesAuc: cohort.length ? expectedBayesAuc(cohortP) : 0,
      realizedBayesAuc: cohort.length ? auc(cohortP, cohortY) : 0,
    },
    media: media.truth,
    drift: {
      date: isoDay(addDays(start, driftDay)),
      trafficMix: {
        mobileShareBefore: ratio(drift.mobileBefore),
        mobileShareAfter: ratio(drift.mobileAfter),
      },
      feature: {
        name: 'Order Completed.revenue',
        meanBefore: ratio(drift.aovBefore),
        meanAfter: ratio(drift.aovAfter),
      },
    },
    bots: { count: bots.length, userAgent: BOT_UA },
  };
  const customerRows: CustomerTruthRow[] = customers.map((c, i) => {
    const r = cohortByIndex.get(i);
    return {
      userId: c.userId,
      segment: c.segment,
      coffeeAffinity: round(c.affinity.coffee),
      teaAffinity: round(c.affinity.tea),
      gearAffinity: round(c.affinity.gear),
      priceSensitivity: round(c.priceSensitivity),
      channelPreference: c.channelPreference,
      activityZ: round(c.activityZ),
      signupAt: new Date(c.signupAt).toISOString(),
      devices: c.devices.length,
      ...c.consent,
      withdrew: c.withdrawals.map((w) => `${w.category}@${new Date(w.at).toISOString()}`).join(';'),
      erasureAt: c.erasureAt !== null ? new Date(c.erasureAt).toISOString() : '',
      p30: r ? round(r.p) : null,
      purchased30: r ? r.y : null,
    };
  });
  return {
    truth,
    media: media.weeks,
    customers: customerRows,
    experiments: SIM_EXPERIMENTS,
    offers: SIM_OFFERS,
    erasures: consentStats.erasures,
  };
}

function addDirtCounts(a: DirtCounts, b: DirtCounts): DirtCounts {
  return {
    duplicates: a.duplicates + b.duplicates,
    late: a.late + b.late,
    violations: {
      missingProperty: a.violations.missingProperty + b.violations.missingProperty,
      wrongType: a.violations.wrongType + b.violations.wrongType,
    },
    missingConsent: a.missingConsent + b.missingConsent,
    skewedDeviceEvents: a.skewedDeviceEvents + b.skewedDeviceEvents,
    botEvents: a.botEvents + b.botEvents,
    afterErasure: a.afterErasure + b.afterErasure,
    withoutAnalyticsConsent: a.withoutAnalyticsConsent + b.withoutAnalyticsConsent,
  };
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;
