// POST /v1/decisions and /v1/rewards end to end, on both databases: the catalogue through the API,
// consent (no personalization → the documented non-personal default; no marketing → no marketing
// action; a withdrawal effective on the next decision), idempotency, the log, rewards and their window.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_MODES } from './helpers/databases.js';
import { openTestServices, type TestContext } from './helpers/services.js';

type Decision = {
  decisionId: string;
  mode: string;
  action: { id: string; channel: string } | null;
  probability: number | null;
  modelVersion: number | null;
  alternatives: {
    actionId: string;
    probability: number;
    expectedValue: number;
    pResponse: number;
    value: number;
    lever: number;
    cost: number;
  }[];
  shadow: { actionId: string } | null;
  reasons: { actionId: string; reason: string; detail: string }[];
};

const HOUR = 3_600_000;

describe.each(DATABASE_MODES)('next best action on the %s database', (mode) => {
  let t: TestContext;
  let crm: string;
  let admin: string;
  let now = new Date('2026-06-01T12:00:00Z');
  const consent = (userId: string, categories: Record<string, boolean>) =>
    t.request('/v1/consent', {
      key: admin,
      json: { userId, categories, at: new Date(now.getTime() - 1000).toISOString() },
    });
  const decideFor = async (body: Record<string, unknown>, expected = 201) => {
    const r = await t.request('/v1/decisions', { key: crm, json: body });
    expect(r.status, await r.clone().text()).toBe(expected);
    return (await r.json()) as Decision;
  };

  beforeAll(async () => {
    t = await openTestServices(mode, { clock: () => now });
    crm = await t.keyFor('crm');
    admin = await t.keyFor('admin');
    const put = async (path: string, json: unknown) => {
      const r = await t.request(path, { key: crm, method: 'PUT', json });
      expect(r.status, await r.clone().text()).toBe(200);
    };
    await put('/v1/nba/actions/coffee-10-off', {
      name: '10% off coffee',
      channel: 'email',
      value: 38,
      cost: 1.8,
      caps: [{ max: 1, days: 7 }],
    });
    await put('/v1/nba/actions/grinder-launch', {
      name: 'Grinder',
      channel: 'social',
      value: 139,
      cost: 0.9,
      lever: 2,
    });
    await put('/v1/nba/actions/tips-article', {
      name: 'Brewing tips',
      channel: 'web',
      value: 2,
      cost: 0,
      marketing: false,
    });
    await put('/v1/nba/actions/vip-only', {
      name: 'VIP',
      channel: 'email',
      value: 50,
      cost: 1,
      eligibility: {
        all: [
          { field: 'context.device', op: 'eq', value: 'desktop' },
          { field: 'profile.orders_365d', op: 'gte', value: 5 },
        ],
      },
    });
    await put('/v1/nba/actions/expired', {
      name: 'Old',
      channel: 'email',
      value: 10,
      cost: 1,
      endsAt: '2026-01-01T00:00:00Z',
    });
    await put('/v1/nba/placements/default', {
      policy: 'thompson',
      defaultActionId: 'tips-article',
      rewardWindowHours: 24,
    });
    await put('/v1/nba/placements/hero', {
      policy: 'epsilon-greedy',
      shadow: true,
      defaultActionId: 'coffee-10-off',
    });
    await consent('all', { analytics: true, personalization: true, marketing: true });
    await consent('nopers', { analytics: true, personalization: false, marketing: true });
    await consent('nomkt', { analytics: true, personalization: true, marketing: false });
  });
  afterAll(async () => t?.close());

  it('chooses a learned action with probabilities, ranked alternatives, EV factors and reasons', async () => {
    const d = await decideFor({ customerId: 'all', context: { device: 'mobile' } });
    expect(d.mode).toBe('learned');
    expect(d.action).not.toBeNull();
    const ids = d.alternatives.map((a) => a.actionId).sort();
    expect(ids).toEqual(['coffee-10-off', 'grinder-launch', 'tips-article']);
    const total = d.alternatives.reduce((s, a) => s + a.probability, 0);
    expect(total).toBeCloseTo(1, 6);
    expect(d.probability).toBe(d.alternatives.find((a) => a.actionId === d.action!.id)!.probability);
    for (const a of d.alternatives) {
      expect(a.probability).toBeGreaterThan(0);
      expect(a.expectedValue).toBeCloseTo(a.pResponse * a.value * a.lever - a.cost, 9);
    }
    const why = Object.fromEntries(d.reasons.map((r) => [r.actionId, r.reason]));
    expect(why).toEqual({ 'vip-only': 'eligibility', expired: 'inactive' });
  });

  it('without personalization: the placement default, never a learned choice', async () => {
    const d = await decideFor({ customerId: 'nopers' });
    expect(d.mode).toBe('non-personal');
    expect(d.action?.id).toBe('tips-article');
    expect(d.probability).toBe(1);
    expect(d.alternatives).toEqual([]);
    expect(d.modelVersion).toBeNull();
    expect(d.reasons.find((r) => r.actionId === 'vip-only')?.detail).toMatch(/personalization/);
  });

  it('without marketing consent: no marketing action at all', async () => {
    for (let i = 0; i < 5; i++) {
      const d = await decideFor({ customerId: 'nomkt' });
      expect(d.action?.id).toBe('tips-article');
      expect(d.alternatives.map((a) => a.actionId)).toEqual(['tips-article']);
      expect(
        d.reasons
          .filter((r) => r.reason === 'consent')
          .map((r) => r.actionId)
          .sort(),
      ).toEqual(['coffee-10-off', 'grinder-launch', 'vip-only']);
    }
  });

  it('a withdrawal takes effect on the next decision', async () => {
    await consent('withdraws', { analytics: true, personalization: true, marketing: true });
    const before = await decideFor({ customerId: 'withdraws', candidates: ['grinder-launch'] });
    expect(before.action?.id).toBe('grinder-launch');
    await consent('withdraws', { analytics: true, personalization: true, marketing: false });
    const after = await decideFor({ customerId: 'withdraws', candidates: ['grinder-launch'] });
    expect(after.mode).toBe('none');
    expect(after.action).toBeNull();
    expect(after.reasons).toEqual([
      expect.objectContaining({ actionId: 'grinder-launch', reason: 'consent' }),
    ]);
    await consent('withdraws', { analytics: true, personalization: false, marketing: true });
    expect((await decideFor({ customerId: 'withdraws' })).mode).toBe('non-personal');
  });

  it('is idempotent on the request id, and enforces the per-action cap', async () => {
    const body = { customerId: 'capped', requestId: 'req-1', candidates: ['coffee-10-off'] };
    await consent('capped', { analytics: true, personalization: true, marketing: true });
    const first = await decideFor(body, 201);
    const again = await decideFor(body, 200);
    expect(again).toEqual(first);
    expect(first.action?.id).toBe('coffee-10-off');
    const second = await decideFor({ ...body, requestId: 'req-2' });
    expect(second.action).toBeNull();
    expect(second.reasons[0]).toMatchObject({ actionId: 'coffee-10-off', reason: 'cap' });
    now = new Date(now.getTime() + 7 * 24 * HOUR + 1000);
    const later = await decideFor({ ...body, requestId: 'req-3' });
    expect(later.action?.id).toBe('coffee-10-off');
  });

  it('answers a repeated request id in every mode with the answer first given, rebuilt from the log', async () => {
    await consent('replayed', { analytics: true, personalization: true, marketing: true });
    const asks = [
      // shadow: the default served, the policy's choice in `shadow`
      { customerId: 'replayed', requestId: 'r-shadow', context: { placement: 'hero' } },
      // non-personal: no personalization consent, the placement's default, no alternatives
      { customerId: 'nopers', requestId: 'r-nonpersonal' },
      // none: nothing eligible, every candidate with its reason
      { customerId: 'nomkt', requestId: 'r-none', candidates: ['coffee-10-off', 'expired', 'missing'] },
      // learned, with a context field and exclusions
      { customerId: 'replayed', requestId: 'r-learned', context: { device: 'tablet' } },
    ];
    for (const body of asks) {
      const firstAnswer = await t.request('/v1/decisions', { key: crm, json: body });
      expect(firstAnswer.status).toBe(201);
      const firstText = await firstAnswer.text();
      const first = JSON.parse(firstText) as Decision;
      now = new Date(now.getTime() + 1000);
      // The catalogue changes afterwards: the replay still shows what the first answer showed.
      const r = await t.request('/v1/nba/placements/hero', {
        key: crm,
        method: 'PUT',
        json: { policy: 'epsilon-greedy', shadow: true, defaultActionId: 'coffee-10-off', floor: 0.1 },
      });
      expect(r.status).toBe(200);
      const again = await t.request('/v1/decisions', { key: crm, json: body });
      expect(again.status).toBe(200);
      // The same text: every field, value and key order of the first answer.
      expect(await again.text()).toBe(firstText);
      expect(first.reasons.length + first.alternatives.length).toBeGreaterThan(0);
    }
    const [row] = await t.services.database.sql<{ mode: string }[]>`
      select mode from nba_decisions where request_key like '%:r-none'`;
    expect(row!.mode).toBe('none');
  });

  it('shadow mode serves the default and logs what the policy would have chosen', async () => {
    await consent('shadowed', { analytics: true, personalization: true, marketing: true });
    const d = await decideFor({ customerId: 'shadowed', context: { placement: 'hero' } });
    expect(d.mode).toBe('shadow');
    expect(d.action?.id).toBe('coffee-10-off');
    expect(d.shadow).not.toBeNull();
    expect(d.alternatives.map((a) => a.actionId)).toContain(d.shadow!.actionId);
    const [row] = await t.services.database.sql<{ chosen_action_id: string; served_action_id: string }[]>`
      select chosen_action_id, served_action_id from nba_decisions where id = ${d.decisionId}`;
    expect(row).toEqual({ chosen_action_id: d.shadow!.actionId, served_action_id: 'coffee-10-off' });
  });

  it('logs every candidate with its probability and the context; rewards inside the window are learned, later ones only logged', async () => {
    await consent('rewarded', { analytics: true, personalization: true, marketing: true });
    const d = await decideFor({ customerId: 'rewarded', context: { device: 'desktop' } });
    const [row] = await t.services.database.sql<
      { candidates: { actionId: string; probability: number }[]; context: unknown; features: number[] }[]
    >`
      select candidates, context, features from nba_decisions where id = ${d.decisionId}`;
    expect(row!.candidates.map((c) => c.actionId).sort()).toEqual(
      d.alternatives.map((a) => a.actionId).sort(),
    );
    expect(row!.context).toEqual({ device: 'desktop' });
    expect(row!.features.length).toBeGreaterThan(1);
    const ok = await t.request('/v1/rewards', { key: crm, json: { decisionId: d.decisionId, reward: 1 } });
    expect(await ok.json()).toMatchObject({ status: 'learned', reward: 1 });
    const twice = await t.request('/v1/rewards', { key: crm, json: { decisionId: d.decisionId, reward: 0 } });
    expect(twice.status).toBe(409);
    const d2 = await decideFor({ customerId: 'rewarded', candidates: ['grinder-launch'] });
    const lateAt = new Date(now.getTime() + 25 * HOUR).toISOString();
    const late = await t.request('/v1/rewards', {
      key: crm,
      json: { decisionId: d2.decisionId, reward: 1, at: lateAt },
    });
    expect(await late.json()).toMatchObject({ status: 'late' });
    const [r2] = await t.services.database.sql<{ reward: number | null; late_reward: number }[]>`
      select reward, late_reward from nba_decisions where id = ${d2.decisionId}`;
    expect(r2).toEqual({ reward: null, late_reward: 1 });
    const missing = await t.request('/v1/rewards', {
      key: crm,
      json: { decisionId: crypto.randomUUID(), reward: 1 },
    });
    expect(missing.status).toBe(404);
  });

  it('refuses bad catalogue input and bad rules with problem+json', async () => {
    const r = await t.request('/v1/nba/actions/bad', {
      key: crm,
      method: 'PUT',
      json: {
        name: 'x',
        channel: 'email',
        value: -1,
        cost: 0,
        eligibility: { field: 'profile.x; drop', op: 'eq', value: 1 },
      },
    });
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toMatch(/problem\+json/);
    const body = (await r.json()) as { errors: { path: string }[] };
    expect(body.errors.map((e) => e.path)).toEqual(expect.arrayContaining(['value']));
  });
});
