import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TrackingPlanSchema, checkAgainstPlan } from './tracking-plan.js';
import { fromRoot } from '../platform/paths.js';

const plan = TrackingPlanSchema.parse(
  JSON.parse(fs.readFileSync(fromRoot('fixtures/brand/tracking-plan.json'), 'utf8')),
);

describe('tracking plan', () => {
  it('passes conforming events and lists each violation with its path', () => {
    expect(
      checkAgainstPlan(plan, {
        type: 'track',
        event: 'Product Viewed',
        properties: { product_id: 'KC-1', category: 'tea', price: 12 },
      }),
    ).toEqual([]);
    expect(
      checkAgainstPlan(plan, {
        type: 'track',
        event: 'Product Viewed',
        properties: { category: 'cake', price: '12' },
      }),
    ).toEqual([
      { path: 'properties.product_id', message: 'required by the plan for "Product Viewed"' },
      {
        path: 'properties.category',
        message: 'must be one of "coffee", "tea", "gear", "drinkware", "subscription", "gift"',
      },
      { path: 'properties.price', message: 'must be number, got string ("12")' },
    ]);
    expect(
      checkAgainstPlan(plan, {
        type: 'track',
        event: 'Product Added',
        properties: { product_id: 'x', price: 1, quantity: 1.5 },
      })[0]?.message,
    ).toBe('must be integer, got number');
  });

  it('allows unplanned events unless the plan says otherwise', () => {
    expect(checkAgainstPlan(plan, { type: 'track', event: 'Something New' })).toEqual([]);
    expect(
      checkAgainstPlan({ ...plan, unplannedEvents: 'violation' }, { type: 'track', event: 'Something New' }),
    ).toHaveLength(1);
  });
});
