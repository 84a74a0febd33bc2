// `attune mmm` over stored data as an analyst runs it, in both database modes: import a CSV (a bad
// one refused with every problem named), fit the stored data into the registry, and optimise by
// registry version; `--model champion` says when no version serves.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromRoot } from '../src/platform/paths.js';
import { runCli } from './helpers/cli.js';
import { createTestDatabase, DATABASE_MODES, type TestDatabase } from './helpers/databases.js';

const EXAMPLE = fromRoot('fixtures/mmm/mmm_example.csv');
const COLUMNS = [
  '--date-column',
  'date_week',
  '--kpi',
  'y',
  '--channels',
  'x1,x2',
  '--controls',
  'event_1,event_2',
];

describe.each(DATABASE_MODES)('attune mmm on the %s database', (mode) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attune-mmm-cli-'));
  let env: Record<string, string>;
  let tdb: TestDatabase | undefined;

  beforeAll(async () => {
    if (mode === 'server') {
      tdb = await createTestDatabase('server');
      env = { DATABASE_URL: (tdb.config.database as { url: string }).url };
    } else env = { ATTUNE_DATA_DIR: path.join(dir, 'data'), DATABASE_URL: '' };
  });
  afterAll(async () => {
    await tdb?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports, refuses a bad file whole, fits into the registry and optimises by version', async () => {
    const imported = await runCli(
      ['mmm', 'import', '--dataset', 'example', '--data', EXAMPLE, ...COLUMNS, '--json'],
      env,
      180_000,
    );
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ inserted: 179, dataset: { periods: 179 } });

    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(
      bad,
      'date_week,y,x1,x2,event_1,event_2\n2021-09-06,100,-1,0,0,0\n2021-09-13,100,1,zero,0,0\n',
    );
    const refused = await runCli(
      ['mmm', 'import', '--dataset', 'example', '--data', bad, ...COLUMNS],
      env,
      180_000,
    );
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/spend -1 is negative/);
    expect(refused.stderr).toMatch(/"zero" is not a number/);

    const noChampion = await runCli(
      ['mmm', 'optimize', '--model', 'champion', '--budget', '1'],
      env,
      180_000,
    );
    expect(noChampion.code).toBe(2);
    expect(noChampion.stderr).toMatch(/No MMM version is the champion/);

    const fitted = await runCli(
      ['mmm', 'fit', '--dataset', 'example', '--chains', '2', '--draws', '30', '--warmup', '30', '--json'],
      env,
      300_000,
    );
    expect(fitted.code, fitted.stderr).toBe(0);
    expect(JSON.parse(fitted.stdout)).toMatchObject({ version: 1, promoted: false });
    expect(fitted.stderr).toMatch(/warning: /);

    const optimized = await runCli(
      ['mmm', 'optimize', '--model', '1', '--budget', '1', '--json'],
      env,
      180_000,
    );
    expect(optimized.code, optimized.stderr).toBe(0);
    const proposal = JSON.parse(optimized.stdout) as { allocations: { channel: string; proposed: number }[] };
    expect(proposal.allocations.map((a) => a.channel)).toEqual(['x1', 'x2']);
    expect(proposal.allocations.reduce((s, a) => s + a.proposed, 0)).toBeCloseTo(1, 6);
  }, 900_000);
});
