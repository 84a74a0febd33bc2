// Learning from the log: decisions and rewards through the API with a known truth, `model.refresh`
// with kind "nba" fits the per-action models from the joined log and registers the version, the next
// decisions serve it (and choose by what it learned), and `attune nba log` writes the log that
// `attune nba evaluate` reads.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobRegistry } from '../src/job-types.js';
import { createLogger } from '../src/platform/log.js';
import { createRandom } from '../src/nba/policies/rng.js';
import { runCli } from './helpers/cli.js';
import { openTestServices, type TestContext } from './helpers/services.js';
import { TEST_SERVER_URL } from './helpers/databases.js';

// The truth: "app-promo" answers 0.8 on mobile and 0.1 elsewhere; "email-promo" 0.4 everywhere.
const TRUE_RESPONSE = (action: string, device: string) =>
  action === 'app-promo' ? (device === 'mobile' ? 0.8 : 0.1) : 0.4;
const PEOPLE = 300;

describe('next best action learns from its log (server database)', () => {
  let t: TestContext;
  let crm: string;
  const now = new Date('2026-06-01T12:00:00Z');
  beforeAll(async () => {
    t = await openTestServices('server', { clock: () => now });
    crm = await t.keyFor('crm');
    const admin = await t.keyFor('admin');
    const put = async (p: string, json: unknown) =>
      expect((await t.request(p, { key: crm, method: 'PUT', json })).status).toBe(200);
    await put('/v1/nba/actions/app-promo', { name: 'App promo', channel: 'push', value: 10, cost: 0 });
    await put('/v1/nba/actions/email-promo', { name: 'E-mail promo', channel: 'email', value: 10, cost: 0 });
    await put('/v1/nba/placements/default', { policy: 'uniform', floor: 0 });
    for (let i = 0; i < PEOPLE; i++)
      await t.request('/v1/consent', {
        key: admin,
        json: {
          userId: `l${i}`,
          categories: { analytics: true, personalization: true, marketing: true },
          at: '2026-05-01T00:00:00Z',
        },
      });
  }, 120_000);
  afterAll(async () => t?.close());

  it('refreshes the bandit from the joined log, registers it, and serves it', async () => {
    const random = createRandom(11);
    for (let i = 0; i < PEOPLE; i++) {
      const device = i % 2 ? 'mobile' : 'desktop';
      const r = await t.request('/v1/decisions', {
        key: crm,
        json: { customerId: `l${i}`, context: { device } },
      });
      const d = (await r.json()) as { decisionId: string; action: { id: string }; probability: number };
      expect(d.probability).toBeCloseTo(0.5, 12);
      const reward = random() < TRUE_RESPONSE(d.action.id, device) ? 1 : 0;
      expect(
        (await t.request('/v1/rewards', { key: crm, json: { decisionId: d.decisionId, reward } })).status,
      ).toBe(200);
    }
    const jobs = createJobRegistry(
      t.services.database,
      () => now,
      fs.mkdtempSync(path.join(os.tmpdir(), 'nba-')),
    );
    const outcome = (await jobs.runInline('model.refresh', { kind: 'nba' }, createLogger('silent'))) as {
      version: number;
      rows: number;
    };
    expect(outcome).toMatchObject({ version: 1, rows: PEOPLE });
    const models = (await (await t.request('/v1/models', { key: await t.keyFor('analyst') })).json()) as {
      versions?: { kind: string; status: string }[];
    };
    expect(JSON.stringify(models)).toContain('"nba"');
    // Greedy on what it learned: the app promo on mobile, the e-mail promo elsewhere.
    await t.request('/v1/nba/placements/default', {
      key: crm,
      method: 'PUT',
      json: { policy: 'epsilon-greedy', exploration: 0, floor: 0 },
    });
    for (const [device, expected] of [
      ['mobile', 'app-promo'],
      ['desktop', 'email-promo'],
    ] as const) {
      const r = await t.request('/v1/decisions', {
        key: crm,
        json: { customerId: 'l1', context: { device } },
      });
      const d = (await r.json()) as {
        action: { id: string };
        modelVersion: number;
        alternatives: { actionId: string; pResponse: number }[];
      };
      expect(d.modelVersion).toBe(1);
      expect(d.action.id).toBe(expected);
      // Each cell has about 75 rows: the fitted response is within 4 standard errors of the truth.
      for (const a of d.alternatives) {
        const p = TRUE_RESPONSE(a.actionId, device);
        expect(Math.abs(a.pResponse - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / 75));
      }
    }
  });

  it('exports the log in the format `attune nba evaluate` reads', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nba-log-')), 'log.jsonl');
    const url = new URL(TEST_SERVER_URL);
    url.pathname = `/${(await t.services.database.sql<{ d: string }[]>`select current_database() as d`)[0]!.d}`;
    const env = { DATABASE_URL: url.toString() };
    const exported = await runCli(['nba', 'log', '--out', file], env, 120_000);
    expect(exported.code, exported.stderr).toBe(0);
    const rows = fs
      .readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    // The CLI joins by the real clock, months after the test's: every window has closed, so the two
    // greedy decisions without a reward count with the placement's default reward, 0.
    expect(rows.length).toBe(PEOPLE + 2);
    expect(rows.filter((r) => r.propensity === 1).map((r) => [r.reward, r.propensity])).toEqual([
      [0, 1],
      [0, 1],
    ]);
    expect(Object.keys(rows[0]!)).toEqual(
      expect.arrayContaining(['action', 'position', 'reward', 'propensity', 'decisionId']),
    );
    const evaluated = await runCli(
      ['nba', 'evaluate', '--log', file, '--policy', 'uniform', '--bootstrap', '100', '--json'],
      {},
      120_000,
    );
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const e = JSON.parse(evaluated.stdout) as { rows: number; estimates: { ipw: { value: number } } };
    expect(e.rows).toBe(PEOPLE + 2);
    // IPW of uniform (1/2 per action) by hand: mean of (1/2 ÷ logged propensity) × reward.
    const ipw =
      rows.reduce((s, r) => s + (0.5 / (r.propensity as number)) * (r.reward as number), 0) / rows.length;
    expect(e.estimates.ipw.value).toBeCloseTo(ipw, 9);
  });
});
