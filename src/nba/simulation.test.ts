// The bandit against the simulated world's truth: the six offers with known response probabilities
// (src/sim/offers.ts), customers drawn by the simulator. Each policy decides for a stream of customers,
// learns from the 0/1 responses it observes (a refit in tfjs every REFIT_EVERY rounds, as model.refresh
// would), and its expected regret per round is measured against the oracle that knows every true EV.
// Then off-policy evaluation: logs written by an epsilon-greedy logger with known propensities must
// recover the greedy policy's true value. Tolerances are standard errors computed from the runs.
import { beforeAll, describe, expect, it } from 'vitest';
import { initRuntime } from '../ml/runtime/index.js';
import { SIM_OFFERS, trueOfferResponse, trueOfferValue, type OfferContext } from '../sim/offers.js';
import { createCustomer, DEFAULT_CONSENT_RATES } from '../sim/customers.js';
import { createRng, poisson, uniform, type Rng } from '../sim/rng.js';
import { fitLinearModel } from './policies/fit.js';
import { predict, priorModel, type LinearModel } from './policies/linear-model.js';
import { choose, type PolicyName } from './policies/policy.js';
import { createRandom } from './policies/rng.js';
import { evaluatePolicy, type LoggedRow, type TargetPolicy } from './ope/index.js';

const ROUNDS = 4000;
const REFIT_EVERY = 200;
const START = Date.parse('2026-01-01T00:00:00Z');

function customerContext(rng: Rng, i: number): OfferContext {
  const c = createCustomer(rng, i, START, START + 365 * 86_400_000, DEFAULT_CONSENT_RATES);
  const purchases = poisson(rng, c.segment === 'premium' ? 3 : c.segment === 'regular' ? 2 : 1);
  return {
    segment: c.segment,
    affinity: c.affinity,
    priceSensitivity: c.priceSensitivity,
    channelPreference: c.channelPreference,
    purchases,
    daysSinceLastPurchase: purchases ? uniform(rng, 1, 400) : 730,
  };
}

/** What the bandit sees: a bias and the customer's observable traits (the offers' features). */
const xOf = (c: OfferContext) => [
  1,
  c.affinity.coffee,
  c.affinity.tea,
  c.affinity.gear,
  c.priceSensitivity,
  c.segment === 'premium' ? 1 : 0,
  c.segment === 'budget' ? 1 : 0,
  Math.min(c.daysSinceLastPurchase, 730) / 365,
  c.channelPreference === 'email' ? 1 : 0,
  c.channelPreference === 'social' ? 1 : 0,
  c.channelPreference === 'sms' ? 1 : 0,
];
const D = 11;
const eligible = (c: OfferContext) => SIM_OFFERS.filter((o) => c.purchases >= o.eligibility.minPurchases);

type Models = Map<string, LinearModel>;
const candidates = (models: Models, c: OfferContext, x: number[]) =>
  eligible(c).map((o) => {
    const m = models.get(o.id)!;
    return {
      id: o.id,
      value: o.valueIfAccepted,
      cost: o.costPerSend,
      lever: 1,
      prediction: { ...predict(m, x), sigma2: m.sigma2 },
    };
  });

function runPolicy(policy: PolicyName, exploration: number, seed: number) {
  const rng = createRng(`nba-sim-${seed}`);
  const random = createRandom(seed);
  const models: Models = new Map(SIM_OFFERS.map((o) => [o.id, priorModel(D)]));
  const data = new Map(SIM_OFFERS.map((o) => [o.id, { xs: [] as number[][], ys: [] as number[] }]));
  const regret: number[] = [];
  for (let t = 0; t < ROUNDS; t++) {
    const ctx = customerContext(rng, t);
    const x = xOf(ctx);
    const { chosen } = choose(candidates(models, ctx, x), { policy, exploration, floor: 0 }, random);
    const offer = SIM_OFFERS.find((o) => o.id === chosen)!;
    const best = Math.max(...eligible(ctx).map((o) => trueOfferValue(o, ctx)));
    regret.push(best - trueOfferValue(offer, ctx));
    const d = data.get(chosen)!;
    d.xs.push(x);
    d.ys.push(rng.next() < trueOfferResponse(offer, ctx) ? 1 : 0);
    if ((t + 1) % REFIT_EVERY === 0)
      for (const [id, dd] of data) models.set(id, fitLinearModel(dd.xs, dd.ys, D));
  }
  return { regret, models };
}

