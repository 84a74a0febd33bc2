// Experiments end to end: definition, assignment with consent and sticky arms across a weight change,
// exposures and outcomes from CDP events aggregated in SQL to the sums the data imply, SRM flagged
// from lost exposures, consent withdrawal and erasure honoured.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, bernoulli } from '../src/sim/rng.js';
import { getExperiment } from '../src/experiments/store.js';
import { armDayRows } from '../src/experiments/metrics-sql.js';
import { analyzeExperiment } from '../src/experiments/analysis.js';
import { analyze } from '../src/experiments/stats/analyze.js';
import { DATABASE_MODES } from './helpers/databases.js';
import { openTestServices, type TestContext } from './helpers/services.js';

const GRANTED = {
  consent: { categoryPreferences: { analytics: true, personalization: true, marketing: true, ads: false } },
};
const NO_MARKETING = {
  consent: { categoryPreferences: { analytics: true, personalization: false, marketing: false, ads: false } },
};
const DAY = 86_400_000;

type Truth = Record<
  string,
  {
    n: number;
    conv: number;
    rev: number;
    rev2: number;
    orders: number;
    revOrders: number;
    pre: number;
    pre2: number;
    preConv: number;
    /** CUPED for ratios: pre-period orders d₀ and the cross-products of post (m₁, d₁) and pre (m₀, d₀). */
    preOrders: number;
    preOrders2: number;
    ordersPreOrders: number;
    prePreOrders: number;
    revPreOrders: number;
    preOrdersPost: number;
    /** Each consenting unit's revenue in the window, for the quantiles. */
    revenues: number[];
    /** Revenue per unit by the pre-experiment trait `basket` (post-stratification). */
    byBasket: Record<string, { n: number; sum: number; sumSquares: number }>;
  }
>;

/** PostgreSQL's percentile_disc: the first value whose cumulative share reaches the fraction. */
const percentileDisc = (sorted: number[], f: number) =>
  sorted[Math.max(0, Math.ceil(f * sorted.length) - 1)]!;

const metrics = [
  { name: 'conversion', type: 'binomial', event: 'Order Completed' },
  { name: 'revenue per user', type: 'mean', event: 'Order Completed', property: 'revenue' },
  {
    name: 'revenue per order',
    type: 'ratio',
    event: 'Order Completed',
    property: 'revenue',
    denominator: { event: 'Order Completed' },
  },
];

function experimentBody(key: string, startAt: Date) {
  return {
    key,
    hypothesis: 'A banner naming the roast date lifts orders.',
    purpose: 'marketing',
    startAt: startAt.toISOString(),
    variations: [
      { id: 'c', name: 'control', weight: 0.5, cost: { perExposure: 0.1 } },
      { id: 't', name: 'roast-date banner', weight: 0.5, cost: { fixed: 50, perExposure: 0.3 } },
    ],
    goalMetrics: metrics,
    guardrailMetrics: [{ name: 'refunds', type: 'binomial', event: 'Order Refunded', inverse: true }],
    analysis: {
      engine: 'frequentist',
      difference: 'relative',
      alpha: 0.05,
      test: 'two-sided',
      sequential: { tuning: 2000 },
      prior: null,
      cuped: false,
      correction: 'holm',
    },
  };
}

