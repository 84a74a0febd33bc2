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

  it('finds street lines in lower case after words that announce them, and with a flat number after them', () => {
    expect(addresses('meet me at 2407 tawastintie 6, sé, portugal')).toEqual([
      '2407 tawastintie 6, sé, portugal',
    ]);
    expect(addresses('the bus drops you off at 74678 midtvollen 130 st.')).toEqual([
      '74678 midtvollen 130 st.',
    ]);
    expect(addresses('x\n3747 3911 fourth avenue suite 112 calgary alberta')).toEqual([
      '3747 3911 fourth avenue suite 112 calgary alberta',
    ]);
    expect(addresses('and 7878 Rahu 37 Apt. 405 Sindi PR')).toEqual(['7878 Rahu 37 Apt. 405 Sindi PR']);
  });

  it('takes a building number before French streets, Hungarian names with a lower-case word, Norwegian terrasse', () => {
    expect(addresses('it is 143 31 rue de la Hulotais Apt. 087 SAINT-PRIEST France')).toEqual([
      '143 31 rue de la Hulotais Apt. 087 SAINT-PRIEST France',
    ]);
    expect(addresses('The bus drops you off at 70248 31 Rue tachkent St.')).toEqual([
      '70248 31 Rue tachkent',
    ]);
    expect(addresses('The bus drops you off at 518 Árpád fejedelem útja 62. St.')).toEqual([
      '518 Árpád fejedelem útja 62',
    ]);
    expect(addresses("It's in 0269 Stensås terrasse 38\n Suite 621\n ARENDAL\n Norway")).toEqual([
      '0269 Stensås terrasse 38\n Suite 621\n ARENDAL\n Norway',
    ]);
    expect(addresses('4596 Tylova 285\n Suite 578\n Ostrov nad Ohrí\n Czech Republic 56655')).toEqual([
      '4596 Tylova 285\n Suite 578\n Ostrov nad Ohrí\n Czech Republic 56655',
    ]);
  });

  it('finds a street named without a number after "on", "in", "along", but not figurative streets', () => {
    expect(addresses('shows on Marina Fort Street were important')).toEqual(['Marina Fort Street']);
    expect(addresses('She lives on Elm Street, near the park')).toEqual(['Elm Street']);
    expect(addresses('He works on Wall Street. A trip down Memory Lane.')).toEqual([]);
    expect(addresses('See it on our Product Road Map, or on Google Drive.')).toEqual([]);
    expect(addresses('We met in The Street')).toEqual([]);
  });

  it('finds a lower-case address block with a flat number, not a count with "unit"', () => {
    expect(addresses('??? 688 rue du centre 320\n??? apt. 169\n??? marke\n??? belgium 97466')).toEqual([
      '688 rue du centre 320\n??? apt. 169\n??? marke\n??? belgium 97466',
    ]);
    expect(addresses('Items:\n3 boxes of 12 unit 5\nTotal 40')).toEqual([]);
  });

  it('joins two overlapping readings of one block into one span', () => {
    expect(addresses("It's in Λεωφόρος Συγγρού 119 Nino Point\n Apt. 658")).toEqual([
      'Λεωφόρος Συγγρού 119 Nino Point\n Apt. 658',
    ]);
  });

  it('leaves counts, product numbers and dates before a flat word alone', () => {
    expect(addresses('ship to 2 warehouses 5 times')).toEqual([]);
    expect(addresses('We shipped 300 trees along the road, suite 5')).toEqual([]);
    expect(addresses('Version 3 Release 12 Suite 2019')).toEqual([]);
    expect(addresses('Top 10 Songs 2019 Unit 3')).toEqual([]);
    expect(addresses('Room 12 Floor 3')).toEqual([]);
    expect(addresses('Creative Suite 2021 and Office 365 Suite')).toEqual([]);
    expect(addresses('On 5 March 2024 Suite 12 opened')).toEqual(['Suite 12']);
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
