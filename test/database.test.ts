// The data layer in both modes: migrations (twice, concurrently, append-only, never older code on
// a newer schema), capabilities, and readiness.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/platform/db/client.js';
import {
  migrate,
  migrationStatus,
  readMigrations,
  MigrationError,
  type Migration,
} from '../src/platform/db/migrate.js';
import { detectCapabilities } from '../src/platform/db/capabilities.js';
import { createTestDatabase, DATABASE_MODES, type TestDatabase } from './helpers/databases.js';

describe.each(DATABASE_MODES)('database on %s', (mode) => {
  let tdb: TestDatabase;
  let database: Database;
  beforeAll(async () => {
    tdb = await createTestDatabase(mode);
    database = await openDatabase(tdb.config.database, { purpose: 'test', poolMax: 4 });
  });
  afterAll(async () => {
    await database?.close();
    await tdb?.drop();
  });

  it('applies every migration once, even when two migrators race, and then reports current', async () => {
    const all = readMigrations();
    expect((await migrationStatus(database.sql)).current).toBe(false);
    const [a, b] = await Promise.all([migrate(database.sql), migrate(database.sql)]);
    expect([...a, ...b].sort()).toEqual(all.map((m) => m.tag).sort());
    expect(await migrate(database.sql)).toEqual([]);
    const status = await migrationStatus(database.sql);
    expect(status).toEqual({ applied: all.length, available: all.length, pending: [], current: true });
    const tables = await database.sql<
      { t: string }[]
    >`select tablename as t from pg_tables where schemaname = 'public' order by 1`;
    expect(tables.map((r) => r.t)).toEqual(
      expect.arrayContaining(['api_keys', 'audit_events', 'job_runs', 'schedules', 'attune_migrations']),
    );
  });

  it('refuses to run older code on a newer schema, and refuses an edited migration', async () => {
    const known = readMigrations();
    const fromTheFuture: Migration = { id: 9999, tag: '9999_future', hash: 'x', statements: ['select 1'] };
    await migrate(database.sql, [...known, fromTheFuture]);
    await expect(migrate(database.sql, known)).rejects.toThrow(/newer than the code/);
    await database.sql`delete from attune_migrations where id = 9999`;
    const edited = known.map((m, i) => (i === 0 ? { ...m, hash: 'edited' } : m));
    const err = await migrate(database.sql, edited).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationError);
    expect((err as Error).message).toMatch(/append-only/);
  });

  it('reports whether pgvector is available, and why not', async () => {
    const caps = await detectCapabilities(database.sql);
    if (mode === 'embedded') {
      expect(caps.vector.available).toBe(true);
      const [row] = await database.sql<
        { d: number }[]
      >`select ('[1,2,3]'::vector <-> '[1,2,4]'::vector)::float8 as d`;
      expect(row?.d).toBe(1);
    } else {
      // The suite's PostgreSQL server has no pgvector: this is the degraded mode.
      expect(caps.vector.available).toBe(false);
      expect(caps.vector.reason).toMatch(/pgvector/);
    }
  });
});
