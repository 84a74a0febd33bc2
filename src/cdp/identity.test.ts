import { describe, expect, it } from 'vitest';
import { personIdOf, notAnIdentityReason, replayIdentity } from './identity.js';

describe('identity', () => {
  it('refuses stand-in values as identities', () => {
    for (const id of [
      '',
      ' ',
      'null',
      'NULL',
      'undefined',
      'anonymous',
      '-1',
      '0',
      '00000000-0000-0000-0000-000000000000',
      '---',
      'x'.repeat(201),
    ]) {
      expect(notAnIdentityReason(id), JSON.stringify(id)).not.toBeNull();
    }
    for (const id of ['u1', 'kc_0000001', '42', 'ab82efa1-296f-48d8-afdc-c7b7ff4f531a'])
      expect(notAnIdentityReason(id)).toBeNull();
  });

  it('links several devices to one person and resolves every event to them', () => {
    const r = replayIdentity([
      { type: 'page', anonymousId: 'phone' },
      { type: 'identify', userId: 'ann', anonymousId: 'phone' },
      { type: 'alias', previousId: 'laptop', userId: 'ann' },
      { type: 'track', userId: 'ann', anonymousId: 'tablet' },
    ]);
    expect([...r.links].sort()).toEqual([
      ['laptop', 'ann'],
      ['phone', 'ann'],
      ['tablet', 'ann'],
    ]);
    expect(r.conflicts).toEqual([]);
    for (const anon of ['phone', 'laptop', 'tablet'])
      expect(personIdOf(null, anon, (a) => r.links.get(a))).toBe('u:ann');
    expect(personIdOf(null, 'stranger', (a) => r.links.get(a))).toBe('a:stranger');
  });

  it('never merges two identified people: a shared device and an alias between users are recorded as conflicts', () => {
    const r = replayIdentity([
      { type: 'identify', userId: 'ann', anonymousId: 'family-ipad' },
      { type: 'identify', userId: 'bob', anonymousId: 'family-ipad' },
      { type: 'identify', userId: 'cy', anonymousId: 'cy-phone' },
      { type: 'alias', previousId: 'ann', userId: 'cy' },
    ]);
    expect(r.links.get('family-ipad')).toBe('ann');
    expect(r.conflicts).toEqual([
      { kind: 'shared-device', anonymousId: 'family-ipad', existingUserId: 'ann', newUserId: 'bob' },
      { kind: 'alias-of-identified-person', anonymousId: 'ann', existingUserId: 'ann', newUserId: 'cy' },
    ]);
    expect(r.links.has('ann')).toBe(false);
  });

  it('is deterministic: replaying the same history gives the same graph', () => {
    const history = Array.from({ length: 500 }, (_, i) => ({
      type: i % 3 === 0 ? 'alias' : 'identify',
      userId: `u${i % 37}`,
      anonymousId: `a${i % 101}`,
      previousId: `a${(i * 7) % 101}`,
    }));
    const a = replayIdentity(history);
    const b = replayIdentity(history);
    expect([...a.links]).toEqual([...b.links]);
    expect(a.conflicts).toEqual(b.conflicts);
  });
});
