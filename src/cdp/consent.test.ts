import { describe, expect, it } from 'vitest';
import { categoriesFromSignal, consentFromContext } from './consent.js';

describe('consent signals', () => {
  it('grants only on an explicit true or "granted"; pending is never granted', () => {
    expect(
      categoriesFromSignal({ analytics: true, personalization: 'pending', marketing: 'true', ads: null }),
    ).toEqual({ analytics: true, personalization: false, marketing: false, ads: false });
  });

  it('maps Google Consent Mode v2 signals onto the categories', () => {
    expect(
      categoriesFromSignal({
        analytics_storage: 'granted',
        ad_storage: 'granted',
        ad_user_data: 'granted',
        ad_personalization: 'denied',
      }),
    ).toEqual({ analytics: true, personalization: false, marketing: false, ads: true });
    // Ads needs every ads signal granted.
    expect(categoriesFromSignal({ ad_storage: 'granted', ad_user_data: 'denied' }).ads).toBe(false);
  });

  it('reads Segment’s context.consent.categoryPreferences, and nothing else, as the event’s signal', () => {
    expect(
      consentFromContext({ consent: { categoryPreferences: { Analytics: true } } })?.categories.analytics,
    ).toBe(true);
    expect(consentFromContext({})).toBeNull();
    expect(consentFromContext({ consent: { categoryPreferences: 'all' } })).toBeNull();
  });
});
