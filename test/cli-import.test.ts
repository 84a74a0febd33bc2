// `attune import` as a user runs it, in both database modes: NDJSON through the ingest path, bad
// lines reported by line number next to kept neighbours, a second import storing nothing twice.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { createTestDatabase, DATABASE_MODES, type TestDatabase } from './helpers/databases.js';

const GRANTED = {
  consent: { categoryPreferences: { analytics: true, personalization: true, marketing: true, ads: false } },
};
const line = (o: unknown) => JSON.stringify(o);

describe.each(DATABASE_MODES)('attune import on the %s database', (mode) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attune-import-'));
  let env: Record<string, string>;
  let tdb: TestDatabase | undefined;
  const file = path.join(dir, 'export.ndjson');

  beforeAll(async () => {
    if (mode === 'server') {
      tdb = await createTestDatabase('server');
      env = { DATABASE_URL: (tdb.config.database as { url: string }).url };
    } else env = { ATTUNE_DATA_DIR: path.join(dir, 'data'), DATABASE_URL: '' };
    fs.writeFileSync(
      file,
      [
        line({
          type: 'identify',
          userId: 'imp-1',
          messageId: 'imp-m1',
          traits: { plan: 'pro' },
          timestamp: '2026-10-01T10:00:00Z',
          context: GRANTED,
        }),
        line({
          type: 'track',
          event: 'Product Viewed',
          userId: 'imp-1',
          messageId: 'imp-m2',
          properties: { product_id: 'KC-COF-001', category: 'coffee', price: 16 },
          timestamp: '2026-10-01T10:01:00Z',
          context: GRANTED,
        }),
        '{"type": "track", "event": "Broken',
        '',
        line({
          type: 'track',
          event: 'Product Viewed',
          messageId: 'imp-m3',
          properties: {},
          context: GRANTED,
        }),
        line({
          type: 'page',
          name: 'Home',
          anonymousId: 'anon-imp',
          messageId: 'imp-m4',
          timestamp: '2026-10-01T10:02:00Z',
          context: GRANTED,
        }),
        // Ids that break the id rule (platform/ids.ts): refused by line; before it, the NUL failed the whole chunk.
        line({ type: 'identify', userId: 'imp\u00002', messageId: 'imp-m5', context: GRANTED }),
        line({
          type: 'page',
          name: 'Home',
          anonymousId: 'anon\u001b',
          messageId: 'imp-m6',
          context: GRANTED,
        }),
      ].join('\n') + '\n',
    );
  });
  afterAll(async () => {
    await tdb?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports valid lines, names the bad ones by line, and stores each event once across runs', async () => {
    const created = await runCli(['keys', 'create', '--role', 'source', '--name', 'export', '--json'], env);
    expect(created.code, created.stderr).toBe(0);
    const { id } = JSON.parse(created.stdout) as { id: string };

    const first = await runCli(['import', '--source', id, file, '--json'], env);
    expect(first.code, first.stderr).toBe(0);
    const [r] = (
      JSON.parse(first.stdout) as {
        files: {
          lines: number;
          outcomes: Record<string, number>;
          problems: { line: number; status: string; code?: string }[];
        }[];
      }
    ).files;
    expect(r!.lines).toBe(8);
    expect(r!.outcomes).toMatchObject({ accepted: 3, rejected: 3, 'malformed-json': 1, duplicate: 0 });
    expect(r!.problems).toEqual([
      expect.objectContaining({ line: 3, status: 'malformed-json' }),
      expect.objectContaining({ line: 5, status: 'rejected', code: 'missing-id' }),
      expect.objectContaining({ line: 7, status: 'rejected', code: 'nul-character' }),
      expect.objectContaining({ line: 8, status: 'rejected', code: 'invalid-id' }),
    ]);

    const again = await runCli(['import', '--source', id, file], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('0 stored, 3 duplicates');
    expect(again.stdout).toContain('line 3: malformed-json');
  });

  it('refuses a key that is not a source, and a missing file, with a usage error', async () => {
    const analyst = JSON.parse(
      (await runCli(['keys', 'create', '--role', 'analyst', '--name', 'reader', '--json'], env)).stdout,
    ) as { id: string };
    const wrongRole = await runCli(['import', '--source', analyst.id, file], env);
    expect(wrongRole.code).toBe(2);
    expect(wrongRole.stderr).toContain('role analyst');
    const missing = await runCli(['import', '--source', analyst.id, path.join(dir, 'nope.ndjson')], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('No such file');
  });
});
