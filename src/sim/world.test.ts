// The simulator checked against its own stated truth by independent estimates made from the
// events it emits (as a pipeline would see them), with stated sampling tolerances.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import { generateWorld, type World } from './world.js';
import type { Delivery, WireEvent } from './wire.js';
import { DEFAULT_CONSENT_RATES } from './customers.js';
import { CHANNELS, CHANNEL_TRUTH, geometricAdstock, hill, simulateMedia } from './media.js';
import { createRng } from './rng.js';
import { auc, expectedBayesAuc } from './propensity.js';
import { fromRoot } from '../platform/paths.js';

const DAY = 86_400_000;

function collect(seed: number, customers: number, days: number): { world: World; deliveries: Delivery[] } {
  const deliveries: Delivery[] = [];
  const world = generateWorld({ seed, customers, days }, { event: (d) => deliveries.push(d) });
  return { world, deliveries };
}

/** Event time as a pipeline would correct it: receivedAt − (sentAt − originalTimestamp). */
function eventTime(e: WireEvent): number {
  if (e.timestamp) return Date.parse(e.timestamp);
  return Date.parse(e.receivedAt) - (Date.parse(e.sentAt!) - Date.parse(e.originalTimestamp!));
}

/** |observed − expected| in standard errors of a proportion. */
const zOf = (successes: number, n: number, p: number) =>
  Math.abs(successes / n - p) / Math.sqrt((p * (1 - p)) / n);

