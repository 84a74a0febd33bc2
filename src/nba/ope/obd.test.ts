// The Open Bandit Dataset's own benchmark: Bernoulli Thompson Sampling ran beside a uniform-random
// policy on the same traffic, so BTS's click rate in its own log is the truth an estimate from the
// random log must approach. Target = BTS's empirical action-by-position frequencies in its own log.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluatePolicy } from './evaluate.js';
import { parseObdLog } from './formats.js';
import { empiricalTarget } from './targets.js';

const read = (policy: string, campaign: string) =>
  parseObdLog(
    fs.readFileSync(new URL(`../../../fixtures/obd/${policy}/${campaign}.csv`, import.meta.url), 'utf8'),
  );

describe.each(['men', 'women'])('Open Bandit Dataset, %s campaign', (campaign) => {
  const random = read('random', campaign);
  const bts = read('bts', campaign);
  const truth = bts.rows.reduce((s, r) => s + r.reward, 0) / bts.rows.length;

  it('reads every row, slots 0..2, uniform propensities in the random log', () => {
    expect(random.problems).toEqual([]);
    expect(bts.problems).toEqual([]);
    expect(random.rows).toHaveLength(10_000);
    expect(new Set(random.rows.map((r) => r.position))).toEqual(new Set([0, 1, 2]));
    const items = new Set(random.rows.map((r) => r.action)).size;
    expect(random.rows.every((r) => Math.abs(r.propensity - 1 / items) < 1e-12)).toBe(true);
  });

  it("every estimator's 95% interval from the random log covers BTS's observed click rate", () => {
    const e = evaluatePolicy(random.rows, empiricalTarget(bts.rows));
    for (const [name, v] of Object.entries(e.estimates)) {
      expect(v.ciLower, name).toBeLessThan(truth);
      expect(v.ciUpper, name).toBeGreaterThan(truth);
    }
    // Uniform logging against a target with no item far above 1/34 keeps the weights tame.
    expect(e.weights.effectiveSampleSize).toBeGreaterThan(2000);
    expect(e.warnings).toEqual([]);
  });
});
