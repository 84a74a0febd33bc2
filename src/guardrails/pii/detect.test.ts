import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { detectPii, maskPii, piiCandidates } from './detect.js';
import { RECOGNIZERS } from './recognizers.js';
import { TEXT_RECOGNIZERS } from './recognizers-text.js';

const types = (text: string) => detectPii(text).map((f) => [f.type, text.slice(f.start, f.end)]);

describe('PII detection', () => {
  it('a Luhn-valid number labelled as an order number is not a card; labelled as a card it is', () => {
    expect(types('Your order number 4111 1111 1111 1111 has shipped.')).toEqual([]);
    expect(types('Visa card 4111 1111 1111 1111, exp 04/29')).toContainEqual([
      'CREDIT_CARD',
      '4111 1111 1111 1111',
    ]);
    expect(types('Ref 4111 1111 1111 1112')).toEqual([]); // fails Luhn
  });

  it('reports an address with its prefix length whole, and only the address when the length is impossible', () => {
    expect(types('route 10.0.0.0/8 via ::1/128')).toEqual([
      ['IP_ADDRESS', '10.0.0.0/8'],
      ['IP_ADDRESS', '::1/128'],
    ]);
    expect(types('default ::/0')).toEqual([['IP_ADDRESS', '::/0']]);
    expect(types('net 10.0.0.0/123')).toEqual([['IP_ADDRESS', '10.0.0.0']]);
    expect(types('std::vector and a bare :: stay text')).toEqual([]);
    expect(types('net 999.0.0.0/8')).toEqual([]);
  });

  it('knows UATP airline cards (15 digits from 1) and still needs the Luhn check', () => {
    expect(types('card 122000000000003')).toEqual([['CREDIT_CARD', '122000000000003']]);
    const cards = (t: string) => types(t).filter(([type]) => type === 'CREDIT_CARD');
    expect(cards('card 122000000000004')).toEqual([]);
    expect(cards('Order number 122000000000003')).toEqual([]);
  });

  it('finds German and international phone numbers, IBANs, tax ids and addresses', () => {
    expect(types('Tel.: 030 12345678')).toEqual([['PHONE_NUMBER', '030 12345678']]);
    expect(types('Ruf an: +49 171 1234567')).toEqual([['PHONE_NUMBER', '+49 171 1234567']]);
    expect(types('IBAN DE89 3704 0044 0532 0130 00 bitte')).toEqual([
      ['IBAN_CODE', 'DE89 3704 0044 0532 0130 00'],
    ]);
    expect(types('Steuer-ID: 12345678903')).toEqual([['DE_TAX_ID', '12345678903']]);
    expect(types('Send it to Musterstraße 12, 10115 Berlin.')).toEqual([
      ['STREET_ADDRESS', 'Musterstraße 12, 10115 Berlin'],
    ]);
    expect(types('born 14.03.1985')).toEqual([['DATE_TIME', '14.03.1985']]);
  });

  it("reports Presidio's very weak SSN forms only as 0.05 candidates, or with an SSN label", () => {
    const ssns = (t: string) =>
      piiCandidates(t)
        .filter((f) => f.type === 'US_SSN')
        .map((f) => [t.slice(f.start, f.end), f.score]);
    expect(types('078-051121 07805-1121 078051121')).toEqual([]);
    expect(ssns('078-051121 07805-1121 078051121')).toEqual([
      ['078051121', 0.05],
      ['078-051121', 0.05],
      ['07805-1121', 0.05],
    ]);
    expect(types('SSN: 07805-1121')).toEqual([['US_SSN', '07805-1121']]);
    expect(types('SSN 078051121')).toEqual([['US_SSN', '078051121']]);
    // Printed sample numbers and impossible groups are not candidates at all.
    expect(ssns('078051120 078-05-1120 123-45-6789 666-12-3456 078-00-1123')).toEqual([]);
  });

  it('leaves marketing copy with numbers alone', () => {
    expect(types('Brew 18 g of coffee at 94 °C for 4 minutes; free shipping over $45.')).toEqual([]);
  });

  it('reports UTF-16 offsets and masks with the Presidio entity name', () => {
    const text = '👋🏽 mail jo@example.com from 10.0.0.1';
    const found = detectPii(text);
    expect(found.map((f) => text.slice(f.start, f.end))).toEqual(['jo@example.com', '10.0.0.1']);
    expect(maskPii(text, found)).toBe('👋🏽 mail <EMAIL_ADDRESS> from <IP_ADDRESS>');
  });

  it('skipping recognizers below the threshold and cheap pre-tests lose no finding at that threshold', () => {
    const texts = [
      'Call me tomorrow at 9:30, or on Monday, 5 March 2024 at 14:30; Dr. Cindy Holinka, jo@example.com',
      'Dear Jane,\nName: Eva Weiß\nvisit www.example.org or 10.0.0.1, fe80::1 and meet me at Via Roma 131',
      'Apt. 117, the corner of 3rd Street and Main Avenue, in March 2019; vor 3 Tagen; shows on Elm Street',
    ];
    for (const t of texts) {
      const all = piiCandidates(t).filter((f) => f.score >= 0.5);
      expect(piiCandidates(t, 0.5)).toEqual(all);
    }
    // Every recognizer's cheap pre-test passes wherever its pattern matches (each is matched below).
    const gated = [...RECOGNIZERS, ...TEXT_RECOGNIZERS].filter((r) => r.needs ?? r.pre);
    for (const r of gated) {
      const matching = texts.filter((t) => {
        r.pattern.lastIndex = 0;
        return r.pattern.test(t);
      });
      expect(matching.length, r.pattern.source.slice(0, 40)).toBeGreaterThan(0);
      for (const t of matching) {
        if (r.needs) expect(r.needs.some((w) => t.includes(w))).toBe(true);
        if (r.pre) expect(r.pre.test(t)).toBe(true);
      }
    }
    // Relative dates and times alone are candidates only: skipped at the threshold, kept at any score.
    expect(piiCandidates('see you tomorrow at 9:30').map((f) => f.score)).toEqual([0.4, 0.4]);
    expect(piiCandidates('see you tomorrow at 9:30', 0.5)).toEqual([]);
  });

  it('findings never overlap and always lie inside the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const found = detectPii(`call 030 1234567 or ${s} jo@x.de`);
        found.forEach((f, i) => {
          expect(f.start).toBeLessThan(f.end);
          if (i > 0) expect(f.start).toBeGreaterThanOrEqual(found[i - 1]!.end);
        });
      }),
      { seed: 16, numRuns: 200 },
    );
  });
});
