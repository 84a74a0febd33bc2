// Builds events in the CDP wire format (Segment's HTTP API spec), with the dirt real pipelines get:
// clock-skewed devices, late and duplicate deliveries, tracking-plan violations, missing consent.
import { type Rng, bernoulli, intBetween, uniform, uuid } from './rng.js';
import type { ConsentState, Device } from './customers.js';

export type SourceName = 'web' | 'app' | 'email';
export const SOURCES: SourceName[] = ['web', 'app', 'email'];

export type WireEvent = {
  type: 'track' | 'page' | 'identify' | 'alias';
  messageId: string;
  anonymousId?: string;
  userId?: string;
  previousId?: string;
  event?: string;
  name?: string;
  properties?: Record<string, unknown>;
  traits?: Record<string, unknown>;
  context: Record<string, unknown>;
  timestamp?: string;
  originalTimestamp?: string;
  sentAt?: string;
  receivedAt: string;
  integrations: Record<string, boolean>;
};

export type Delivery = { source: SourceName; receivedAtMs: number; event: WireEvent };

export type DirtRates = {
  duplicate: number;
  late: number;
  trackingPlanViolation: number;
  missingConsent: number;
};

export const DEFAULT_DIRT: DirtRates = {
  duplicate: 0.02,
  late: 0.01,
  trackingPlanViolation: 0.004,
  missingConsent: 0.02,
};

export type DirtCounts = {
  duplicates: number;
  late: number;
  violations: { missingProperty: number; wrongType: number };
  missingConsent: number;
  skewedDeviceEvents: number;
  botEvents: number;
  afterErasure: number;
  withoutAnalyticsConsent: number;
};

export const emptyDirtCounts = (): DirtCounts => ({
  duplicates: 0,
  late: 0,
  violations: { missingProperty: 0, wrongType: 0 },
  missingConsent: 0,
  skewedDeviceEvents: 0,
  botEvents: 0,
  afterErasure: 0,
  withoutAnalyticsConsent: 0,
});

const LIBRARIES: Record<SourceName, { name: string; version: string }> = {
  web: { name: 'analytics.js', version: '5.2.1' },
  app: { name: 'analytics-ios', version: '4.1.8' },
  email: { name: 'analytics-node', version: '2.1.2' },
};

const iso = (ms: number) => new Date(ms).toISOString();

/** Required properties the plan checks; the simulator breaks one now and then. */
const REQUIRED_NUMBER: Record<string, string> = {
  'Product Viewed': 'price',
  'Product Added': 'price',
  'Order Completed': 'revenue',
  'Checkout Started': 'value',
};

export type Emitter = {
  emit: (
    e: {
      source: SourceName;
      at: number;
      device?: Device;
      consent?: ConsentState | null;
      bot?: boolean;
      afterErasure?: boolean;
    } & Pick<WireEvent, 'type'> &
      Partial<WireEvent>,
  ) => void;
  counts: DirtCounts;
};

export function createEmitter(rng: Rng, dirt: DirtRates, deliver: (d: Delivery) => void): Emitter {
  const counts = emptyDirtCounts();
  return {
    counts,
    emit({ source, at, device, consent, bot, afterErasure, ...fields }) {
      const skew = device?.clockSkewMs ?? 0;
      const late = bernoulli(rng, dirt.late);
      const receivedAtMs =
        at + (late ? Math.round(uniform(rng, 1, 72) * 3_600_000) : intBetween(rng, 150, 2500));
      if (late) counts.late++;
      const context: Record<string, unknown> = { library: LIBRARIES[source] };
      if (device) {
        context.userAgent = device.userAgent;
        context.device = { type: device.kind };
        context.ip = `198.51.100.${intBetween(rng, 1, 254)}`;
      }
      const missing = consent !== null && bernoulli(rng, dirt.missingConsent);
      if (consent && !missing) context.consent = { categoryPreferences: { ...consent } };
      else counts.missingConsent++;
      if (!consent || missing || !consent.analytics) counts.withoutAnalyticsConsent++;
      if (skew !== 0) counts.skewedDeviceEvents++;
      if (bot) counts.botEvents++;
      if (afterErasure) counts.afterErasure++;
      const properties = fields.properties ? { ...fields.properties } : undefined;
      if (
        properties &&
        fields.type === 'track' &&
        fields.event &&
        bernoulli(rng, dirt.trackingPlanViolation)
      ) {
        const numeric = REQUIRED_NUMBER[fields.event];
        if (numeric && bernoulli(rng, 0.5)) {
          properties[numeric] = String(properties[numeric]);
          counts.violations.wrongType++;
        } else {
          const first = Object.keys(properties)[0];
          if (first) {
            delete properties[first];
            counts.violations.missingProperty++;
          }
        }
      }
      const event: WireEvent = {
        ...fields,
        ...(properties ? { properties } : {}),
        messageId: uuid(rng),
        context,
        ...(source === 'email'
          ? { timestamp: iso(at) }
          : { originalTimestamp: iso(at + skew), sentAt: iso(receivedAtMs - 40 + skew) }),
        receivedAt: iso(receivedAtMs),
        integrations: {},
      };
      deliver({ source, receivedAtMs, event });
      if (bernoulli(rng, dirt.duplicate)) {
        counts.duplicates++;
        const again = receivedAtMs + Math.round(uniform(rng, 1, 6 * 3600) * 1000);
        deliver({
          source,
          receivedAtMs: again,
          event: {
            ...event,
            ...(event.sentAt ? { sentAt: iso(again - 40 + skew) } : {}),
            receivedAt: iso(again),
          },
        });
      }
    },
  };
}
