// Reads of per-installation and per-source settings used on every ingest call.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { desc, eq, sql as dsql } from 'drizzle-orm';
import type { Db } from '../platform/db/client.js';
import { fromRoot } from '../platform/paths.js';
import { installSecrets, sources, trackingPlans } from './tables.js';
import { TrackingPlanSchema, type TrackingPlan } from './tracking-plan.js';
import { CATEGORIES, type ConsentCategories } from './consent.js';

export type SourceSettings = {
  keyId: string;
  defaultConsent: ConsentCategories | null;
  trustReceivedAt: boolean;
};

export async function getSourceSettings(db: Db, keyId: string): Promise<SourceSettings> {
  const [row] = await db.select().from(sources).where(eq(sources.keyId, keyId));
  const dc = row?.defaultConsent;
  return {
    keyId,
    defaultConsent: dc
      ? (Object.fromEntries(CATEGORIES.map((c) => [c, dc[c] === true])) as ConsentCategories)
      : null,
    trustReceivedAt: row?.trustReceivedAt ?? false,
  };
}

export async function putSourceSettings(db: Db, s: SourceSettings): Promise<void> {
  await db
    .insert(sources)
    .values({ keyId: s.keyId, defaultConsent: s.defaultConsent, trustReceivedAt: s.trustReceivedAt })
    .onConflictDoUpdate({
      target: sources.keyId,
      set: { defaultConsent: s.defaultConsent, trustReceivedAt: s.trustReceivedAt, updatedAt: dsql`now()` },
    });
}

const secretCache = new Map<string, Buffer>();

/** The HMAC key for personal data, created once per installation. `cacheKey` names the database. */
export async function getPiiSecret(db: Db, cacheKey: string): Promise<Buffer> {
  const cached = secretCache.get(cacheKey);
  if (cached) return cached;
  await db
    .insert(installSecrets)
    .values({ name: 'pii-hmac', value: crypto.randomBytes(32) })
    .onConflictDoNothing();
  const [row] = await db.select().from(installSecrets).where(eq(installSecrets.name, 'pii-hmac'));
  if (!row) throw new Error('the PII secret could not be created');
  secretCache.set(cacheKey, row.value);
  return row.value;
}

const planCache = new Map<string, { version: number; plan: TrackingPlan }>();

/** The current tracking plan; seeded from fixtures/brand/tracking-plan.json when none exists yet. */
export async function getTrackingPlan(
  db: Db,
  cacheKey: string,
  knownLatest?: number | null,
): Promise<{ version: number; plan: TrackingPlan }> {
  const cachedHit = knownLatest ? planCache.get(cacheKey) : undefined;
  if (cachedHit && cachedHit.version === knownLatest) return cachedHit;
  const [latest] = await db
    .select({ version: trackingPlans.version })
    .from(trackingPlans)
    .orderBy(desc(trackingPlans.version))
    .limit(1);
  if (!latest) {
    const seed = TrackingPlanSchema.parse(
      JSON.parse(fs.readFileSync(fromRoot('fixtures', 'brand', 'tracking-plan.json'), 'utf8')),
    );
    await db
      .insert(trackingPlans)
      .values({ version: 1, plan: seed, createdBy: 'fixtures' })
      .onConflictDoNothing();
    return getTrackingPlan(db, cacheKey);
  }
  const cached = planCache.get(cacheKey);
  if (cached?.version === latest.version) return cached;
  const [row] = await db.select().from(trackingPlans).where(eq(trackingPlans.version, latest.version));
  const value = { version: latest.version, plan: TrackingPlanSchema.parse(row!.plan) };
  planCache.set(cacheKey, value);
  return value;
}

export async function putTrackingPlan(db: Db, plan: TrackingPlan, actor: string): Promise<number> {
  const [row] = await db
    .insert(trackingPlans)
    .values({
      version: dsql`(select coalesce(max(version), 0) + 1 from cdp_tracking_plans)`,
      plan,
      createdBy: actor,
    })
    .returning({ version: trackingPlans.version });
  return row!.version;
}
