import { describe, expect, it } from 'vitest';
import { classifyIntent, extractTerms, jsonLdProblems, wordCountRange } from './analysis.js';
import { contentScore } from './score.js';
import type { SeoBrief } from './brief-schema.js';

describe('SEO brief analysis', () => {
  it('classifies intent by rule', () => {
    expect(classifyIntent('buy green tea', ['Kettle & Crane'])).toBe('transactional');
    expect(classifyIntent('best burr grinder', [])).toBe('commercial');
    expect(classifyIntent('green tea temperature', [])).toBe('informational');
  });

  it('targets mention ranges from the rate over all sources, counting repeated sentences once', () => {
    const boiler = 'Free shipping on orders over $45.';
    const terms = extractTerms(
      'green tea',
      [
        {
          id: 's1',
          origin: 'brand',
          text: `Green tea likes cool water. Brew green tea for two minutes. ${boiler}`,
        },
        { id: 's2', origin: 'brand', text: `Steep green tea leaves twice. ${boiler}` },
        { id: 'c1', origin: 'competitor', text: `Green tea tastes grassy. ${boiler}` },
      ],
      1000,
    );
    // 17 + 5 + 4 = 26 words once the repeated sentence counts once (its six words in s1 only); "green tea"
    // occurs 4 times: 4/26 × 1000 = 153.8 mentions expected in 1,000 words, so round(76.9)–round(230.8).
    expect(terms.find((t) => t.term === 'green tea')).toEqual({
      term: 'green tea',
      min: 77,
      max: 231,
      from: ['keyword', 'brand', 'competitor'],
    });
    // The boilerplate counts once, so "shipping" is in one source only: not a term.
    expect(terms.map((t) => t.term)).not.toContain('shipping');
  });

  it('derives the length from competitor pages, and checks JSON-LD types against the whitelist', () => {
    expect(wordCountRange('informational', [600, 1000, 800])).toMatchObject({ min: 650, max: 1000 });
    expect(jsonLdProblems([{ '@context': 'https://schema.org', '@type': 'Recipe' }])).toEqual([
      'jsonLd[0]: @type "Recipe" is not on the whitelist',
    ]);
    expect(
      jsonLdProblems([
        { '@context': 'https://schema.org', '@type': 'Article', author: { '@type': 'Person' } },
      ]),
    ).toEqual(['jsonLd[0].author: @type "Person" is not on the whitelist']);
  });

  it('scores a brief deterministically from its parts', () => {
    const brief: SeoBrief = {
      keyword: 'green tea',
      intent: 'informational',
      language: 'en',
      titles: ['Green tea without bitterness: water at 75 °C'],
      h1s: ['Green tea'],
      metaDescriptions: ['short'],
      outline: [
        {
          heading: 'Water temperature',
          points: [
            { text: 'Use water at 75–80 °C.', sources: ['s1'] },
            { text: 'Steep for two minutes.', sources: [] },
          ],
          subsections: [],
        },
      ],
      terms: [
        { term: 'green tea', min: 1, max: 3, from: ['keyword'] },
        { term: 'sencha', min: 1, max: 2, from: ['brand'] },
      ],
      entities: [],
      questions: [{ text: 'How hot should the water be?', source: null }],
      wordCount: { min: 800, max: 1200, basis: 'test' },
      internalLinks: [{ url: '/guides/green-tea', anchor: 'x' }],
      jsonLd: [],
      notes: [],
    };
    // terms 1 of 2 → 20; questions: "water" of (should, water) in the outline = 1/2 → 20; sources 1 of 2
    // points → 10; metadata: title 44 characters (5) + H1 (5), no meta of 70–155, one link → 10. Total 60.
    expect(contentScore(brief)).toMatchObject({
      total: 60,
      parts: { terms: 20, questions: 20, sources: 10, metadata: 10 },
    });
  });
});
