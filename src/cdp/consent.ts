// Consent categories and how signals map onto them. Pure: the ledger and state live in consent-store.ts.
//
// Mapping (documented in the README):
//   analytics        ← Google Consent Mode v2 analytics_storage; IAB TCF purposes 1, 7, 8, 9, 10
//   personalization  ← Consent Mode ad_personalization (and personalization_storage); TCF purposes 5, 6
//   marketing        ← email/SMS/push marketing (no Consent Mode signal); TCF purpose 4 where used for it
//   ads              ← Consent Mode ad_storage and ad_user_data; TCF purposes 2, 3, 4
export const CATEGORIES = ['analytics', 'personalization', 'marketing', 'ads'] as const;
export type Category = (typeof CATEGORIES)[number];
export type ConsentCategories = Record<Category, boolean>;

export const NO_CONSENT: ConsentCategories = Object.freeze({
  analytics: false,
  personalization: false,
  marketing: false,
  ads: false,
});

const ALIASES: Record<string, Category[]> = {
  analytics: ['analytics'],
  analytics_storage: ['analytics'],
  statistics: ['analytics'],
  performance: ['analytics'],
  personalization: ['personalization'],
  personalisation: ['personalization'],
  ad_personalization: ['personalization'],
  personalization_storage: ['personalization'],
  functional: ['personalization'],
  marketing: ['marketing'],
  email: ['marketing'],
  ads: ['ads'],
  advertising: ['ads'],
  ad_storage: ['ads'],
  ad_user_data: ['ads'],
  targeting: ['ads'],
};

/** The consent signal an event carries in context.consent.categoryPreferences, or null when it carries none. */
export function consentFromContext(
  context: unknown,
): { categories: ConsentCategories; raw: Record<string, unknown> } | null {
  const prefs = (context as { consent?: { categoryPreferences?: unknown } } | undefined)?.consent
    ?.categoryPreferences;
  if (!prefs || typeof prefs !== 'object' || Array.isArray(prefs)) return null;
  return {
    categories: categoriesFromSignal(prefs as Record<string, unknown>),
    raw: prefs as Record<string, unknown>,
  };
}

/**
 * Granted only by an explicit `true` (or Consent Mode's "granted"). "pending", "unknown", null or a
 * missing key is never granted. A category named twice (analytics and analytics_storage) must be
 * granted by every name used.
 */
export function categoriesFromSignal(signal: Record<string, unknown>): ConsentCategories {
  const granted: Record<Category, boolean | null> = {
    analytics: null,
    personalization: null,
    marketing: null,
    ads: null,
  };
  for (const [key, value] of Object.entries(signal)) {
    const cats = ALIASES[key.toLowerCase()];
    if (!cats) continue;
    const yes = value === true || value === 'granted';
    for (const c of cats) granted[c] = (granted[c] ?? true) && yes;
  }
  return {
    analytics: granted.analytics === true,
    personalization: granted.personalization === true,
    marketing: granted.marketing === true,
    ads: granted.ads === true,
  };
}

export const sameConsent = (a: ConsentCategories, b: ConsentCategories): boolean =>
  CATEGORIES.every((c) => a[c] === b[c]);
