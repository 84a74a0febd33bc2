// The bandit's context vector: a bias, a few transforms of the person's features (src/features), and
// the request's device. Short on purpose: every dimension costs rows before the model trusts it.
// Without personalization consent the vector is never built (decisions are then non-personal).

export type DecisionContext = {
  channel?: string | undefined;
  placement?: string | undefined;
  device?: string | undefined;
  time?: string | undefined;
  [k: string]: unknown;
};

const log1p = (v: number | undefined) => Math.log1p(Math.max(0, v ?? 0));

/** Name and computation of each dimension, in vector order. */
export const CONTEXT_FEATURES: readonly {
  name: string;
  of: (p: Readonly<Record<string, number>>, c: DecisionContext) => number;
}[] = [
  { name: 'bias', of: () => 1 },
  { name: 'log_orders_365d', of: (p) => log1p(p.orders_365d) },
  { name: 'has_ordered', of: (p) => p.has_ordered ?? 0 },
  { name: 'years_since_last_order', of: (p) => (p.days_since_last_order ?? 365) / 365 },
  { name: 'share_coffee_90d', of: (p) => p.share_coffee_90d ?? 0 },
  { name: 'share_tea_90d', of: (p) => p.share_tea_90d ?? 0 },
  { name: 'share_gear_90d', of: (p) => p.share_gear_90d ?? 0 },
  { name: 'plan_premium', of: (p) => p.plan_premium ?? 0 },
  { name: 'plan_budget', of: (p) => p.plan_budget ?? 0 },
  { name: 'log_email_clicks_90d', of: (p) => log1p(p.email_clicks_90d) },
  { name: 'share_mobile_90d', of: (p) => p.share_mobile_90d ?? 0 },
  { name: 'device_mobile', of: (_p, c) => (c.device === 'mobile' ? 1 : 0) },
];
export const CONTEXT_FEATURE_NAMES = CONTEXT_FEATURES.map((f) => f.name);
export const CONTEXT_DIM = CONTEXT_FEATURES.length;

export function contextVector(profile: Readonly<Record<string, number>>, context: DecisionContext): number[] {
  return CONTEXT_FEATURES.map((f) => f.of(profile, context));
}
