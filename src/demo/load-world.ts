// Loads the demo's simulated world into Attune through the ingest path, once per data directory, and
// defines its experiments so they can be analysed from the loaded events.
import fs from 'node:fs';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import type { Services } from '../services.js';
import { ERASURE_STEPS } from '../erasure-steps.js';
import { apiKeys } from '../platform/auth/tables.js';
import { auditEvents } from '../platform/audit-tables.js';
import { createKey } from '../platform/auth/store.js';
import { eraseUser, getSourceSettings, ingestBatch, putSourceSettings } from '../cdp/index.js';
import { loadWorld, type LoadReport } from '../sim/loader.js';
import { SOURCES, type SourceName } from '../sim/wire.js';
import { WORLD_FILES } from '../sim/output.js';
import { CreateExperimentSchema } from '../experiments/definition.js';
import { createExperiment, listExperiments } from '../experiments/store.js';

const LOADED = 'demo.world-loaded';

/** One source key per simulated source, found by name so a rerun sends to the same sources. */
async function demoSources(services: Services): Promise<Record<SourceName, string>> {
  const { db } = services.database;
  const out = {} as Record<SourceName, string>;
  for (const source of SOURCES) {
    const name = `demo ${source}`;
    const [existing] = await db
      .select({ id: apiKeys.id })
      .from(apiKeys)
      .where(and(eq(apiKeys.name, name), eq(apiKeys.role, 'source')));
    const id = existing?.id ?? (await createKey(db, { name, role: 'source', createdBy: 'attune demo' })).id;
    // The simulated events carry the times they arrived; this import keeps them.
    await putSourceSettings(db, { ...(await getSourceSettings(db, id)), trustReceivedAt: true });
    out[source] = id;
  }
  return out;
}

export async function loadDemoWorld(
  services: Services,
  worldDir: string,
  onProgress?: (events: number) => void,
): Promise<LoadReport | null> {
  const { db } = services.database;
  const [done] = await db
    .select({ id: auditEvents.id })
    .from(auditEvents)
    .where(and(eq(auditEvents.action, LOADED), eq(auditEvents.target, worldDir)));
  if (done) return null;
  const keys = await demoSources(services);
  const report = await loadWorld(
    worldDir,
    {
      sendBatch: async (source, events) => {
        const { counts } = await ingestBatch(services.database, keys[source], events, {}, services.clock());
        return counts;
      },
      erase: async (userId) => {
        await eraseUser(services.database, ERASURE_STEPS, userId, 'attune demo (simulated erasure request)');
      },
    },
    onProgress,
  );
  // Fresh planner statistics: without them every table looks empty and the analyses' plans degrade.
  await services.database.sql.unsafe('ANALYZE cdp_events, cdp_consent_state, cdp_identity_links');
  await db
    .insert(auditEvents)
    .values({ actor: 'attune demo', action: LOADED, target: worldDir, details: { ...report } });
  return report;
}

type WorldExperiment = {
  key: string;
  hypothesis: string;
  seed: string;
  purpose: 'marketing' | 'analytics';
  exposureEvent: string;
  goalEvent: string;
  attributionDays: number;
  variations: { id: string; name: string; weight: number; cost: { fixed: number; perExposure: number } }[];
  start: string;
  end: string;
};

/** The world's experiments as Attune experiments (stopped, with their real dates), once. */
export async function ensureWorldExperiments(services: Services, worldDir: string): Promise<string[]> {
  const defined = new Set((await listExperiments(services.database.db)).map((e) => e.key));
  const world = JSON.parse(
    fs.readFileSync(path.join(worldDir, WORLD_FILES.experiments), 'utf8'),
  ) as WorldExperiment[];
  const created: string[] = [];
  for (const x of world.filter((w) => !defined.has(w.key))) {
    const input = CreateExperimentSchema.parse({
      key: x.key,
      hypothesis: x.hypothesis,
      seed: x.seed,
      purpose: x.purpose,
      exposureEvent: x.exposureEvent,
      attributionDays: x.attributionDays,
      variations: x.variations.map((v) => ({
        id: v.id,
        name: v.name,
        weight: v.weight,
        cost: { fixed: v.cost.fixed, perExposure: v.cost.perExposure },
      })),
      goalMetrics: [
        { name: 'purchase', type: 'binomial', event: x.goalEvent },
        {
          name: 'revenue per user',
          type: 'mean',
          event: x.goalEvent,
          property: 'revenue',
          capPercentile: 0.99,
        },
      ],
      guardrailMetrics: [
        {
          name: 'revenue per order',
          type: 'ratio',
          event: x.goalEvent,
          property: 'revenue',
          denominator: { event: x.goalEvent },
        },
        // The big baskets: an offer that lifts orders should not shrink the top of the order values.
        {
          name: 'P90 revenue of buyers',
          type: 'quantile',
          level: 0.9,
          ignoreZeros: true,
          event: x.goalEvent,
          property: 'revenue',
        },
      ],
      // Finished experiments read once at their planned end: a fixed-horizon analysis (a running one
      // that is read daily would use the sequential mode).
      analysis: {
        engine: 'frequentist',
        difference: 'relative',
        alpha: 0.05,
        test: 'two-sided',
        sequential: null,
        prior: null,
        cuped: true,
        correction: 'holm',
      },
      startAt: `${x.start}T00:00:00Z`,
      stopAt: new Date(new Date(`${x.end}T00:00:00Z`).getTime() + 86_400_000).toISOString(),
      status: 'stopped',
    });
    await createExperiment(services.database.db, input, 'attune demo', services.clock());
    created.push(x.key);
  }
  return created;
}
