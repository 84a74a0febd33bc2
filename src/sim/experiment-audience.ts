// The small world's experiment audience. Its 600 customers bring each experiment 50–160 units an
// arm, far too few for any verdict (6% → 9% needs about 1,200 an arm for 80% power), so a
// newcomer's first run would show nothing happening. In the small world (and only there) each
// experiment also reaches visitors who come for it alone (a campaign's landing traffic): they
// arrive on a day inside its window with consent, identify themselves, are exposed through the same hash as
// customers, and buy at their arm's true rate inside the attribution window. Nothing else about
// them is simulated, so the rest of the world is the customers' as before.
import { type Rng, bernoulli, intBetween, pick, uuid } from './rng.js';
import { DAY_MS } from './calendar.js';
import type { ConsentState, Device } from './customers.js';
import type { Catalogue } from './brand.js';
import type { Emitter } from './wire.js';
import { assignVariation } from '../experiments/assignment.js';

/** Visitors per experiment in the small world: email's lift is then found with ~90% power. */
export const SMALL_WORLD_AUDIENCE: Record<string, number> = {
  'email-subject-line': 3000,
  'landing-hero': 300,
  'checkout-button': 2000, // enough for its lost exposures to be flagged (p < 0.001)
};

const USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';

type AudienceExperiment = {
  def: {
    key: string;
    seed: string;
    variations: { weight: number }[];
    attributionDays: number;
    lostExposureShare?: { variation: string; share: number };
  };
  startDay: number;
  endDay: number;
  arms: {
    id: string;
    trueConversionRate: number;
    assignedUsers: number;
    exposureEventsSent: number;
    converters: number;
    revenue: number;
  }[];
};

/** Emits one day's audience visits (and their purchases, dated later) for every running experiment. */
export function simulateAudienceDay(
  rng: Rng,
  emitter: Emitter,
  catalogue: Catalogue,
  experiments: AudienceExperiment[],
  day: number,
  dayStart: number,
): void {
  for (const x of experiments) {
    const total = SMALL_WORLD_AUDIENCE[x.def.key] ?? 0;
    const span = x.endDay - x.startDay;
    if (!total || day < x.startDay || day >= x.endDay) continue;
    // Spread evenly: visitor k arrives on day startDay + floor(k · span / total).
    const first = Math.ceil(((day - x.startDay) * total) / span);
    const last = Math.ceil(((day - x.startDay + 1) * total) / span);
    for (let k = first; k < last; k++) visit(rng.fork(`${x.def.key}-${k}`), x, k);
  }

  function visit(r: Rng, x: AudienceExperiment, k: number): void {
    const userId = `kc_visitor_${x.def.key}_${String(k).padStart(5, '0')}`;
    const kind = pick(r, ['desktop', 'mobile'] as const);
    const device: Device = { anonymousId: uuid(r), kind, app: false, clockSkewMs: 0, userAgent: USER_AGENT };
    const consent: ConsentState = {
      analytics: true,
      marketing: true,
      personalization: bernoulli(r, 0.75),
      ads: bernoulli(r, 0.46),
    };
    let at = dayStart + intBetween(r, 7, 22) * 3_600_000 + intBetween(r, 0, 3_599) * 1000;
    const next = () => (at += intBetween(r, 8, 90) * 1000);
    const base = { source: 'web', device, consent, afterErasure: false } as const;
    const ids = { anonymousId: device.anonymousId, userId };
    emitter.emit({
      ...base,
      at,
      type: 'identify',
      ...ids,
      traits: { email: `${userId}@example.com` },
    });
    const arm =
      x.arms[
        assignVariation(
          x.def.seed,
          userId,
          x.def.variations.map((v) => v.weight),
        )
      ];
    if (!arm) return;
    arm.assignedUsers++;
    const lost = x.def.lostExposureShare?.variation === arm.id && bernoulli(r, x.def.lostExposureShare.share);
    if (!lost) {
      arm.exposureEventsSent++;
      emitter.emit({
        ...base,
        at: next(),
        type: 'track',
        event: 'Experiment Viewed',
        ...ids,
        properties: { experiment_id: x.def.key, variation_id: arm.id },
      });
    }
    if (!bernoulli(r, arm.trueConversionRate)) return;
    arm.converters++;
    const product = pick(r, catalogue.products);
    const revenue = product.price;
    arm.revenue += revenue;
    // Bought within the attribution window: the same session, or a later day's visit.
    const offset = intBetween(r, 0, x.def.attributionDays - 1);
    const when = offset === 0 ? next() : at + offset * DAY_MS;
    emitter.emit({
      ...base,
      at: when,
      type: 'track',
      event: 'Order Completed',
      ...ids,
      properties: {
        order_id: `o_${uuid(r).slice(0, 13)}`,
        revenue,
        currency: 'USD',
        products: [{ product_id: product.sku, price: product.price, quantity: 1 }],
      },
    });
  }
}
