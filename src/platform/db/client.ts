// One way in to the database for every process: a postgres-js pool and a drizzle handle over it,
// whether the database is the embedded engine (ours or another process's) or a server.
import postgres from 'postgres';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { redactUrl } from '../log.js';
import { DatabaseUnavailableError } from '../errors.js';
import type { Config } from '../config.js';
import { tryAcquireLock, type LockInfo } from './lock.js';
import { startEmbeddedEngine } from './embedded-engine.js';

/** Untyped by schema on purpose: platform/ knows no domain; domains import their own tables. */
export type Db = PostgresJsDatabase;
export type Sql = postgres.Sql;

export type Database = {
  mode: 'embedded' | 'server';
  /** Tell other processes that find the embedded database's lock where this process serves its API. */
  announce: (info: { httpUrl: string }) => void;
  sql: Sql;
  db: Db;
  /** Connection string for other wire-protocol clients (pg-boss). May hold a password: never log it. */
  url: string;
  /** The same, safe to show. */
  displayUrl: string;
  close: () => Promise<void>;
};

export type OpenOptions = {
  /** Shown to other processes that find the lock, e.g. "attune serve". */
  purpose: string;
  poolMax?: number;
  connectTimeoutSeconds?: number;
};

export class DatabaseBusyError extends Error {}

/**
 * The embedded engine is one Postgres backend. Clients on several connections would interleave
 * their extended-protocol messages in it (one connection's Parse replacing another's before its
 * Bind), so this process uses exactly one connection and everything, pg-boss included, queues on it.
 * Rule that follows: never await another query of the pool while holding a transaction.
 */
const EMBEDDED_POOL_SIZE = 1;

/**
 * A server on this machine can be reached over its Unix socket as libpq spells it,
 * `postgres://user@localhost/db?host=/var/run/postgresql`: cheaper per query than TCP over loopback.
 */
export function socketPathOf(url: string): { url: string; path?: string } {
  const u = new URL(url);
  const dir = u.searchParams.get('host');
  if (!dir?.startsWith('/')) return { url };
  u.searchParams.delete('host');
  return { url: u.toString(), path: `${dir}/.s.PGSQL.${u.port || '5432'}` };
}

function createPool(url: string, max: number, connectTimeoutSeconds: number): Sql {
  const socket = socketPathOf(url);
  return postgres(socket.url, {
    ...(socket.path ? { path: socket.path } : {}),
    max,
    connect_timeout: connectTimeoutSeconds,
    onnotice: () => undefined,
    connection: { application_name: 'attune' },
    // Let numeric/bigint aggregates come back as strings; callers convert where they want numbers.
  });
}

async function verify(sql: Sql, what: string): Promise<void> {
  try {
    await sql`select 1`;
  } catch (err) {
    await sql.end({ timeout: 1 }).catch(() => undefined);
    throw new DatabaseUnavailableError(
      err instanceof Error ? new Error(`${what}: ${err.message}`, { cause: err }) : err,
    );
  }
}

export async function openDatabase(database: Config['database'], options: OpenOptions): Promise<Database> {
  const poolMax = options.poolMax ?? 10;
  const timeout = options.connectTimeoutSeconds ?? 10;
  if (database.mode === 'server') {
    const sql = createPool(database.url, poolMax, timeout);
    await verify(sql, `cannot connect to ${redactUrl(database.url)}`);
    return wrap(
      'server',
      sql,
      database.url,
      async () => sql.end({ timeout: 5 }),
      () => undefined,
    );
  }
  if (database.dataDir === 'memory://') {
    // A throwaway in-memory database belongs to this process alone: no lock to take.
    const engine = await startEmbeddedEngine(database.dataDir, database.socketPort);
    const sql = createPool(engine.url, EMBEDDED_POOL_SIZE, timeout);
    await verify(sql, 'embedded engine');
    return wrap(
      'embedded',
      sql,
      engine.url,
      async () => {
        await sql.end({ timeout: 5 });
        await engine.stop();
      },
      () => undefined,
    );
  }
  const lock = tryAcquireLock(database.dataDir, options.purpose);
  if (lock.state === 'held') throw new DatabaseBusyError(busyMessage(database.dataDir, lock.holder));
  try {
    const engine = await startEmbeddedEngine(database.dataDir, database.socketPort);
    lock.update({ socketPort: engine.port });
    const sql = createPool(engine.url, EMBEDDED_POOL_SIZE, timeout);
    await verify(sql, 'embedded engine');
    return wrap(
      'embedded',
      sql,
      engine.url,
      async () => {
        await sql.end({ timeout: 5 });
        await engine.stop();
        lock.release();
      },
      (info) => lock.update(info),
    );
  } catch (err) {
    lock.release();
    throw err;
  }
}

function busyMessage(dataDir: string, holder: LockInfo): string {
  const where = holder.httpUrl
    ? ` Its API is at ${holder.httpUrl}: use it (e.g. POST /v1/keys with an admin key), or stop that process and run this command again.`
    : ' Stop that process and run this command again.';
  return `The embedded database in ${dataDir} is in use by \`${holder.purpose}\` (process ${holder.pid}, since ${holder.startedAt}). It belongs to one process at a time.${where}`;
}

function wrap(
  mode: Database['mode'],
  sql: Sql,
  url: string,
  close: () => Promise<void>,
  announce: Database['announce'],
): Database {
  let closed: Promise<void> | null = null;
  return {
    mode,
    sql,
    url,
    announce,
    db: drizzle(sql),
    displayUrl: redactUrl(url),
    close: () => (closed ??= close()),
  };
}
