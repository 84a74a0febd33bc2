// Eligibility rules as JSON conditions: a small, safe language evaluated by a tree walk (never
// `eval`). A condition is one of
//   {"all": [c, …]}   every one holds (an empty list holds)
//   {"any": [c, …]}   at least one holds
//   {"not": c}        c does not hold
//   {"field": "profile.orders_365d", "op": "gte", "value": 1}
// Fields are `context.<name>` (what the CRM sent: channel, placement, device, …) and
// `profile.<feature>` (the person's features, see src/features/definition.ts). Ops: eq, ne, lt,
// lte, gt, gte (numbers or strings), in, nin (a list), exists (value true/false). A comparison
// with a missing field is false (`exists` says whether it is there), so a rule over the profile
// never admits a person whose profile may not be used.
import { z } from '@hono/zod-openapi';

export const CONDITION_OPS = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'nin', 'exists'] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

type Scalar = string | number | boolean;
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { field: string; op: ConditionOp; value: Scalar | Scalar[] };

/** Deeper trees are refused: they are never needed and would let a body nest without bound. */
export const MAX_CONDITION_DEPTH = 8;
export const FIELD_PATTERN = /^(context|profile)\.[A-Za-z_][A-Za-z0-9_]{0,63}$/;

const scalar = z.union([z.string().max(200), z.number(), z.boolean()]);
const comparison = z
  .object({
    field: z.string().regex(FIELD_PATTERN, 'a field is "context.<name>" or "profile.<feature>"'),
    op: z.enum(CONDITION_OPS),
    value: z.union([scalar, z.array(scalar).max(100)]),
  })
  .strict()
  .superRefine((c, ctx) => {
    const list = Array.isArray(c.value);
    if ((c.op === 'in' || c.op === 'nin') !== list)
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: `op "${c.op}" needs ${list ? 'one value' : 'a list'}`,
      });
    if (c.op === 'exists' && typeof c.value !== 'boolean')
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'op "exists" needs true or false' });
  });

/** The schema of a condition, checked for depth as well as shape. */
export const ConditionSchema: z.ZodType<Condition> = z
  .lazy(() =>
    z.union([
      z.object({ all: z.array(ConditionSchema).max(50) }).strict(),
      z.object({ any: z.array(ConditionSchema).max(50) }).strict(),
      z.object({ not: ConditionSchema }).strict(),
      comparison,
    ]),
  )
  .refine((c) => depth(c) <= MAX_CONDITION_DEPTH, {
    message: `conditions nest at most ${MAX_CONDITION_DEPTH} levels`,
  });

function depth(c: Condition): number {
  if ('all' in c) return 1 + Math.max(0, ...c.all.map(depth));
  if ('any' in c) return 1 + Math.max(0, ...c.any.map(depth));
  if ('not' in c) return 1 + depth(c.not);
  return 1;
}

export type Facts = { context: Record<string, unknown>; profile: Record<string, number> | null };

function lookup(facts: Facts, field: string): unknown {
  const [scope, name] = field.split('.', 2) as ['context' | 'profile', string];
  const bag = scope === 'context' ? facts.context : facts.profile;
  if (!bag || !Object.prototype.hasOwnProperty.call(bag, name)) return undefined;
  return bag[name];
}

function compare(a: unknown, op: ConditionOp, b: Scalar): boolean {
  if (op === 'eq') return a === b;
  if (op === 'ne') return a !== b;
  if (typeof a !== typeof b || (typeof a !== 'number' && typeof a !== 'string')) return false;
  const x = a;
  const y = b as number | string;
  if (op === 'lt') return x < y;
  if (op === 'lte') return x <= y;
  if (op === 'gt') return x > y;
  return x >= y; // gte
}

/** Whether the condition holds for these facts. */
export function holds(c: Condition, facts: Facts): boolean {
  if ('all' in c) return c.all.every((x) => holds(x, facts));
  if ('any' in c) return c.any.some((x) => holds(x, facts));
  if ('not' in c) return !holds(c.not, facts);
  const v = lookup(facts, c.field);
  if (c.op === 'exists') return (v !== undefined && v !== null) === c.value;
  if (v === undefined || v === null) return false;
  if (c.op === 'in') return (c.value as Scalar[]).includes(v as Scalar);
  if (c.op === 'nin') return !(c.value as Scalar[]).includes(v as Scalar);
  return compare(v, c.op, c.value as Scalar);
}

/** The profile fields a condition reads (a non-personal decision cannot evaluate these). */
export function profileFields(c: Condition): string[] {
  if ('all' in c) return c.all.flatMap(profileFields);
  if ('any' in c) return c.any.flatMap(profileFields);
  if ('not' in c) return profileFields(c.not);
  return c.field.startsWith('profile.') ? [c.field] : [];
}
