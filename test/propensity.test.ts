// The propensity model end to end on a simulated world: time-split training recorded in the
// registry, the gate against the champion (re-scored on the same rows), promote and rollback,
// per-person scores with reasons under consent, the batch table under erasure, and the API.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeWorld } from '../src/sim/output.js';
import { loadDemoWorld } from '../src/demo/load-world.js';
import { openTestServices, type TestContext } from './helpers/services.js';
import { figureRows, renderParsed } from './helpers/report-world.js';
import { scoreEveryone, scoreOf, trainPropensity, type TrainResult } from '../src/models/propensity/index.js';
import { createJobRegistry } from '../src/job-types.js';
import { createLogger } from '../src/platform/log.js';
import { champion, decidePromotion, listVersions, promote, rollback } from '../src/models/registry/index.js';

describe('promotion gate', () => {
  it('promotes the first version, and later ones only by the margin and without worse calibration', () => {
    expect(decidePromotion({ auc: 0.6, ece: 0.05 }, null).promote).toBe(true);
    const champ = { version: 3, auc: 0.7, ece: 0.02 };
    expect(decidePromotion({ auc: 0.701, ece: 0.02 }, champ, 0.002).promote).toBe(false);
    expect(decidePromotion({ auc: 0.71, ece: 0.02 }, champ, 0.002).promote).toBe(true);
    const worse = decidePromotion({ auc: 0.75, ece: 0.05 }, champ, 0.002);
    expect(worse.promote).toBe(false);
    expect(worse.reason).toMatch(/calibration/);
  });
});

