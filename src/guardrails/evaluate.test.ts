import { describe, expect, it } from 'vitest';
import { piiFigures, type PiiRow } from './evaluate.js';
import type { PiiFinding } from './pii/detect.js';

const row = (text: string, spans: PiiRow['spans']): PiiRow => ({ text, spans, source: 'test' });
const found = (type: PiiFinding['type'], start: number, end: number): PiiFinding => ({
  type,
  start,
  end,
  score: 1,
});

describe('PII figures', () => {
  it('lets one prediction cover several gold pieces of its type, and counts a piece of a gold span as no false finding', () => {
    // Gold: street line, unit and postcode as three pieces (as presidio-research labels address blocks).
    const text = '20789 Allika 46\nSuite 501\nEstonia 62488';
    const gold = [
      { type: 'STREET_ADDRESS', start: 0, end: 15 },
      { type: 'STREET_ADDRESS', start: 16, end: 25 },
      { type: 'STREET_ADDRESS', start: 34, end: 39 },
    ];
    const whole = piiFigures([row(text, gold)], () => [found('STREET_ADDRESS', 0, 39)]);
    expect(whole.byType['STREET_ADDRESS']).toMatchObject({
      truePositives: 3,
      falsePositives: 0,
      falseNegatives: 0,
    });
    // A prediction of half the first piece covers it; one outside every gold span is false.
    const parts = piiFigures([row(text, gold)], () => [
      found('STREET_ADDRESS', 6, 15),
      found('STREET_ADDRESS', 26, 33),
    ]);
    expect(parts.byType['STREET_ADDRESS']).toMatchObject({
      truePositives: 1,
      falsePositives: 1,
      falseNegatives: 2,
    });
    expect(parts.byType['STREET_ADDRESS']!.recall).toBeCloseTo(1 / 3);
    expect(parts.byType['STREET_ADDRESS']!.precision).toBeCloseTo(1 / 2);
  });

  it('counts texts without scored gold spans that get a finding, and ignores unscored gold types', () => {
    const rows = [
      row('Acme GmbH in Berlin', [{ type: 'ORGANIZATION', start: 0, end: 9 }]),
      row('nothing here', []),
      row('call 030 1234567', [{ type: 'PHONE_NUMBER', start: 5, end: 16 }]),
    ];
    const f = piiFigures(rows, (t) => (t.startsWith('Acme') ? [found('PERSON', 0, 4)] : []));
    expect(f.textsWithNone).toEqual({ n: 2, flagged: 1, rate: 0.5 });
    expect(f.byType['PERSON']).toMatchObject({ truePositives: 0, falsePositives: 1 });
    expect(f.byType['PHONE_NUMBER']).toMatchObject({ truePositives: 0, falseNegatives: 1, recall: 0 });
  });
});
