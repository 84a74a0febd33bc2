import { and, desc, eq, isNull, sql as dsql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { Principal, Role } from '../http/env.js';
import { apiKeys } from './tables.js';
import { generateKey, hashKey } from './keys.js';
import { auditEvents } from '../audit-tables.js';

export type KeyInfo = {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

function toKeyInfo(row: typeof apiKeys.$inferSelect): KeyInfo {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    prefix: row.prefix,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export async function createKey(
  db: Db,
  input: { name: string; role: Role; createdBy: string },
): Promise<KeyInfo & { key: string }> {
  const { key, prefix, hash } = generateKey();
  const row = await db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(apiKeys)
      .values({ name: input.name, role: input.role, prefix, hash, createdBy: input.createdBy })
      .returning();
    if (!inserted) throw new Error('insert returned no row');
    await tx.insert(auditEvents).values({
      actor: input.createdBy,
      action: 'key.create',
      target: inserted.id,
      details: { role: input.role, name: input.name },
    });
    return inserted;
  });
  return { ...toKeyInfo(row), key };
}

export async function listKeys(db: Db, options: { includeRevoked?: boolean } = {}): Promise<KeyInfo[]> {
  const rows = await db
    .select()
    .from(apiKeys)
    .where(options.includeRevoked ? undefined : isNull(apiKeys.revokedAt))
    .orderBy(desc(apiKeys.createdAt));
  return rows.map(toKeyInfo);
}

/** Revoke by id; returns the key, or null when there is none with that id. Revoking twice is harmless. */
export async function revokeKey(db: Db, id: string, actor: string): Promise<KeyInfo | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(apiKeys)
      .set({ revokedAt: dsql`coalesce(${apiKeys.revokedAt}, now())` })
      .where(eq(apiKeys.id, id))
      .returning();
    if (!row) return null;
    await tx.insert(auditEvents).values({ actor, action: 'key.revoke', target: id, details: {} });
    return toKeyInfo(row);
  });
}

/** Look a presented key up. Marks it used at most once a minute, so reads stay reads. */
export async function resolveKey(db: Db, key: string): Promise<Principal | null> {
  const [row] = await db
    .select({ id: apiKeys.id, name: apiKeys.name, role: apiKeys.role, lastUsedAt: apiKeys.lastUsedAt })
    .from(apiKeys)
    .where(and(eq(apiKeys.hash, hashKey(key)), isNull(apiKeys.revokedAt)))
    .limit(1);
  if (!row) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db.update(apiKeys).set({ lastUsedAt: new Date() }).where(eq(apiKeys.id, row.id));
  }
  return { keyId: row.id, name: row.name, role: row.role as Role };
}

/** The principal of a key id that is still valid (browser sessions carry the id, never the key). */
export async function principalById(db: Db, id: string): Promise<Principal | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const [row] = await db
    .select({ id: apiKeys.id, name: apiKeys.name, role: apiKeys.role })
    .from(apiKeys)
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .limit(1);
  return row ? { keyId: row.id, name: row.name, role: row.role as Role } : null;
}
