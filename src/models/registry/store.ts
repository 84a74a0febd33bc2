// Reading and writing the registry. Promotion and rollback run in one transaction each, so a kind
// has at most one champion at any time, and every decision lands in model_events and audit_events.
import type { Database } from '../../platform/db/client.js';
import { AppError, NotFoundError } from '../../platform/errors.js';

export type ModelVersion = {
  id: string;
  kind: string;
  version: number;
  status: 'champion' | 'challenger' | 'retired';
  reason: string;
  algorithm: string;
  dataWindow: Record<string, unknown>;
  features: { names: string[]; setVersion: number };
  params: Record<string, unknown>;
  metrics: Record<string, unknown>;
  runtime: { backend: string; device: string; threads: number };
  durationMs: number;
  trainedBy: string;
  createdAt: string;
  promotedAt: string | null;
};

type Row = {
  id: string;
  kind: string;
  version: number;
  status: ModelVersion['status'];
  reason: string;
  algorithm: string;
  data_window: Record<string, unknown>;
  features: ModelVersion['features'];
  params: Record<string, unknown>;
  metrics: Record<string, unknown>;
  runtime: ModelVersion['runtime'];
  duration_ms: number;
  trained_by: string;
  created_at: string;
  promoted_at: string | null;
};

const toVersion = (r: Row): ModelVersion => ({
  id: r.id,
  kind: r.kind,
  version: r.version,
  status: r.status,
  reason: r.reason,
  algorithm: r.algorithm,
  dataWindow: r.data_window,
  features: r.features,
  params: r.params,
  metrics: r.metrics,
  runtime: r.runtime,
  durationMs: r.duration_ms,
  trainedBy: r.trained_by,
  createdAt: new Date(r.created_at).toISOString(),
  promotedAt: r.promoted_at ? new Date(r.promoted_at).toISOString() : null,
});

const COLUMNS = `id, kind, version, status, reason, algorithm, data_window, features, params, metrics, runtime, duration_ms, trained_by, created_at, promoted_at`;

export type NewVersion = Omit<ModelVersion, 'id' | 'version' | 'status' | 'createdAt' | 'promotedAt'> & {
  artifact: Record<string, unknown>;
  promote: boolean;
};

/** Record a trained version; when `promote`, it becomes the champion and the old one retires. */
export async function recordVersion(database: Database, v: NewVersion): Promise<ModelVersion> {
  return database.sql.begin(async (tx) => {
    // One writer per kind at a time: versions are numbered without gaps or races.
    await tx`select pg_advisory_xact_lock(hashtext(${'model:' + v.kind}))`;
    const [next] = await tx<
      { n: number }[]
    >`select coalesce(max(version), 0) + 1 as n from model_versions where kind = ${v.kind}`;
    const version = next!.n;
    if (v.promote)
      await tx`update model_versions set status = 'retired' where kind = ${v.kind} and status = 'champion'`;
    const [row] = await tx<Row[]>`
      insert into model_versions (kind, version, status, reason, algorithm, data_window, features, params, metrics, runtime, duration_ms, artifact, trained_by, promoted_at)
      values (${v.kind}, ${version}, ${v.promote ? 'champion' : 'challenger'}, ${v.reason}, ${v.algorithm},
        ${JSON.stringify(v.dataWindow)}::jsonb, ${JSON.stringify(v.features)}::jsonb, ${JSON.stringify(v.params)}::jsonb,
        ${JSON.stringify(v.metrics)}::jsonb, ${JSON.stringify(v.runtime)}::jsonb, ${v.durationMs},
        ${JSON.stringify(v.artifact)}::jsonb, ${v.trainedBy}, ${v.promote ? tx`now()` : null})
      returning ${tx.unsafe(COLUMNS)}`;
    await tx`insert into model_events (kind, version, action, actor, reason)
      values (${v.kind}, ${version}, ${v.promote ? 'trained-promoted' : 'trained-challenger'}, ${v.trainedBy}, ${v.reason})`;
    return toVersion(row!);
  });
}

export async function listVersions(database: Database, kind?: string): Promise<ModelVersion[]> {
  const { sql } = database;
  const rows = await sql<Row[]>`
    select ${sql.unsafe(COLUMNS)} from model_versions
    ${kind ? sql`where kind = ${kind}` : sql``}
    order by kind, version desc`;
  return rows.map(toVersion);
}

