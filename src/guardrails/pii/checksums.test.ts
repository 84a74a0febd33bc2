import { describe, expect, it } from 'vitest';
import { deTaxIdValid, ibanValid, ipv4Valid, ipv6Valid, luhnValid, ssnValid } from './checksums.js';

describe('check digits', () => {
  it('Luhn accepts the published test card numbers and rejects a one-digit change', () => {
    expect(luhnValid('4111111111111111')).toBe(true); // Visa test number
    expect(luhnValid('5555555555554444')).toBe(true); // Mastercard test number
    expect(luhnValid('378282246310005')).toBe(true); // Amex test number
    expect(luhnValid('4111111111111112')).toBe(false);
  });

  it('IBAN mod-97 accepts the registry examples and checks the country length', () => {
    expect(ibanValid('DE89370400440532013000')).toBe(true); // the standard German example
    expect(ibanValid('GB82WEST12345698765432')).toBe(true);
    expect(ibanValid('FR1420041010050500013M02606')).toBe(true);
    expect(ibanValid('DE89370400440532013001')).toBe(false); // check digits no longer fit
    expect(ibanValid('DE8937040044053201300')).toBe(false); // one character short for DE
  });

  it('German tax id: ISO 7064 MOD 11,10 and the repetition rule (Presidio test values)', () => {
    expect(deTaxIdValid('12345678903')).toBe(true);
    expect(deTaxIdValid('98765432106')).toBe(true);
    expect(deTaxIdValid('12345678901')).toBe(false);
    expect(deTaxIdValid('02345678903')).toBe(false);
    expect(deTaxIdValid('11112345678')).toBe(false);
  });

  it('SSN structure, IPv4 and IPv6 forms', () => {
    expect(ssnValid('219099999')).toBe(true);
    expect(ssnValid('666123456')).toBe(false);
    expect(ssnValid('123004567')).toBe(false);
    expect(ipv4Valid('192.168.0.1')).toBe(true);
    expect(ipv4Valid('256.1.1.1')).toBe(false);
    expect(ipv6Valid('2001:db8::1')).toBe(true);
    expect(ipv6Valid('::ffff:192.0.2.128')).toBe(true);
    expect(ipv6Valid('10:30:00')).toBe(false); // a time, not an address
  });
});
