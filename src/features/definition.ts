// What a person's features are, written once. Training rows, the materialised table and serving all
// go through `rawFeaturesSql` (aggregates over events strictly before an instant) and `toVector`
// (the pure finish that turns those aggregates into numbers as of that instant).

/** Bump when a feature is added, removed or redefined: models record the version they were trained on. */
export const FEATURE_SET_VERSION = 2;

/** Trailing windows, in days, that the windowed counts use. */
export const WINDOWS = [7, 30, 90, 180, 365] as const;

/** Product categories of the catalogue (fixtures/brand/catalogue.json) whose view shares are features. */
export const CATEGORIES = ['coffee', 'tea', 'gear', 'drinkware', 'gift', 'subscription'] as const;
export const DEVICES = ['mobile', 'tablet', 'desktop'] as const;
export const PLANS = ['budget', 'regular', 'premium'] as const;

/**
 * Aggregates over one person's events with `timestamp < asOf`. Counts are exact for the instant they
 * were computed at; timestamps let `toVector` compute "days since" for that instant.
 */
export type RawFeatures = {
  orders: Record<(typeof WINDOWS)[number], number>;
  revenue30: number;
  revenue90: number;
  revenue365: number;
  lastOrderAt: string | null;
  activeDays7: number;
  activeDays30: number;
  activeDays90: number;
  pageViews30: number;
  productViews30: number;
  productViews90: number;
  cartAdds30: number;
  checkouts30: number;
  emailOpens30: number;
  emailOpens90: number;
  emailClicks30: number;
  emailClicks90: number;
  categoryViews90: Record<(typeof CATEGORIES)[number], number>;
  deviceEvents90: Record<(typeof DEVICES)[number], number>;
  signedUpAt: string | null;
  firstSeenAt: string | null;
  plan: string | null;
};

type Feature = { name: string; description: string };

const f = (name: string, description: string): Feature => ({ name, description });

/** The feature list, in the order vectors and exported tables use. */
export const FEATURES: readonly Feature[] = [
  ...WINDOWS.map((w) => f(`orders_${w}d`, `Orders completed in the ${w} days before the instant`)),
  f('revenue_30d', 'Revenue of orders in the last 30 days'),
  f('revenue_90d', 'Revenue of orders in the last 90 days'),
  f('revenue_365d', 'Revenue of orders in the last 365 days'),
  f('has_ordered', '1 if the person ever completed an order before the instant'),
  f('days_since_last_order', 'Days since the last order, capped at 365 (365 when none)'),
  f(
    'days_since_order_or_signup',
    'Days since the last order, or since sign-up when there was none, capped at 365 (365 when neither)',
  ),
  f('log_orders_180d', 'ln(1 + orders in the last 180 days)'),
  f('log_active_days_30d', 'ln(1 + active days in the last 30 days)'),
  f('log_product_views_30d', 'ln(1 + products viewed in the last 30 days)'),
  f('active_days_7d', 'Distinct UTC days with site or app activity in the last 7 days'),
  f('active_days_30d', 'Distinct UTC days with site or app activity in the last 30 days'),
  f('active_days_90d', 'Distinct UTC days with site or app activity in the last 90 days'),
  f('page_views_30d', 'Pages viewed in the last 30 days'),
  f('product_views_30d', 'Products viewed in the last 30 days'),
  f('product_views_90d', 'Products viewed in the last 90 days'),
  f('cart_adds_30d', 'Products added to the cart in the last 30 days'),
  f('checkouts_30d', 'Checkouts started in the last 30 days'),
  f('email_opens_30d', 'E-mails opened in the last 30 days'),
  f('email_opens_90d', 'E-mails opened in the last 90 days'),
  f('email_clicks_30d', 'E-mail links clicked in the last 30 days'),
  f('email_clicks_90d', 'E-mail links clicked in the last 90 days'),
  ...CATEGORIES.map((c) => f(`share_${c}_90d`, `Share of product views in ${c} over 90 days (0 when none)`)),
  f('share_mobile_90d', 'Share of site/app events from mobile devices over 90 days'),
  f('share_tablet_90d', 'Share of site/app events from tablets over 90 days'),
  f('signed_up', '1 if the person signed up before the instant'),
  f('days_since_signup', 'Days since sign-up (0 when not signed up), capped at 3650'),
  f('days_since_first_seen', 'Days since the first event, capped at 3650'),
  ...PLANS.map((p) => f(`plan_${p}`, `1 if the latest identify before the instant says plan "${p}"`)),
];

export const FEATURE_NAMES: readonly string[] = FEATURES.map((x) => x.name);

const DAY_MS = 86_400_000;
const daysBetween = (from: string, to: Date) => Math.max(0, (to.getTime() - Date.parse(from)) / DAY_MS);

/** The pure finish: aggregates as of `asOf` → the feature vector, in FEATURE_NAMES order. */
export function toVector(raw: RawFeatures, asOf: Date): number[] {
  const views = CATEGORIES.reduce((s, c) => s + raw.categoryViews90[c], 0);
  const devices = DEVICES.reduce((s, d) => s + raw.deviceEvents90[d], 0);
  const share = (n: number, of: number) => (of > 0 ? n / of : 0);
  return [
    ...WINDOWS.map((w) => raw.orders[w]),
    raw.revenue30,
    raw.revenue90,
    raw.revenue365,
    raw.lastOrderAt ? 1 : 0,
    raw.lastOrderAt ? Math.min(365, daysBetween(raw.lastOrderAt, asOf)) : 365,
    Math.min(
      365,
      (raw.lastOrderAt ?? raw.signedUpAt) ? daysBetween((raw.lastOrderAt ?? raw.signedUpAt)!, asOf) : 365,
    ),
    Math.log1p(raw.orders[180]),
    Math.log1p(raw.activeDays30),
    Math.log1p(raw.productViews30),
    raw.activeDays7,
    raw.activeDays30,
    raw.activeDays90,
    raw.pageViews30,
    raw.productViews30,
    raw.productViews90,
    raw.cartAdds30,
    raw.checkouts30,
    raw.emailOpens30,
    raw.emailOpens90,
    raw.emailClicks30,
    raw.emailClicks90,
    ...CATEGORIES.map((c) => share(raw.categoryViews90[c], views)),
    share(raw.deviceEvents90.mobile, devices),
    share(raw.deviceEvents90.tablet, devices),
    raw.signedUpAt ? 1 : 0,
    raw.signedUpAt ? Math.min(3650, daysBetween(raw.signedUpAt, asOf)) : 0,
    raw.firstSeenAt ? Math.min(3650, daysBetween(raw.firstSeenAt, asOf)) : 0,
    ...PLANS.map((p) => (raw.plan === p ? 1 : 0)),
  ];
}

/** The vector as a named record, for APIs and explanations. */
export function toNamed(vector: readonly number[]): Record<string, number> {
  return Object.fromEntries(FEATURE_NAMES.map((n, i) => [n, vector[i] ?? 0]));
}