describe('the simulated world', () => {
  let world: World;
  let events: WireEvent[];
  let unique: WireEvent[];

  beforeAll(() => {
    const r = collect(11, 5000, 140);
    world = r.world;
    events = r.deliveries.map((d) => d.event);
    const seen = new Set<string>();
    unique = events.filter((e) => (seen.has(e.messageId) ? false : (seen.add(e.messageId), true)));
  });

  it('is byte-identical for the same seed and different for another', () => {
    const digest = (seed: number) => {
      const h = crypto.createHash('sha256');
      const w = generateWorld(
        { seed, customers: 150, days: 40 },
        { event: (d) => h.update(JSON.stringify(d.event)) },
      );
      h.update(JSON.stringify(w.truth));
      return h.digest('hex');
    };
    expect(digest(3)).toBe(digest(3));
    expect(digest(3)).not.toBe(digest(4));
  });

  it('delivers events in arrival order, in the CDP wire format', () => {
    for (let i = 1; i < events.length; i++)
      expect(Date.parse(events[i]!.receivedAt)).toBeGreaterThanOrEqual(Date.parse(events[i - 1]!.receivedAt));
    for (const e of events.slice(0, 2000)) {
      expect(e.messageId).toMatch(/^[0-9a-f-]{36}$/);
      expect(e.anonymousId ?? e.userId).toBeTruthy();
      expect(['track', 'page', 'identify', 'alias']).toContain(e.type);
      if (e.type === 'track') expect(typeof e.event).toBe('string');
    }
    expect(world.truth.events.total).toBe(events.length);
  });

  it('grants consent at the configured rates, read from each person’s first consent event', () => {
    const first = new Map<string, Record<string, boolean>>();
    for (const e of [...unique].sort((a, b) => eventTime(a) - eventTime(b))) {
      const prefs = (e.context.consent as { categoryPreferences?: Record<string, boolean> } | undefined)
        ?.categoryPreferences;
      if (
        e.event === 'Segment Consent Preference Updated' &&
        prefs &&
        e.anonymousId &&
        !first.has(e.anonymousId)
      )
        first.set(e.anonymousId, prefs);
    }
    // First consent event per device; a person's devices share one choice, so count people by the consent state of their first device only.
    const byPerson = new Map<string, Record<string, boolean>>();
    const deviceToUser = new Map<string, string>();
    for (const e of unique)
      if (e.type === 'identify' && e.anonymousId && e.userId) deviceToUser.set(e.anonymousId, e.userId);
    for (const [anon, prefs] of first) {
      const user = deviceToUser.get(anon);
      if (user && !byPerson.has(user)) byPerson.set(user, prefs);
    }
    const n = byPerson.size;
    expect(n).toBeGreaterThan(3000);
    for (const cat of ['analytics', 'personalization', 'marketing', 'ads'] as const) {
      const granted = [...byPerson.values()].filter((p) => p[cat]).length;
      // People who withdrew before their first session show the withdrawn state; allow for that small bias with z < 4.
      expect(zOf(granted, n, DEFAULT_CONSENT_RATES[cat])).toBeLessThan(4);
    }
  });

  it('puts the stated dirt in the stated proportions', () => {
    const dupShare = (events.length - unique.length) / unique.length;
    expect(Math.abs(dupShare - 0.02)).toBeLessThan(0.004);
    const late = unique.filter((e) => Date.parse(e.receivedAt) - eventTime(e) > 3_600_000).length;
    expect(zOf(late, unique.length, 0.01)).toBeLessThan(4);
    const skewedDevices = new Set<string>();
    const devices = new Set<string>();
    for (const e of unique) {
      if (!e.sentAt || !e.anonymousId || e.context.userAgent === world.truth.bots.userAgent) continue;
      devices.add(e.anonymousId);
      if (Math.abs(Date.parse(e.sentAt) - Date.parse(e.receivedAt)) > 60_000)
        skewedDevices.add(e.anonymousId);
    }
    expect(zOf(skewedDevices.size, devices.size, 0.03)).toBeLessThan(4);
    const bots = unique.filter((e) => e.context.userAgent === world.truth.bots.userAgent).length;
    expect(bots).toBe(world.truth.events.dirt.botEvents);
    expect(bots / unique.length).toBeGreaterThan(0.01);
    // Tracking-plan violations, found by checking events against the plan itself.
    const plan = JSON.parse(fs.readFileSync(fromRoot('fixtures/brand/tracking-plan.json'), 'utf8')) as {
      events: { name: string; properties: Record<string, { type: string; required?: boolean }> }[];
    };
    let violations = 0;
    let tracked = 0;
    for (const e of unique) {
      const spec = plan.events.find((p) => p.name === (e.type === 'page' ? 'Page Viewed' : e.event));
      if (!spec || e.context.userAgent === world.truth.bots.userAgent) continue;
      // The stated rate applies to track events that carry properties.
      if (e.type === 'track' && Object.keys(spec.properties).length) tracked++;
      const props = e.properties ?? {};
      const bad = Object.entries(spec.properties).some(
        ([k, p]) =>
          (p.required && !(k in props)) ||
          (k in props && p.type === 'number' && typeof props[k] !== 'number'),
      );
      if (bad) violations++;
    }
    const d = world.truth.events.dirt.violations;
    expect(violations).toBe(d.missingProperty + d.wrongType);
    expect(zOf(violations, tracked, 0.004)).toBeLessThan(4.5);
  });

  it('realizes each experiment arm’s true conversion rate within sampling error, measured from events', () => {
    for (const x of world.truth.experiments) {
      const exposure = new Map<string, { arm: string; at: number }>();
      for (const e of unique) {
        if (e.event !== 'Experiment Viewed' || e.properties?.experiment_id !== x.key || !e.userId) continue;
        if (!exposure.has(e.userId))
          exposure.set(e.userId, { arm: String(e.properties.variation_id), at: eventTime(e) });
      }
      const converted = new Set<string>();
      for (const e of unique) {
        if (e.event !== 'Order Completed' || !e.userId) continue;
        const ex = exposure.get(e.userId);
        const t = eventTime(e);
        if (ex && t >= ex.at - 60_000 && t < ex.at + x.attributionDays * DAY) converted.add(e.userId);
      }
      for (const arm of x.arms) {
        const users = [...exposure].filter(([, v]) => v.arm === arm.id).map(([u]) => u);
        const conv = users.filter((u) => converted.has(u)).length;
        expect(users.length).toBeGreaterThan(150);
        expect(zOf(conv, users.length, arm.trueConversionRate)).toBeLessThan(3.5);
      }
    }
  });

  it('flags sample-ratio mismatch only in the flagged scenario (chi-square on exposure users)', () => {
    for (const x of world.truth.experiments) {
      const users = new Map<string, string>();
      for (const e of unique)
        if (e.event === 'Experiment Viewed' && e.properties?.experiment_id === x.key && e.userId)
          users.set(e.userId, String(e.properties.variation_id));
      const counts = x.arms.map((a) => [...users.values()].filter((v) => v === a.id).length);
      const total = counts.reduce((a, b) => a + b, 0);
      const weightSum = x.arms.reduce((s, a) => s + a.weight, 0);
      const stat = counts.reduce(
        (s, c, i) =>
          s + (c - (x.arms[i]!.weight / weightSum) * total) ** 2 / ((x.arms[i]!.weight / weightSum) * total),
        0,
      );
      const p = 1 - chisquareCdf(stat, counts.length - 1);
      if (x.scenario === 'sample-ratio-mismatch') expect(p).toBeLessThan(0.001);
      else expect(p).toBeGreaterThan(0.001);
    }
  });

  it('makes 30-day purchases at the true propensities, and the realized AUC matches the best achievable', () => {
    const snapshot = Date.parse(`${world.truth.propensity.snapshot}T00:00:00Z`);
    const buyers = new Set(
      unique
        .filter((e) => e.event === 'Order Completed' && e.userId && eventTime(e) >= snapshot)
        .map((e) => e.userId!),
    );
    const cohort = world.customers.filter((c) => c.p30 !== null);
    const ps = cohort.map((c) => c.p30!);
    const ys = cohort.map((c) => (buyers.has(c.userId) ? 1 : 0));
    const meanP = ps.reduce((a, b) => a + b, 0) / ps.length;
    const positives = ys.reduce<number>((a, b) => a + b, 0);
    const sd = Math.sqrt(ps.reduce((s, p) => s + p * (1 - p), 0));
    expect(Math.abs(positives - meanP * ps.length) / sd).toBeLessThan(3.5);
    const expected = expectedBayesAuc(ps);
    expect(expected).toBeCloseTo(world.truth.propensity.expectedBayesAuc, 5); // p30 is written rounded to 1e-6
    expect(Math.abs(auc(ps, ys) - expected)).toBeLessThan(0.05);
  });

  it('records a drift in traffic mix and order value that the events show', () => {
    const driftAt = Date.parse(`${world.truth.drift.date}T00:00:00Z`);
    const share = (after: boolean) => {
      const pages = unique.filter(
        (e) =>
          e.type === 'page' &&
          e.context.device &&
          e.context.userAgent !== world.truth.bots.userAgent &&
          eventTime(e) >= driftAt === after,
      );
      return (
        pages.filter((e) => (e.context.device as { type: string }).type === 'mobile').length / pages.length
      );
    };
    expect(share(true) - share(false)).toBeGreaterThan(0.08);
    const aov = (after: boolean) => {
      const o = unique
        .filter(
          (e) =>
            e.event === 'Order Completed' &&
            typeof e.properties?.revenue === 'number' &&
            eventTime(e) >= driftAt === after,
        )
        .map((e) => e.properties!.revenue as number);
      return o.reduce((a, b) => a + b, 0) / o.length;
    };
    expect(aov(true) / aov(false)).toBeGreaterThan(1.08);
  });
});

