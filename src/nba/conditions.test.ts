import { describe, expect, it } from 'vitest';
import { ConditionSchema, holds, profileFields, type Condition } from './conditions.js';

const facts = { context: { device: 'mobile', hour: 9 }, profile: { orders_365d: 2, plan_premium: 1 } };

describe('eligibility conditions', () => {
  it('evaluates comparisons, lists and combinators by hand-checked cases', () => {
    const cases: [Condition, boolean][] = [
      [{ field: 'context.device', op: 'eq', value: 'mobile' }, true],
      [{ field: 'context.device', op: 'ne', value: 'mobile' }, false],
      [{ field: 'profile.orders_365d', op: 'gte', value: 2 }, true],
      [{ field: 'profile.orders_365d', op: 'gt', value: 2 }, false],
      [{ field: 'context.hour', op: 'lt', value: 10 }, true],
      [{ field: 'context.device', op: 'in', value: ['tablet', 'mobile'] }, true],
      [{ field: 'context.device', op: 'nin', value: ['tablet', 'mobile'] }, false],
      [{ field: 'context.missing', op: 'exists', value: false }, true],
      [{ field: 'context.missing', op: 'gte', value: 0 }, false],
      [{ field: 'context.device', op: 'gt', value: 3 }, false], // a string never compares with a number
      [{ all: [] }, true],
      [{ any: [] }, false],
      [{ not: { field: 'profile.plan_premium', op: 'eq', value: 1 } }, false],
      [
        {
          all: [
            { field: 'context.device', op: 'eq', value: 'mobile' },
            {
              any: [
                { field: 'profile.orders_365d', op: 'gte', value: 5 },
                { field: 'profile.plan_premium', op: 'eq', value: 1 },
              ],
            },
          ],
        },
        true,
      ],
    ];
    for (const [c, expected] of cases) expect([c, holds(c, facts)]).toEqual([c, expected]);
  });

  it('reads nothing from a missing profile, and names the profile fields a rule needs', () => {
    const rule: Condition = { all: [{ field: 'profile.orders_365d', op: 'gte', value: 0 }] };
    expect(holds(rule, { context: {}, profile: null })).toBe(false);
    expect(profileFields({ any: [rule, { field: 'context.device', op: 'eq', value: 'x' }] })).toEqual([
      'profile.orders_365d',
    ]);
  });

  it('never reaches prototype properties', () => {
    expect(holds({ field: 'context.constructor', op: 'exists', value: true }, facts)).toBe(false);
  });

  it('refuses malformed rules with the path of each problem', () => {
    const bad = ConditionSchema.safeParse({
      all: [
        { field: 'profile.x', op: 'in', value: 3 },
        { field: 'eval(1)', op: 'eq', value: 1 },
      ],
    });
    expect(bad.success).toBe(false);
    let deep: Condition = { field: 'context.a', op: 'eq', value: 1 };
    for (let i = 0; i < 9; i++) deep = { not: deep };
    expect(ConditionSchema.safeParse(deep).success).toBe(false);
    expect(ConditionSchema.safeParse({ field: 'context.a', op: 'exists', value: true }).success).toBe(true);
  });
});