const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const se = (v: readonly number[]) => {
  const m = mean(v);
  return Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / (v.length - 1) / v.length);
};

describe('next best action on the simulated world', () => {
  const runs = new Map<string, ReturnType<typeof runPolicy>>();
  beforeAll(async () => {
    await initRuntime({ backend: 'cpu' });
    runs.set('uniform', runPolicy('uniform', 0, 1));
    runs.set('epsilon-greedy', runPolicy('epsilon-greedy', 0.1, 1));
    runs.set('thompson', runPolicy('thompson', 1, 1));
    runs.set('linucb', runPolicy('linucb', 1, 1));
  }, 600_000);

  it('every learning policy ends with less regret than it started with, and less than uniform random', () => {
    const random = runs.get('uniform')!.regret.slice(-1000);
    for (const name of ['epsilon-greedy', 'thompson', 'linucb']) {
      const r = runs.get(name)!.regret;
      const first = r.slice(0, 500);
      const last = r.slice(-1000);
      expect(mean(last), `${name} vs its start`).toBeLessThan(
        mean(first) - 3 * Math.hypot(se(first), se(last)),
      );
      expect(mean(last), `${name} vs uniform`).toBeLessThan(
        mean(random) - 3 * Math.hypot(se(random), se(last)),
      );
    }
  });

  it('off-policy estimates from epsilon-greedy logs recover the greedy policy’s true value', () => {
    const models = runs.get('thompson')!.models;
    const LOGS = 30;
    const ROWS = 1500;
    const hits = { ipw: 0, snipw: 0, dr: 0 };
    const errors: number[] = [];
    for (let l = 0; l < LOGS; l++) {
      const rng = createRng(`nba-ope-${l}`);
      const random = createRandom(1000 + l);
      const rows: LoggedRow[] = [];
      const targetOf = new Map<LoggedRow, ReadonlyMap<string, number>>();
      let truth = 0;
      for (let i = 0; i < ROWS; i++) {
        const ctx = customerContext(rng, i);
        const cands = candidates(models, ctx, xOf(ctx));
        const logged = choose(cands, { policy: 'epsilon-greedy', exploration: 0.3, floor: 0 }, random);
        const greedy = choose(cands, { policy: 'epsilon-greedy', exploration: 0, floor: 0 }, random);
        const target = new Map(greedy.scored.map((s) => [s.id, s.probability]));
        truth += eligible(ctx).reduce((s, o) => s + (target.get(o.id) ?? 0) * trueOfferValue(o, ctx), 0);
        const offer = SIM_OFFERS.find((o) => o.id === logged.chosen)!;
        const reward =
          (rng.next() < trueOfferResponse(offer, ctx) ? offer.valueIfAccepted : 0) - offer.costPerSend;
        const row = {
          action: offer.id,
          position: 0,
          reward,
          propensity: logged.scored.find((s) => s.id === offer.id)!.probability,
        };
        rows.push(row);
        targetOf.set(row, target);
      }
      truth /= ROWS;
      const policy: TargetPolicy = {
        describe: 'greedy on the learned models',
        probabilities: (r) => targetOf.get(r)!,
      };
      const e = evaluatePolicy(rows, policy, { bootstrapSamples: 300, seed: l + 1 });
      for (const k of ['ipw', 'snipw', 'dr'] as const)
        if (e.estimates[k].ciLower <= truth && truth <= e.estimates[k].ciUpper) hits[k]++;
      errors.push(e.estimates.ipw.value - truth);
    }
    // Unbiased: the mean error over the logs is within three of its standard errors of zero.
    expect(Math.abs(mean(errors))).toBeLessThan(3 * se(errors));
    // 95% intervals: with 30 logs, fewer than 24 covering has probability under 0.2% if they are right.
    for (const k of ['ipw', 'snipw', 'dr'] as const) expect(hits[k], k).toBeGreaterThanOrEqual(24);
  });
});