describe('propensity on a simulated world', () => {
  let t: TestContext;
  let dir: string;
  let first: TrainResult;
  let truth: Map<string, number>;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attune-propensity-'));
    writeWorld({ seed: 8, customers: 1000, days: 180 }, dir);
    const rows = parse<{ userId: string; p30: string }>(
      fs.readFileSync(path.join(dir, 'customers.csv'), 'utf8'),
      {
        columns: true,
      },
    );
    truth = new Map(rows.filter((r) => r.p30 !== '').map((r) => [r.userId, Number(r.p30)]));
    t = await openTestServices('server');
    await loadDemoWorld(t.services, dir);
    first = await trainPropensity(t.services.database, { candidates: ['logistic', 'mlp'], truth });
  }, 240_000);
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('trains on older snapshots, validates on the latest complete one, and records the first version as champion', async () => {
    const w = first.dataWindow;
    expect(w.trainSnapshots).toHaveLength(3);
    expect(w.trainSnapshots.every((d) => d < w.validationSnapshot)).toBe(true);
    // the world's truth snapshot is its last complete 30-day window
    const worldTruth = JSON.parse(fs.readFileSync(path.join(dir, 'truth.json'), 'utf8')) as {
      propensity: { snapshot: string };
    };
    expect(w.validationSnapshot).toBe(worldTruth.propensity.snapshot);
    expect(first.promoted).toBe(true);
    expect(first.version).toBe(1);
    expect(first.candidates.map((c) => c.kind).sort()).toEqual(['logistic', 'mlp']);
    // better than chance, with an interval, and below what the true probabilities reach on the same rows
    expect(first.metrics.auc).toBeGreaterThan(0.55);
    expect(first.evaluation.intervals.auc.lower).toBeLessThan(first.metrics.auc);
    expect(first.ceilingAuc).toBeGreaterThan(0.65);
    expect(first.metrics.auc).toBeLessThan(first.ceilingAuc! + 0.05);
    const v = (await listVersions(t.services.database, 'propensity'))[0]!;
    expect(v.runtime.backend).toMatch(/wasm|cpu|tensorflow/);
    expect(v.features.names.length).toBeGreaterThan(30);
  });

  it('keeps an equal retrain as a challenger, and lets an admin promote and roll back', async () => {
    const again = await trainPropensity(t.services.database, { candidates: ['logistic'] });
    expect(again.promoted).toBe(false);
    expect(again.champion?.version).toBe(1);
    expect(again.reason).toMatch(/does not beat champion v1/);
    await promote(t.services.database, 'propensity', 2, 'test', 'try the simpler model');
    expect((await champion(t.services.database, 'propensity'))?.version).toBe(2);
    await rollback(t.services.database, 'propensity', 'test', 'back to v1');
    expect((await champion(t.services.database, 'propensity'))?.version).toBe(1);
  });

  it('scores a consenting person with decile and reasons, and refuses to score one without consent', async () => {
    const [someone] = await t.services.database.sql<{ person_id: string }[]>`
      select person_id from cdp_consent_state
      where (categories ->> 'personalization')::boolean and (categories ->> 'analytics')::boolean and person_id like 'u:%'
      limit 1`;
    const userId = someone!.person_id.slice(2);
    const s = await scoreOf(t.services.database, userId, new Date());
    if (s.status !== 'ok') throw new Error(s.status);
    expect(s.score).toBeGreaterThan(0);
    expect(s.score).toBeLessThan(1);
    expect(s.decile).toBeGreaterThanOrEqual(1);
    expect(s.decile).toBeLessThanOrEqual(10);
    expect(s.reasons).toHaveLength(3);

    const crm = await t.keyFor('crm');
    const res = await t.request(`/v1/propensity/${encodeURIComponent(userId)}`, { key: crm });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ userId, modelVersion: 1 });

    const source = await t.keyFor('source');
    await t.request('/v1/consent', { key: source, json: { userId, categories: { personalization: false } } });
    const refused = await t.request(`/v1/propensity/${encodeURIComponent(userId)}`, { key: crm });
    expect(refused.status).toBe(451);
    expect(refused.headers.get('content-type')).toMatch(/problem\+json/);
    expect(((await refused.json()) as { type: string }).type).toMatch(/consent-required/);
  });

  it('writes batch scores for consenting people only, and erasure removes a person’s score at once', async () => {
    const batch = await scoreEveryone(t.services.database, new Date());
    expect(batch?.scored).toBeGreaterThan(100);
    const [one] = await t.services.database.sql<
      { person_id: string }[]
    >`select person_id from propensity_scores limit 1`;
    const admin = await t.keyFor('admin');
    const res = await t.request(`/v1/users/${encodeURIComponent(one!.person_id.slice(2))}`, {
      key: admin,
      method: 'DELETE',
    });
    expect(res.status).toBe(200);
    const left = await t.services.database
      .sql`select 1 from propensity_scores where person_id = ${one!.person_id}`;
    expect(left).toHaveLength(0);
    const withdrawn = await t.services.database.sql`
      select s.person_id from propensity_scores s join cdp_consent_state c using (person_id)
      where not coalesce((c.categories ->> 'personalization')::boolean, false)`;
    expect(withdrawn).toHaveLength(0);
  });

  it('lists, shows and trains through /v1/models with the right roles', async () => {
    const analyst = await t.keyFor('analyst');
    const list = await t.request('/v1/models', { key: analyst });
    expect(list.status).toBe(200);
    expect(((await list.json()) as { versions: unknown[] }).versions).toHaveLength(2);
    const show = await t.request('/v1/models/propensity/1', { key: analyst });
    expect(((await show.json()) as { status: string }).status).toBe('champion');
    const denied = await t.request('/v1/models/propensity/2/promote', {
      key: analyst,
      json: { reason: 'x' },
    });
    expect(denied.status).toBe(403);
    const queued = await t.request('/v1/models/propensity/train', { key: analyst, method: 'POST' });
    expect(queued.status).toBe(202);
    const unknown = await t.request('/v1/models/nope/train', { key: analyst, method: 'POST' });
    expect(unknown.status).toBe(404);
  });

  it('renders a model card per version with the measured figures', async () => {
    const { text, doc } = await renderParsed(
      { database: t.services.database, now: new Date() },
      'model-card',
      '1',
    );
    expect(text).toContain('Propensity model v1');
    expect(text).toContain(first.metrics.auc.toFixed(3));
    expect(text).toContain(first.ceilingAuc!.toFixed(3));
    const gains = figureRows(doc, 'gains');
    expect(gains).toHaveLength(10);
    expect(figureRows(doc, 'reliability').length).toBeGreaterThan(1);
    expect(text).toContain('Feature drift since training');
    // The calibration choice is stated with the cross-fitted log losses it was made on.
    expect(text).toMatch(
      /(No recalibration: neither Platt|Recalibrated by (Platt scaling|isotonic regression): cross-fitted log loss)/,
    );
    expect(text).toMatch(/Validation snapshot \d{4}-\d{2}-\d{2} against features as of/);
  });

  it('retrains as the model.refresh job, scores everyone and renders the new version’s model card', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'attune-cards-'));
    try {
      const before = await listVersions(t.services.database, 'propensity');
      const jobs = createJobRegistry(t.services.database, () => new Date(), out);
      const outcome = (await jobs.runInline(
        'model.refresh',
        { kind: 'propensity' },
        createLogger('silent'),
      )) as {
        version: number;
        scored: number;
        report?: string;
        reportError?: string;
      };
      expect(outcome.reportError).toBeUndefined();
      expect(outcome.version).toBe(Math.max(...before.map((v) => v.version)) + 1);
      expect(outcome.scored).toBeGreaterThan(100);
      expect(outcome.report).toBe(`model-card--${outcome.version}.html`);
      const card = fs.readFileSync(path.join(out, outcome.report!), 'utf8');
      expect(card).toContain(`Propensity model v${outcome.version}`);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }, 300_000);
});