describe.each(DATABASE_MODES)('experiments on the %s database', (mode) => {
  let t: TestContext;
  let analyst: string;
  let source: string;
  let crm: string;
  const start = new Date(Date.now() - 40 * DAY);
  const truth: Truth = {};
  const lostTruth: Record<string, number> = { c: 0, t: 0 };

  beforeAll(async () => {
    t = await openTestServices(mode);
    [analyst, source, crm] = await Promise.all([t.keyFor('analyst'), t.keyFor('source'), t.keyFor('crm')]);
    for (const key of ['roast-banner', 'lossy-banner']) {
      const res = await t.request('/v1/experiments', { key: analyst, json: experimentBody(key, start) });
      expect(res.status).toBe(201);
    }
    // 1,500 users: exposure events in the past with the arm the hash gives, orders before (the CUPED
    // lookback), inside and after the 7-day window. The truth is tallied here as the events are made.
    const rng = createRng('experiment-e2e');
    const e = await getExperiment(t.services.database.db, 'roast-banner');
    const { assignVariation } = await import('../src/experiments/assignment.js');
    const batch: unknown[] = [];
    for (let i = 0; i < 1500; i++) {
      const userId = `exp-user-${i}`;
      const arm = e.variations[assignVariation(e.seed, userId, [0.5, 0.5])]!.id;
      const exposedAt = start.getTime() + (i % 20) * DAY + i * 1000;
      const noConsent = i % 10 === 9;
      const ctx = noConsent ? NO_MARKETING : GRANTED;
      // A trait known before exposure that goes with the revenue of an order (30 + i mod 11 below).
      const basket = i % 11 >= 6 ? 'large' : 'small';
      batch.push({
        type: 'identify',
        userId,
        timestamp: new Date(exposedAt - 5 * DAY).toISOString(),
        context: ctx,
        ...(i % 13 === 0 ? {} : { traits: { basket } }),
      });
      for (const key of ['roast-banner', 'lossy-banner']) {
        // The lossy copy loses 30% of the treatment's exposure events, as a broken tracker would.
        if (key === 'lossy-banner' && arm === 't' && bernoulli(rng, 0.3)) {
          if (!noConsent) lostTruth.t!++;
          continue;
        }
        batch.push({
          type: 'track',
          event: 'Experiment Viewed',
          userId,
          timestamp: new Date(exposedAt).toISOString(),
          properties: { experiment_id: key, variation_id: arm },
          context: ctx,
        });
      }
      const tr = (truth[arm] ??= {
        n: 0,
        conv: 0,
        rev: 0,
        rev2: 0,
        orders: 0,
        revOrders: 0,
        pre: 0,
        pre2: 0,
        preConv: 0,
        preOrders: 0,
        preOrders2: 0,
        ordersPreOrders: 0,
        prePreOrders: 0,
        revPreOrders: 0,
        preOrdersPost: 0,
        revenues: [],
        byBasket: {},
      });
      let rev = 0;
      let orders = 0;
      let pre = 0;
      let preOrders = 0;
      const order = (at: number, revenue: number) =>
        batch.push({
          type: 'track',
          event: 'Order Completed',
          userId,
          timestamp: new Date(at).toISOString(),
          context: ctx,
          properties: { order_id: `o-${i}-${at}`, revenue, currency: 'USD', products: [] },
        });
      if (bernoulli(rng, 0.3)) {
        const r = 20 + (i % 7);
        order(exposedAt - 3 * DAY, r);
        pre += r;
        preOrders++;
      }
      if (bernoulli(rng, arm === 't' ? 0.4 : 0.15)) {
        const r = 30 + (i % 11);
        order(exposedAt + 2 * DAY, r);
        rev += r;
        orders++;
      }
      if (bernoulli(rng, 0.2)) {
        const r = 25;
        order(exposedAt + 3 * DAY, r);
        rev += r;
        orders++;
      }
      if (bernoulli(rng, 0.3)) order(exposedAt + 9 * DAY, 99); // after the attribution window: not counted
      if (noConsent) continue;
      tr.n++;
      tr.conv += orders > 0 ? 1 : 0;
      tr.rev += rev;
      tr.rev2 += rev * rev;
      tr.orders += orders;
      tr.revOrders += rev * orders;
      tr.pre += pre;
      tr.pre2 += pre * pre;
      tr.preConv += pre * rev;
      tr.preOrders += preOrders;
      tr.preOrders2 += preOrders * preOrders;
      tr.ordersPreOrders += orders * preOrders;
      tr.prePreOrders += pre * preOrders;
      tr.revPreOrders += rev * preOrders;
      tr.preOrdersPost += pre * orders;
      tr.revenues.push(rev);
      const st = (tr.byBasket[i % 13 === 0 ? '(none)' : basket] ??= { n: 0, sum: 0, sumSquares: 0 });
      st.n++;
      st.sum += rev;
      st.sumSquares += rev * rev;
    }
    for (let i = 0; i < batch.length; i += 500) {
      const res = await t.request('/v1/batch', { key: source, json: { batch: batch.slice(i, i + 500) } });
      expect(res.status).toBe(200);
    }
  }, 120_000);
  afterAll(async () => t?.close());

  it('aggregates exposures and windowed outcomes in SQL to exactly the sums the events imply', async () => {
    const e = await getExperiment(t.services.database.db, 'roast-banner');
    const rows = await armDayRows(
      t.services.database.sql,
      e,
      [...(metrics as never[])],
      { from: start, to: new Date() },
      'marketing',
      true,
    );
    for (const arm of ['c', 't']) {
      const mine = rows.filter((r) => r.variation === arm);
      const sum = (f: (r: (typeof mine)[number]) => number) => mine.reduce((s, r) => s + f(r), 0);
      const tr = truth[arm]!;
      expect(sum((r) => r.n)).toBe(tr.n);
      expect(sum((r) => r.metrics[0]!.sum)).toBe(tr.conv);
      expect(sum((r) => r.metrics[1]!.sum)).toBeCloseTo(tr.rev, 9);
      expect(sum((r) => r.metrics[1]!.sumSquares)).toBeCloseTo(tr.rev2, 9);
      expect(sum((r) => r.metrics[1]!.covariateSum)).toBeCloseTo(tr.pre, 9);
      expect(sum((r) => r.metrics[1]!.covariateSumSquares)).toBeCloseTo(tr.pre2, 9);
      expect(sum((r) => r.metrics[1]!.covariateSumProduct)).toBeCloseTo(tr.preConv, 9);
      expect(sum((r) => r.metrics[2]!.denominatorSum)).toBe(tr.orders);
      expect(sum((r) => r.metrics[2]!.sumProduct)).toBeCloseTo(tr.revOrders, 9);
    }
  });

  it('aggregates CUPED for ratio metrics and quantiles in SQL to exactly what the events imply', async () => {
    const e = await getExperiment(t.services.database.db, 'roast-banner');
    const p90 = {
      name: 'P90 revenue',
      type: 'quantile',
      event: 'Order Completed',
      property: 'revenue',
      level: 0.9,
    };
    const buyersMedian = { ...p90, name: 'median order value of buyers', level: 0.5, ignoreZeros: true };
    const rows = await armDayRows(
      t.services.database.sql,
      e,
      [metrics[2], p90, buyersMedian] as never[],
      { from: start, to: new Date() },
      'marketing',
      true,
    );
    for (const arm of ['c', 't']) {
      const mine = rows.filter((r) => r.variation === arm);
      const sum = (f: (r: (typeof mine)[number]) => number) => mine.reduce((s, r) => s + f(r), 0);
      const tr = truth[arm]!;
      const ratio = (f: (m: (typeof mine)[number]['metrics'][number]) => number) =>
        sum((r) => f(r.metrics[0]!));
      expect(ratio((m) => m.covariateSum)).toBeCloseTo(tr.pre, 9);
      expect(ratio((m) => m.covariateDenominatorSum)).toBe(tr.preOrders);
      expect(ratio((m) => m.covariateDenominatorSumSquares)).toBe(tr.preOrders2);
      expect(ratio((m) => m.numeratorNumeratorPre)).toBeCloseTo(tr.preConv, 9);
      expect(ratio((m) => m.denominatorDenominatorPre)).toBe(tr.ordersPreOrders);
      expect(ratio((m) => m.numeratorPreDenominatorPre)).toBeCloseTo(tr.prePreOrders, 9);
      expect(ratio((m) => m.numeratorDenominatorPre)).toBeCloseTo(tr.revPreOrders, 9);
      expect(ratio((m) => m.numeratorPreDenominator)).toBeCloseTo(tr.preOrdersPost, 9);
      // Quantiles are per arm: every day row of the arm carries the same figures.
      const all = [...tr.revenues].sort((a, b) => a - b);
      const buyers = all.filter((v) => v !== 0);
      for (const [q, values, level] of [
        [mine[0]!.quantiles[1]!, all, 0.9],
        [mine[0]!.quantiles[2]!, buyers, 0.5],
      ] as const) {
        const n = values.length;
        const half = 1.959963984540054 * Math.sqrt((level * (1 - level)) / n);
        expect(q).toEqual({
          n,
          nStar: n,
          quantile: percentileDisc(values, level),
          lower: percentileDisc(values, level - half),
          upper: percentileDisc(values, level + half),
        });
      }
      expect(mine.every((r) => JSON.stringify(r.quantiles) === JSON.stringify(mine[0]!.quantiles))).toBe(
        true,
      );
    }
  });

  it('analyses a quantile metric and a CUPED-adjusted ratio metric of a defined experiment', async () => {
    const e = await getExperiment(t.services.database.db, 'roast-banner');
    const p90 = {
      name: 'P90 revenue',
      type: 'quantile',
      event: 'Order Completed',
      property: 'revenue',
      level: 0.9,
    };
    const analysis = await analyzeExperiment(
      t.services.database,
      {
        ...e,
        goalMetrics: [p90, metrics[2]] as never[],
        guardrailMetrics: [],
        analysis: { ...e.analysis, cuped: true, sequential: null },
      },
      new Date(),
    );
    const [quantile, ratio] = analysis.metrics;
    const sortedRevenue = (arm: string) => [...truth[arm]!.revenues].sort((a, b) => a - b);
    expect(quantile!.result.variations.map((v) => v.mean)).toEqual([
      percentileDisc(sortedRevenue('c'), 0.9),
      percentileDisc(sortedRevenue('t'), 0.9),
    ]);
    expect(quantile!.result.variations[1]!.ciLower).not.toBeNull();
    expect(quantile!.inputs[0]!.spend).toBeUndefined();
    // CUPED ran on the ratio: θ estimated from the pre-period ratio, the variance changed by it.
    expect(ratio!.settings.cuped).toBe(true);
    expect(ratio!.result.variations[1]!.cupedTheta).not.toBeNull();
    expect(ratio!.inputs[1]!.crossProducts?.numeratorPreDenominator).toBeCloseTo(truth.t!.preOrdersPost, 9);
    expect(analysis.cumulative).toEqual([]); // the primary metric is a quantile: no day-by-day path
  });

  it('post-stratifies a defined experiment by a trait known before exposure', async () => {
    const e = await getExperiment(t.services.database.db, 'roast-banner');
    const analysis = await analyzeExperiment(
      t.services.database,
      {
        ...e,
        goalMetrics: [metrics[1]] as never[],
        guardrailMetrics: [],
        analysis: { ...e.analysis, cuped: false, sequential: null, stratifyBy: { trait: 'basket' } },
      },
      new Date(),
    );
    const [revenue] = analysis.metrics;
    for (const [i, arm] of ['c', 't'].entries()) {
      const expected = Object.entries(truth[arm]!.byBasket)
        .map(([name, st]) => ({ name, ...st }))
        .sort((a, b) => a.name.localeCompare(b.name));
      const got = revenue!.inputs[i]!.strata!;
      expect(got.map((st) => st.name)).toEqual(['(none)', 'large', 'small']);
      got.forEach((st, j) => {
        expect(st.n).toBe(expected[j]!.n);
        expect(st.sum).toBeCloseTo(expected[j]!.sum, 9);
        expect(st.sumSquares!).toBeCloseTo(expected[j]!.sumSquares, 9);
      });
    }
    // The engine on the events' own tallies gives the same effect as the SQL path.
    const byHand = analyze({
      metric: { type: 'mean', inverse: false },
      analysis: revenue!.settings,
      variations: ['c', 't'].map((arm) => ({
        name: arm,
        n: truth[arm]!.n,
        sum: truth[arm]!.rev,
        sumSquares: truth[arm]!.rev2,
        strata: Object.entries(truth[arm]!.byBasket).map(([name, st]) => ({ name, ...st })),
      })),
    });
    const v = revenue!.result.variations[1]!;
    expect(v.estimate).toBeCloseTo(byHand.variations[1]!.estimate!, 9);
    expect(v.se).toBeCloseTo(byHand.variations[1]!.se!, 9);
    // The strata's variance reduction is reported (small here: basket size moves order value, not
    // conversion, which drives revenue per user; the engine's own tests show large reductions).
    expect(v.varianceReduction).not.toBeNull();
    expect(v.varianceReduction!).toBeCloseTo(byHand.variations[1]!.varianceReduction!, 9);
  });

  it('reports results with costs, guardrails, corrected p-values and a cumulative series', async () => {
    const res = await t.request('/v1/experiments/roast-banner/results', { key: await t.keyFor('marketer') });
    expect(res.status).toBe(200);
    const r = (await res.json()) as {
      arms: { id: string; n: number; spend: number }[];
      srm: { flagged: boolean };
      metrics: {
        metric: { name: string };
        role: string;
        result: {
          variations: {
            estimate: number | null;
            pValue: number | null;
            adjustedPValue: number | null;
            cost: { value: number | null } | null;
          }[];
        };
      }[];
      cumulative: { day: string; ciLower: number; ciUpper: number }[];
      verdict: { status: string };
    };
    expect(r.arms.map((a) => a.n)).toEqual([truth.c!.n, truth.t!.n]);
    expect(r.arms[1]!.spend).toBeCloseTo(50 + 0.3 * truth.t!.n, 9);
    expect(r.srm.flagged).toBe(false);
    const conversion = r.metrics[0]!.result.variations;
    const expectedLift = truth.t!.conv / truth.t!.n / (truth.c!.conv / truth.c!.n) - 1;
    expect(conversion[1]!.estimate).toBeCloseTo(expectedLift, 12);
    expect(conversion[1]!.adjustedPValue!).toBeGreaterThanOrEqual(conversion[1]!.pValue!);
    expect(conversion[0]!.cost!.value).toBeCloseTo((0.1 * truth.c!.n) / truth.c!.conv, 9);
    expect(r.metrics.find((m) => m.role === 'guardrail')!.metric.name).toBe('refunds');
    // The series moves day by day and the sequential interval narrows as data accrue.
    expect(r.cumulative.length).toBeGreaterThan(10);
    const width = (p: { ciLower: number; ciUpper: number }) => p.ciUpper - p.ciLower;
    expect(width(r.cumulative.at(-1)!)).toBeLessThan(width(r.cumulative[0]!));
    expect(r.verdict.status).toBe('ship');
  });

  it('flags the sample-ratio mismatch of lost exposure events and refuses to call a winner', async () => {
    const r = (await (await t.request('/v1/experiments/lossy-banner/results', { key: analyst })).json()) as {
      arms: { n: number }[];
      srm: { flagged: boolean; pValue: number };
      verdict: { status: string };
    };
    expect(r.arms[1]!.n).toBe(truth.t!.n - lostTruth.t!);
    expect(r.srm.flagged).toBe(true);
    expect(r.verdict.status).toBe('srm');
  });

  it('assigns deterministically, refuses users without consent, and keeps exposed users on their arm when weights change', async () => {
    const ask = async (userId: string, record = false) =>
      (await (
        await t.request(`/v1/experiments/roast-banner/assignment?userId=${userId}&recordExposure=${record}`, {
          key: crm,
        })
      ).json()) as {
        enrolled: boolean;
        reason: string;
        variation: { id: string } | null;
        sticky: boolean;
        exposureRecorded: boolean;
      };
    expect((await ask('exp-user-9')).reason).toBe('no-consent');
    expect((await ask('exp-user-9', true)).exposureRecorded).toBe(false);
    const first = await ask('exp-user-1', true);
    expect(first.enrolled).toBe(true);
    expect(first.exposureRecorded).toBe(true);
    expect((await ask('exp-user-1')).variation).toEqual(first.variation);

    // Move almost all traffic to the arm exp-user-1 is not in; the exposed user stays put.
    const heavy = first.variation!.id === 'c' ? 't' : 'c';
    const patched = await t.request('/v1/experiments/roast-banner', {
      key: analyst,
      method: 'PATCH',
      json: { weights: heavy === 't' ? [0.05, 0.95] : [0.95, 0.05] },
    });
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as { phases: unknown[] }).phases).toHaveLength(2);
    expect(await ask('exp-user-1')).toMatchObject({ variation: first.variation, sticky: true });
    // Users never exposed follow the new weights (once they have consented).
    const fresh = Array.from({ length: 60 }, (_, i) => `fresh-${i}`);
    expect((await ask(fresh[0]!)).reason).toBe('no-consent');
    for (const userId of fresh)
      await t.request('/v1/consent', {
        key: source,
        json: { userId, categories: { analytics: true, marketing: true } },
      });
    const arms = await Promise.all(fresh.map(async (u) => (await ask(u)).variation?.id));
    expect(arms.filter((a) => a === heavy).length).toBeGreaterThanOrEqual(50);
  });

  it('monitors each experiment’s traffic mix over time and covariate balance between arms', async () => {
    const asOf = new Date(start.getTime() + 21 * DAY).toISOString();
    await t.services.queue.registry.runInline('drift.monitors', { asOf }, t.services.log);
    const res = await t.request('/v1/drift/checks?monitor=experiment-balance', {
      key: await t.keyFor('marketer'),
    });
    const { checks } = (await res.json()) as {
      checks: {
        id: string;
        subject: string;
        drifted: number;
        result: { columns: { column: string }[]; skipped: { column: string }[] };
      }[];
    };
    expect(checks.map((c) => c.subject).sort()).toEqual(['lossy-banner:t', 'roast-banner:t']);
    const roast = checks.find((c) => c.subject === 'roast-banner:t')!;
    // Randomisation balances what was known before exposure; these events carry no device, so it is skipped, not guessed.
    expect(roast.result.columns.map((c) => c.column)).toEqual(['prior_orders_28d']);
    expect(roast.result.skipped.map((c) => c.column)).toEqual(['device', 'source_library']);
    expect(roast.drifted).toBe(0);
    const traffic = (await (
      await t.request('/v1/drift/checks?monitor=experiment-traffic&subject=roast-banner', { key: analyst })
    ).json()) as { checks: { id: string }[] };
    expect(traffic.checks).toHaveLength(1);
    const one = await t.request(`/v1/drift/checks/${traffic.checks[0]!.id}`, { key: analyst });
    expect(
      ((await one.json()) as { result: { columns: { column: string; method: string }[] } }).result.columns[0],
    ).toMatchObject({ column: 'variation', method: 'z' });
  });

  it('honours consent withdrawal in the analysis and erasure in the assignments', async () => {
    const before = (await (
      await t.request('/v1/experiments/roast-banner/results', { key: analyst })
    ).json()) as { arms: { n: number }[] };
    const withdraw = await t.request('/v1/consent', {
      key: source,
      json: { userId: 'exp-user-2', categories: { analytics: true, marketing: false } },
    });
    expect(withdraw.status).toBeLessThan(300);
    const after = (await (
      await t.request('/v1/experiments/roast-banner/results', { key: analyst })
    ).json()) as { arms: { n: number }[] };
    expect(after.arms[0]!.n + after.arms[1]!.n).toBe(before.arms[0]!.n + before.arms[1]!.n - 1);
    // Keeping marketing but withdrawing analytics takes the person's stored events out too.
    await t.request('/v1/consent', {
      key: source,
      json: { userId: 'exp-user-3', categories: { analytics: false, marketing: true } },
    });
    const later = (await (
      await t.request('/v1/experiments/roast-banner/results', { key: analyst })
    ).json()) as { arms: { n: number }[] };
    expect(later.arms[0]!.n + later.arms[1]!.n).toBe(after.arms[0]!.n + after.arms[1]!.n - 1);
    const erased = await t.request('/v1/users/exp-user-1', {
      key: await t.keyFor('admin'),
      method: 'DELETE',
    });
    expect(erased.status).toBe(200);
    const [left] = await t.services.database.sql<
      { n: string }[]
    >`select count(*) as n from experiment_assignments where person_id = 'u:exp-user-1'`;
    expect(Number(left!.n)).toBe(0);
  });
});
