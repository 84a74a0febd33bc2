import { describe, expect, it } from 'vitest';
import { claimCheck, extractClaims } from './claims.js';

describe('claim extraction', () => {
  it('keeps a decimal price inside its sentence, so a quoted price is entailed by its passage', () => {
    const passage = 'Foggy Peak Sencha costs $15.00 · free shipping on orders over $45.';
    expect(extractClaims('$15.00 · free shipping on orders over $45.')).toEqual([
      { start: 0, end: 42, kind: 'number', keys: ['15', '45'] },
    ]);
    expect(
      claimCheck.run('$15.00 · free shipping on orders over $45.', {
        citedChunks: [{ id: 's1', text: passage }],
      }),
    ).toEqual([]);
    expect(
      claimCheck.run('$12.00 · free shipping on orders over $45.', {
        citedChunks: [{ id: 's1', text: passage }],
      }),
    ).toHaveLength(1);
  });
});