export async function getVersion(database: Database, kind: string, version: number): Promise<ModelVersion> {
  const { sql } = database;
  const [row] = await sql<
    Row[]
  >`select ${sql.unsafe(COLUMNS)} from model_versions where kind = ${kind} and version = ${version}`;
  if (!row) throw new NotFoundError(`Model ${kind} v${version}`);
  return toVersion(row);
}

export async function champion(
  database: Database,
  kind: string,
): Promise<(ModelVersion & { artifact: Record<string, unknown> }) | null> {
  const { sql } = database;
  const [row] = await sql<(Row & { artifact: Record<string, unknown> })[]>`
    select ${sql.unsafe(COLUMNS)}, artifact from model_versions where kind = ${kind} and status = 'champion'`;
  return row ? { ...toVersion(row), artifact: row.artifact } : null;
}

export async function history(database: Database, kind: string) {
  const rows = await database.sql<
    { version: number; action: string; actor: string; reason: string; at: string }[]
  >`
    select version, action, actor, reason, at from model_events where kind = ${kind} order by at, id`;
  return rows.map((r) => ({ ...r, at: new Date(r.at).toISOString() }));
}

/** Make a version the champion by hand (admin). */
export async function promote(
  database: Database,
  kind: string,
  version: number,
  actor: string,
  reason: string,
): Promise<ModelVersion> {
  return database.sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext(${'model:' + kind}))`;
    const [target] = await tx<
      { status: string; metrics: Record<string, unknown> }[]
    >`select status, metrics from model_versions where kind = ${kind} and version = ${version}`;
    if (!target) throw new NotFoundError(`Model ${kind} v${version}`);
    if (target.status === 'champion')
      throw new AppError('conflict', `${kind} v${version} is already the champion.`);
    // A kind that records `diagnosticsPassed: false` (the MMM's sampler checks) never serves, not even by hand.
    if (target.metrics.diagnosticsPassed === false)
      throw new AppError(
        'conflict',
        `${kind} v${version} failed its diagnostics, so it is never promoted: refit it (more draws, a higher target acceptance) and promote a version that passes.`,
      );
    await tx`update model_versions set status = 'retired' where kind = ${kind} and status = 'champion'`;
    const [row] = await tx<Row[]>`
      update model_versions set status = 'champion', promoted_at = now(), reason = ${`promoted by hand: ${reason}`}
      where kind = ${kind} and version = ${version} returning ${tx.unsafe(COLUMNS)}`;
    await tx`insert into model_events (kind, version, action, actor, reason) values (${kind}, ${version}, 'promoted', ${actor}, ${reason})`;
    await tx`insert into audit_events (actor, action, target, details) values (${actor}, 'model.promote', ${`${kind}:v${version}`}, ${JSON.stringify({ reason })}::jsonb)`;
    return toVersion(row!);
  });
}

/** Put back the champion before the current one (the most recently promoted retired version). */
export async function rollback(
  database: Database,
  kind: string,
  actor: string,
  reason: string,
): Promise<ModelVersion> {
  return database.sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext(${'model:' + kind}))`;
    const [current] = await tx<
      { version: number }[]
    >`select version from model_versions where kind = ${kind} and status = 'champion'`;
    if (!current) throw new AppError('conflict', `${kind} has no champion to roll back.`);
    const [previous] = await tx<{ version: number }[]>`
      select version from model_versions where kind = ${kind} and status = 'retired' and promoted_at is not null
      order by promoted_at desc limit 1`;
    if (!previous)
      throw new AppError('conflict', `${kind} v${current.version} is the only version that ever served.`);
    await tx`update model_versions set status = 'challenger', reason = ${`rolled back: ${reason}`} where kind = ${kind} and version = ${current.version}`;
    const [row] = await tx<Row[]>`
      update model_versions set status = 'champion', promoted_at = now() where kind = ${kind} and version = ${previous.version}
      returning ${tx.unsafe(COLUMNS)}`;
    await tx`insert into model_events (kind, version, action, actor, reason) values (${kind}, ${previous.version}, 'rolled-back-to', ${actor}, ${reason})`;
    await tx`insert into audit_events (actor, action, target, details) values (${actor}, 'model.rollback', ${`${kind}:v${current.version}->v${previous.version}`}, ${JSON.stringify({ reason })}::jsonb)`;
    return toVersion(row!);
  });
}
