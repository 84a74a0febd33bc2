// Off-policy evaluation through its two doors, the CLI and POST /v1/nba/evaluate: the same answer
// for the same log, policy and seed; clear errors for bad tables and unusable logs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { DATABASE_MODES } from './helpers/databases.js';
import { openTestServices, type TestContext } from './helpers/services.js';

const OBD_MEN = path.resolve(import.meta.dirname, '../fixtures/obd/random/men.csv');
const OBD_BTS_MEN = path.resolve(import.meta.dirname, '../fixtures/obd/bts/men.csv');
const ROWS = [
  { action: 'a', position: 0, reward: 1, propensity: 0.5 },
  { action: 'b', position: 0, reward: 0, propensity: 0.5 },
  { action: 'a', position: 0, reward: 0, propensity: 0.5 },
  { action: 'b', position: 0, reward: 1, propensity: 0.5, decisionId: 'ignored' },
];

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attune-nba-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('attune nba evaluate', () => {
  it('prints the documented --json shape for the OBD random log against BTS', async () => {
    const r = await runCli(
      [
        'nba',
        'evaluate',
        '--log',
        OBD_MEN,
        '--format',
        'obd',
        '--policy-log',
        OBD_BTS_MEN,
        '--bootstrap',
        '200',
        '--json',
      ],
      {},
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['rows', 'estimates', 'weights', 'warnings']);
    expect(out.rows).toBe(10_000);
    const est = out.estimates as Record<string, { value: number; ciLower: number; ciUpper: number }>;
    expect(Object.keys(est)).toEqual(['ipw', 'snipw', 'dm', 'dr']);
    for (const v of Object.values(est)) expect(Object.keys(v)).toEqual(['value', 'ciLower', 'ciUpper']);
    expect(Object.keys(out.weights as object)).toEqual(['mean', 'max', 'effectiveSampleSize']);
  });

  it('names a bad table and exits 1', async () => {
    const log = path.join(dir, 'log.jsonl');
    fs.writeFileSync(log, ROWS.map((r) => JSON.stringify(r)).join('\n'));
    const table = path.join(dir, 'table.json');
    fs.writeFileSync(table, JSON.stringify({ probabilities: { a: 0.7 } }));
    const bad = await runCli(['nba', 'evaluate', '--log', log, '--policy', table], {});
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/position 0: probabilities sum to 0.7, not 1/);
  });
});

describe.each(DATABASE_MODES)('POST /v1/nba/evaluate on the %s database', (mode) => {
  let t: TestContext;
  let analyst: string;
  beforeAll(async () => {
    t = await openTestServices(mode);
    analyst = await t.keyFor('analyst');
  });
  afterAll(async () => t?.close());

  it('evaluates rows against a table, and a text log in obd format against uniform', async () => {
    const ok = await t.request('/v1/nba/evaluate', {
      key: analyst,
      json: { log: ROWS, policy: { probabilities: { a: 0.8, b: 0.2 } }, bootstrapSamples: 50 },
    });
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { rows: number; estimates: { ipw: { value: number } } };
    expect(body.rows).toBe(4);
    expect(body.estimates.ipw.value).toBeCloseTo((1.6 + 0 + 0 + 0.4) / 4, 12);
    const text = 'item_id,position,click,propensity_score\n1,1,1,0.5\n2,1,0,0.5\n3,2,0,2\n';
    const obd = await t.request('/v1/nba/evaluate', {
      key: analyst,
      json: { format: 'obd', log: text, policy: 'uniform', bootstrapSamples: 10 },
    });
    expect(obd.status).toBe(200);
    const o = (await obd.json()) as { rows: number; warnings: string[] };
    expect(o.rows).toBe(2);
    expect(o.warnings[0]).toMatch(/1 row\(s\) of the log skipped \(line 4: propensity must be in \(0, 1\]/);
  });

  it('answers problem+json for a bad table (400) and a log with no usable row (422)', async () => {
    const bad = await t.request('/v1/nba/evaluate', {
      key: analyst,
      json: { log: ROWS, policy: { probabilities: { a: 0.5 } } },
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/problem\+json/);
    const empty = await t.request('/v1/nba/evaluate', {
      key: analyst,
      json: { log: [{ action: 'a', reward: 1, propensity: 0 }], policy: 'uniform' },
    });
    expect(empty.status).toBe(422);
    const p = (await empty.json()) as { errors: { path: string; message: string }[] };
    expect(p.errors[0]).toEqual({ path: 'log row 1', message: 'propensity must be in (0, 1], got 0' });
  });
});
