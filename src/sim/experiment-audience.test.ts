// The small world's experiment audience: its customers' events are exactly those of the same world
// without it, and its experiments (measured from the events, as Attune would) are large enough for
// the verdicts a newcomer should see: the email subject line wins with its true lift inside the
// interval, the three-arm null stays null, the lost exposures are flagged as sample-ratio mismatch.
import { beforeAll, describe, expect, it } from 'vitest';
import { generateWorld, type World } from './world.js';
import type { WireEvent } from './wire.js';
import { analyze } from '../experiments/stats/analyze.js';

const DAY = 86_400_000;
const isVisitor = (e: WireEvent) => e.userId?.startsWith('kc_visitor_') ?? false;
const time = (e: WireEvent) =>
  e.timestamp
    ? Date.parse(e.timestamp)
    : Date.parse(e.receivedAt) - (Date.parse(e.sentAt!) - Date.parse(e.originalTimestamp!));

let small: { world: World; events: WireEvent[] };
let custom: WireEvent[];

beforeAll(() => {
  const events: WireEvent[] = [];
  small = {
    world: generateWorld({ seed: 1, scale: 'small' }, { event: (d) => events.push(d.event) }),
    events,
  };
  custom = [];
  generateWorld({ seed: 1, customers: 600, days: 150 }, { event: (d) => custom.push(d.event) });
});

/** Per arm: units (first exposure) and converters (an order within the attribution window). */
function armCounts(key: string, arms: string[], attributionDays: number) {
  const seen = new Set<string>();
  const unique = small.events.filter((e) => (seen.has(e.messageId) ? false : (seen.add(e.messageId), true)));
  const exposure = new Map<string, { arm: string; at: number }>();
  for (const e of unique)
    if (e.event === 'Experiment Viewed' && e.properties?.experiment_id === key && e.userId)
      if (!exposure.has(e.userId))
        exposure.set(e.userId, { arm: String(e.properties.variation_id), at: time(e) });
  const converted = new Set<string>();
  for (const e of unique) {
    const x = e.event === 'Order Completed' && e.userId ? exposure.get(e.userId) : undefined;
    if (x && time(e) >= x.at - 60_000 && time(e) < x.at + attributionDays * DAY) converted.add(e.userId!);
  }
  return arms.map((arm) => {
    const users = [...exposure].filter(([, v]) => v.arm === arm).map(([u]) => u);
    const sum = users.filter((u) => converted.has(u)).length;
    return { name: arm, n: users.length, sum, sumSquares: sum };
  });
}

function analyseExperiment(key: string) {
  const x = small.world.truth.experiments.find((e) => e.key === key)!;
  const variations = armCounts(
    key,
    x.arms.map((a) => a.id),
    x.attributionDays,
  );
  const result = analyze({
    metric: { type: 'binomial', inverse: false },
    analysis: {
      engine: 'frequentist',
      difference: 'relative',
      alpha: 0.05,
      test: 'two-sided',
      sequential: null,
      prior: null,
      cuped: false,
      correction: 'holm',
    },
    weights: x.arms.map((a) => a.weight),
    variations,
  });
  return { truth: x, variations, result };
}

describe("the small world's experiment audience", () => {
  it('leaves every customer event exactly as the same world without it', () => {
    const customers = small.events.filter((e) => !isVisitor(e));
    expect(customers.length).toBe(custom.length);
    expect(customers).toEqual(custom);
    expect(small.events.length - customers.length).toBeGreaterThan(10_000);
  });

  it('makes the email subject-line experiment a winner with its true lift inside the interval', () => {
    const { truth, variations, result } = analyseExperiment('email-subject-line');
    expect(Math.min(...variations.map((v) => v.n))).toBeGreaterThan(1000);
    const [control, treatment] = truth.arms;
    const trueLift = treatment!.trueConversionRate / control!.trueConversionRate - 1;
    const v = result.variations[1]!;
    expect(v.ciLower!).toBeGreaterThan(0);
    expect(v.ciLower!).toBeLessThan(trueLift);
    expect(v.ciUpper!).toBeGreaterThan(trueLift);
    expect(result.verdict.status).toBe('ship');
  });

  it('keeps the three-arm null null and flags the lost exposures', () => {
    const landing = analyseExperiment('landing-hero').result;
    expect(landing.verdict.status).toBe('no-difference');
    expect(landing.srm.flagged).toBe(false);
    const checkout = analyseExperiment('checkout-button').result;
    expect(checkout.srm.pValue).toBeLessThan(0.001);
    expect(checkout.verdict.status).toBe('srm');
  });
});