describe('media', () => {
  it('adstock matches the closed form of a decaying impulse', () => {
    const out = geometricAdstock([100, 0, 0, 0, 0], 0.6);
    out.forEach((v, k) => expect(v).toBeCloseTo(100 * 0.6 ** k, 12));
    expect(geometricAdstock(Array(200).fill(10) as number[], 0.5).at(-1)).toBeCloseTo(10 / (1 - 0.5), 9);
    expect(hill(5000, 5000, 1.7)).toBeCloseTo(0.5, 12);
  });

  it('lets each channel’s adstock decay be read back from the weekly data by profile least squares', () => {
    // Five independent media histories; the median estimate per channel must sit near the truth
    // (a single noisy history can be off by ~0.1 for a channel whose spend barely moves).
    const estimates: Record<string, number[]> = {};
    for (let seed = 1; seed <= 5; seed++) {
      const { weeks } = simulateMedia(createRng(seed), new Date('2024-01-01T00:00:00Z'), 156);
      for (const c of CHANNELS) {
        const t = CHANNEL_TRUTH[c];
        // Everything but channel c is known; fit c's decay on the residual.
        const residual = weeks.map(
          (w) =>
            w.conversions -
            w.baseline -
            w.controls -
            CHANNELS.filter((o) => o !== c).reduce((s, o) => s + w.contribution[o], 0),
        );
        let best = { decay: -1, sse: Infinity };
        for (let decay = 0; decay <= 0.95 + 1e-9; decay += 0.01) {
          const ad = geometricAdstock(
            weeks.map((w) => w.spend[c]),
            decay,
          );
          const sse = ad.reduce(
            (s, a, i) =>
              s + (residual[i]! - t.maxConversionsPerWeek * hill(a, t.halfSaturation, t.shape)) ** 2,
            0,
          );
          if (sse < best.sse) best = { decay, sse };
        }
        (estimates[c] ??= []).push(best.decay);
      }
    }
    for (const c of CHANNELS) {
      const sorted = [...estimates[c]!].sort((a, b) => a - b);
      expect(Math.abs(sorted[2]! - CHANNEL_TRUTH[c].decayPerWeek)).toBeLessThan(0.05);
    }
  });
});
