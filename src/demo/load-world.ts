// Loads the demo's simulated world into Attune through the ingest path, once per data directory.
import { and, eq } from 'drizzle-orm';
import type { Services } from '../services.js';
import { apiKeys } from '../platform/auth/tables.js';
import { auditEvents } from '../platform/audit-tables.js';
import { createKey } from '../platform/auth/store.js';
import { eraseUser, getSourceSettings, ingestBatch, putSourceSettings } from '../cdp/index.js';
import { loadWorld, type LoadReport } from '../sim/loader.js';
import { SOURCES, type SourceName } from '../sim/wire.js';

const LOADED = 'demo.world-loaded';

/** One source key per simulated source, found by name so a rerun sends to the same sources. */
async function demoSources(services: Services): Promise<Record<SourceName, string>> {
  const { db } = services.database;
  const out = {} as Record<SourceName, string>;
  for (const source of SOURCES) {
    const name = `demo ${source}`;
    const [existing] = await db.select({ id: apiKeys.id }).from(apiKeys).where(and(eq(apiKeys.name, name), eq(apiKeys.role, 'source')));
    const id = existing?.id ?? (await createKey(db, { name, role: 'source', createdBy: 'attune demo' })).id;
    // The simulated events carry the times they arrived; this import keeps them.
    await putSourceSettings(db, { ...(await getSourceSettings(db, id)), trustReceivedAt: true });
    out[source] = id;
  }
  return out;
}

export async function loadDemoWorld(services: Services, worldDir: string, onProgress?: (events: number) => void): Promise<LoadReport | null> {
  const { db } = services.database;
  const [done] = await db.select({ id: auditEvents.id }).from(auditEvents).where(and(eq(auditEvents.action, LOADED), eq(auditEvents.target, worldDir)));
  if (done) return null;
  const keys = await demoSources(services);
  const report = await loadWorld(worldDir, {
    sendBatch: async (source, events) => {
      const { counts } = await ingestBatch(services.database, keys[source], events, {}, services.clock());
      return counts;
    },
    erase: async (userId) => { await eraseUser(services.database, userId, 'attune demo (simulated erasure request)'); },
  }, onProgress);
  await db.insert(auditEvents).values({ actor: 'attune demo', action: LOADED, target: worldDir, details: { ...report } });
  return report;
}
