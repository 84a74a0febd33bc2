import { describe, expect, it } from 'vitest';
import { detectPii } from './detect.js';

const addresses = (text: string) =>
  detectPii(text)
    .filter((f) => f.type === 'STREET_ADDRESS')
    .map((f) => text.slice(f.start, f.end));

describe('STREET_ADDRESS', () => {
  it('finds English, German and other continental street lines with their block', () => {
    expect(addresses('Ship to 221B Baker Street, London.')).toEqual(['221B Baker Street, London']);
    expect(addresses('Send it to Musterstraße 12, 10115 Berlin.')).toEqual(['Musterstraße 12, 10115 Berlin']);
    expect(addresses('Wir sitzen in der Berliner Straße 5a.')).toEqual(['Berliner Straße 5a']);
    expect(addresses('Anschrift: Koepenicker Str. 74')).toEqual(['Koepenicker Str. 74']);
    expect(addresses('Our shop: Via Roma 131 and 33 rue de Provence')).toEqual([
      'Via Roma 131',
      '33 rue de Provence',
    ]);
    expect(addresses('123 Main St Apt 4B, Springfield, IL 62704')).toEqual([
      '123 Main St Apt 4B, Springfield, IL 62704',
    ]);
  });

  it('takes a street line without a street word when an address block follows it', () => {
    const text = 'Jane Roe\n20789 Allika 46\n Suite 501\n Riisa\n\n Estonia 62488\nThanks';
    expect(addresses(text)).toEqual(['20789 Allika 46\n Suite 501\n Riisa\n\n Estonia 62488']);
  });

  it('finds PO boxes, US military mail, corners and addresses announced by their context', () => {
    expect(addresses('P.O. Box 1234 or Postfach 10 02 03')).toEqual(['P.O. Box 1234', 'Postfach 10 02 03']);
    expect(addresses('PSC 3294, Box 9168\nAPO AA 61487')).toEqual(['PSC 3294, Box 9168\nAPO AA 61487']);
    expect(addresses('Meet at the corner of 3rd Street and Main Avenue.')).toEqual([
      'the corner of 3rd Street and Main Avenue',
    ]);
    expect(addresses('Timotea lives on Via dei Fiorentini 17 street.')).toEqual(['Via dei Fiorentini 17']);
  });

  it('leaves years, prices, dates and product numbers alone', () => {
    expect(addresses('During 1971, the company invested heavily.')).toEqual([]);
    expect(addresses('You sent $200.00 via Wire Payment')).toEqual([]);
    expect(addresses('Due Date\n\n07 Feb 2022\n\nTOTAL')).toEqual([]);
    expect(addresses('the 2011 Arab Spring changed it')).toEqual([]);
    expect(addresses('Windows 10 and Office 365 on 3 Apple Macs')).toEqual([]);
    expect(addresses('Suite 5 of the app; order 12345 Main Course')).toEqual([]);
  });
});
