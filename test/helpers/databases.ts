// Every data-layer and API suite runs once per database mode: the embedded engine (in memory)
// and the PostgreSQL server on 127.0.0.1:5432, in a fresh database per test file.
import crypto from 'node:crypto';
import postgres from 'postgres';
import { parseConfig, type Config } from '../../src/platform/config.js';

export type DatabaseMode = 'embedded' | 'server';
export const DATABASE_MODES: DatabaseMode[] = ['embedded', 'server'];

/** The server the suite uses; CI and every dev machine run PostgreSQL here (database `test`). */
export const TEST_SERVER_URL =
  process.env.ATTUNE_TEST_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type TestDatabase = { config: Config; drop: () => Promise<void> };

export async function createTestDatabase(
  mode: DatabaseMode,
  env: Record<string, string> = {},
): Promise<TestDatabase> {
  if (mode === 'embedded') {
    return {
      config: parseConfig({ ...env, ATTUNE_DATA_DIR: 'memory://', LOG_LEVEL: 'silent' }),
      drop: () => Promise.resolve(),
    };
  }
  const name = `attune_t_${crypto.randomBytes(6).toString('hex')}`;
  const admin = postgres(TEST_SERVER_URL, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${name}`;
  return {
    config: parseConfig({ ...env, DATABASE_URL: url.toString(), LOG_LEVEL: 'silent' }),
    drop: async () => {
      const a = postgres(TEST_SERVER_URL, { max: 1, onnotice: () => undefined });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}
