import { describe, expect, it } from 'vitest';
import { detectPii } from './detect.js';

const dates = (text: string, minScore?: number) =>
  detectPii(text, minScore)
    .filter((f) => f.type === 'DATE_TIME')
    .map((f) => text.slice(f.start, f.end));

describe('DATE_TIME', () => {
  it('finds the forms people write, English and German, as one span each', () => {
    expect(dates('We met on Monday, 5 March 2024 in Köln.')).toEqual(['Monday, 5 March 2024']);
    expect(dates('Due March 5th, 2024.')).toEqual(['March 5th, 2024']);
    expect(dates('Am 5. März 2024 um 14:30 Uhr')).toEqual(['5. März 2024 um 14:30 Uhr']);
    expect(dates('Logged 2000-04-16 11:34:35 by the job')).toEqual(['2000-04-16 11:34:35']);
    expect(dates('The fair runs 5–7 March 2024.')).toEqual(['5–7 March 2024']);
    expect(dates('Invoice for Jan 2022 is ready')).toEqual(['Jan 2022']);
    expect(dates('Seit Januar gilt der neue Tarif; in March we move.')).toEqual(['Januar', 'March']);
    expect(dates('During 1971, Mayo-Walters invested heavily.')).toEqual(['1971']);
    expect(dates('Zoolander is a 2017 Polish action-comedy film.')).toEqual(['2017']);
    expect(dates('music from the 1990s, the campaign ran 2019–2021')).toEqual(['1990s', '2019–2021']);
  });

  it('scores a date next to "born" or "geboren" higher', () => {
    const [plain] = detectPii('on 14.03.1985');
    const [born] = detectPii('geboren am 14.03.1985');
    expect(plain!.score).toBe(0.6);
    expect(born!.score).toBe(0.95);
  });

  it('keeps times alone and relative dates as candidates below the reporting threshold', () => {
    expect(dates('Time 12:34:56')).toEqual([]);
    expect(dates('See you tomorrow at 9 am, or vor 3 Tagen')).toEqual([]);
    expect(dates('See you tomorrow at 9 am, or vor 3 Tagen', 0)).toEqual(['tomorrow', '9 am', 'vor 3 Tagen']);
  });

  it('leaves versions, prices, order numbers and the verb "may" alone', () => {
    expect(dates('Update to version 2.10.1 for $19.99 (order 2024-001234).')).toEqual([]);
    expect(dates('You may 3 times redeem it; we march 5 km.')).toEqual([]);
    expect(dates('Brew 18 g at 94 °C for 4 minutes.')).toEqual([]);
  });
});
