// The embedded database belongs to one process at a time: a CLI command run while `attune serve`
// holds it refuses clearly (exit 69) instead of opening it twice; after the server is killed
// with SIGKILL, the CLI takes the stale lock over and finds every committed row.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, startServe } from './helpers/cli.js';

describe('embedded database ownership', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attune-own-'));
  const env = { ATTUNE_DATA_DIR: dataDir, DATABASE_URL: '' };
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('works from the CLI alone, refuses while served, and survives a kill -9 of the server', async () => {
    const created = await runCli(['keys', 'create', '--role', 'admin', '--name', 'first', '--json'], env);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const { key } = JSON.parse(created.stdout) as { key: string };

    const server = await startServe(env);
    try {
      const me = await fetch(`${server.url}/v1/me`, { headers: { authorization: `Bearer ${key}` } });
      expect(await me.json()).toMatchObject({ name: 'first', role: 'admin' });

      const refused = await runCli(['keys', 'list'], env);
      expect(refused.code).toBe(69);
      expect(refused.stderr).toContain('in use by `attune serve`');
      expect(refused.stderr).toContain(server.url);
      expect(refused.stdout).toBe('');

      // Through the server instead, as the message says.
      const viaApi = await fetch(`${server.url}/v1/keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'second', role: 'marketer' }),
      });
      expect(viaApi.status).toBe(201);
    } finally {
      server.child.kill('SIGKILL');
      await server.closed;
    }

    const listed = await runCli(['keys', 'list', '--json'], env);
    expect(listed.code).toBe(0);
    const names = (JSON.parse(listed.stdout) as { keys: { name: string }[] }).keys.map((k) => k.name).sort();
    expect(names).toEqual(['first', 'second']);
    const migrated = await runCli(['migrate', '--status', '--json'], env);
    expect(JSON.parse(migrated.stdout)).toMatchObject({ current: true });
  });
});
