// The stats engine and the drift comparison through their two public doors, the HTTP API and the
// CLI, as users call them: the same answers, clear errors, the documented exit codes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { DATABASE_MODES } from './helpers/databases.js';
import { openTestServices, type TestContext } from './helpers/services.js';

const README_EXAMPLE = {
  metric: { type: 'mean', inverse: false },
  analysis: {
    engine: 'frequentist',
    difference: 'relative',
    alpha: 0.05,
    test: 'two-sided',
    sequential: null,
    prior: null,
    cuped: false,
    correction: 'none',
  },
  weights: [0.5, 0.5],
  variations: [
    { name: 'control', n: 3407, sum: 1396.87, sumSquares: 52377.98 },
    { name: 'treatment', n: 3372, sum: 1541.2, sumSquares: 58914.44 },
  ],
};

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attune-analysis-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
};

describe.each(DATABASE_MODES)('stats and drift over HTTP on the %s database', (mode) => {
  let t: TestContext;
  let marketer: string;
  beforeAll(async () => {
    t = await openTestServices(mode);
    marketer = await t.keyFor('marketer');
  });
  afterAll(async () => t?.close());

  it('analyses the README example and refuses impossible statistics with problem+json', async () => {
    const ok = await t.request('/v1/stats/analyze', { key: marketer, json: README_EXAMPLE });
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as {
      variations: { estimate: number | null; pValue: number | null }[];
      srm: { flagged: boolean };
    };
    expect(body.variations[1]!.estimate).toBeCloseTo(0.1147759, 6);
    expect(body.variations[1]!.pValue).toBeCloseTo(0.6487, 4);
    const bad = await t.request('/v1/stats/analyze', {
      key: marketer,
      json: {
        ...README_EXAMPLE,
        variations: [{ name: 'a', n: 1, sum: 1, sumSquares: 1 }, README_EXAMPLE.variations[1]],
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toBe('application/problem+json');
    expect(((await bad.json()) as { errors: { path: string }[] }).errors[0]!.path).toBe('variations.0.n');
    const flat = await t.request('/v1/stats/analyze', {
      key: marketer,
      json: {
        metric: { type: 'binomial' },
        variations: [
          { name: 'a', n: 50, sum: 0 },
          { name: 'b', n: 50, sum: 0 },
        ],
      },
    });
    expect(flat.status).toBe(422);
  });

  it('answers power questions and drift comparisons', async () => {
    const power = (await (
      await t.request('/v1/stats/power', {
        key: marketer,
        json: { metric: 'binomial', baselineMean: 0.05, lift: 0.1, unitsPerDay: 2000 },
      })
    ).json()) as { sampleSize: { totalUnits: number; days: number } };
    expect(power.sampleSize.totalUnits).toBeGreaterThan(50_000);
    expect(power.sampleSize.days).toBe(Math.ceil(power.sampleSize.totalUnits / 2000));
    const drift = await t.request('/v1/drift/compare', {
      key: marketer,
      json: {
        reference: { channel: ['email', 'search', 'email', 'search'], spend: [1, 2, 3, 4] },
        current: [
          { channel: 'email', spend: 10 },
          { channel: 'tiktok', spend: 12 },
          { channel: 'tiktok', spend: 11 },
        ],
      },
    });
    expect(drift.status).toBe(200);
    const d = (await drift.json()) as {
      columns: { column: string; method: string; drift: boolean; chiSquare: unknown }[];
      conventions: Record<string, string>;
    };
    expect(d.columns.map((c) => [c.column, c.method])).toEqual([
      ['channel', 'chi-square'],
      ['spend', 'ks'],
    ]);
    expect(d.conventions.psi).toContain('1e-4');
    const wrong = await t.request('/v1/drift/compare', {
      key: marketer,
      json: { reference: { a: ['x', 'y'] }, current: { a: ['x', 'z'] }, method: 'ks' },
    });
    expect(wrong.status).toBe(422);
  });
});

describe('attune stats and attune drift', () => {
  it('stats analyze prints the same numbers as the API, and a table for people', async () => {
    const input = file('example.json', JSON.stringify(README_EXAMPLE));
    const json = await runCli(['stats', 'analyze', '--input', input, '--json'], {});
    expect(json.code).toBe(0);
    expect(
      (JSON.parse(json.stdout) as { variations: { estimate: number }[] }).variations[1]!.estimate,
    ).toBeCloseTo(0.1147759, 6);
    const text = await runCli(['stats', 'analyze', '--input', input], {});
    expect(text.stdout).toContain('treatment');
    expect(text.stdout).toContain('Verdict: No variation differs');
    const missing = await runCli(['stats', 'analyze', '--input', path.join(dir, 'nope.json')], {});
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
    const invalid = await runCli(
      ['stats', 'analyze', '--input', file('bad.json', '{"metric":{"type":"mean"},"variations":[]}')],
      {},
    );
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('variations');
  });

  it('drift compare reads two CSV files and reports every column', async () => {
    const ref = file(
      'ref.csv',
      'age,channel\n' +
        Array.from({ length: 300 }, (_, i) => `${20 + (i % 40)},${i % 3 ? 'email' : 'search'}`).join('\n') +
        '\n',
    );
    const cur = file(
      'cur.csv',
      'age,channel\n' +
        Array.from({ length: 300 }, (_, i) => `${35 + (i % 40)},${i % 2 ? 'email' : 'tiktok'}`).join('\n') +
        '\n',
    );
    const out = await runCli(['drift', 'compare', '--reference', ref, '--current', cur, '--json'], {});
    expect(out.code).toBe(0);
    const report = JSON.parse(out.stdout) as {
      columns: { column: string; drift: boolean }[];
      summary: { drifted: number };
    };
    expect(report.columns.map((c) => [c.column, c.drift])).toEqual([
      ['age', true],
      ['channel', true],
    ]);
    const text = await runCli(['drift', 'compare', '--reference', ref, '--current', cur], {});
    expect(text.stdout).toContain('2 of 2 columns drifted.');
  });
});
