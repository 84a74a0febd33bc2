// Applies the numbered migrations that drizzle-kit writes into sql/. Append-only: an applied
// migration whose file changed, or a database newer than this code, stops start-up with a message
// that says what to do. Two processes migrating at once serialise on an advisory lock.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Sql } from './client.js';
import { fromRoot } from '../paths.js';

export const MIGRATIONS_DIR = fromRoot('sql');
const BREAKPOINT = '--> statement-breakpoint';
/** Any fixed number: it names the lock that makes concurrent migrators take turns. */
const MIGRATION_LOCK_ID = 727_001;

export type Migration = { id: number; tag: string; hash: string; statements: string[] };

type Journal = { entries: { idx: number; tag: string }[] };

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const journal = JSON.parse(fs.readFileSync(path.join(dir, 'meta', '_journal.json'), 'utf8')) as Journal;
  return journal.entries
    .sort((a, b) => a.idx - b.idx)
    .map(({ idx, tag }) => {
      const text = fs.readFileSync(path.join(dir, `${tag}.sql`), 'utf8');
      return {
        id: idx,
        tag,
        hash: crypto.createHash('sha256').update(text).digest('hex'),
        statements: text
          .split(BREAKPOINT)
          .map((s) => s.trim())
          .filter(Boolean),
      };
    });
}

export class MigrationError extends Error {}

export type MigrationStatus = { applied: number; available: number; pending: string[]; current: boolean };

const CREATE_LEDGER = `create table if not exists attune_migrations (
  id integer primary key, tag text not null, hash text not null, applied_at timestamptz not null default now())`;

/** Apply pending migrations; returns the tags applied now (empty when already current). */
export async function migrate(sql: Sql, migrations = readMigrations()): Promise<string[]> {
  return sql.begin(async (tx) => {
    await tx.unsafe(`select pg_advisory_xact_lock(${MIGRATION_LOCK_ID})`);
    await tx.unsafe(CREATE_LEDGER);
    const applied = await tx<
      { id: number; tag: string; hash: string }[]
    >`select id, tag, hash from attune_migrations order by id`;
    checkCompatible(applied, migrations);
    const done = new Set(applied.map((a) => a.id));
    const now: string[] = [];
    for (const m of migrations) {
      if (done.has(m.id)) continue;
      for (const statement of m.statements) await tx.unsafe(statement);
      await tx`insert into attune_migrations (id, tag, hash) values (${m.id}, ${m.tag}, ${m.hash})`;
      now.push(m.tag);
    }
    return now;
  });
}

export async function migrationStatus(sql: Sql, migrations = readMigrations()): Promise<MigrationStatus> {
  const exists = await sql<{ t: string | null }[]>`select to_regclass('attune_migrations')::text as t`;
  const applied = exists[0]?.t ? await sql<{ id: number }[]>`select id from attune_migrations` : [];
  const done = new Set(applied.map((a) => a.id));
  const pending = migrations.filter((m) => !done.has(m.id)).map((m) => m.tag);
  return {
    applied: applied.length,
    available: migrations.length,
    pending,
    current: pending.length === 0 && applied.length === migrations.length,
  };
}

function checkCompatible(
  applied: { id: number; tag: string; hash: string }[],
  migrations: Migration[],
): void {
  const byId = new Map(migrations.map((m) => [m.id, m]));
  for (const a of applied) {
    const m = byId.get(a.id);
    if (!m) {
      throw new MigrationError(
        `The database has migration ${a.id} (${a.tag}), which this version of Attune does not know: the database is newer than the code. Run a newer Attune against it.`,
      );
    }
    if (m.hash !== a.hash) {
      throw new MigrationError(
        `Migration ${m.tag} was changed after it was applied. Migrations are append-only: restore sql/${m.tag}.sql and add a new migration with \`npm run db:generate\`.`,
      );
    }
  }
}
