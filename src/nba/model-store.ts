// The bandit's parameters as the registry keeps them (kind `nba`), and the serving copy: each process
// reuses the champion it read for MODEL_TTL_MS, so a newly promoted version serves everywhere within
// that bound without a query per decision.
import type { Database } from '../platform/db/client.js';
import { champion } from '../models/registry/index.js';
import { CONTEXT_DIM } from './context-features.js';
import type { LinearModel } from './policies/linear-model.js';
import type { BanditModel } from './arbitrate.js';

export const NBA_KIND = 'nba';
/** How long a process serves the champion it read before looking again. */
export const MODEL_TTL_MS = 30_000;

export type BanditArtifact = { dim: number; actions: Record<string, LinearModel> };

export const NO_MODEL: BanditModel = { version: null, actions: new Map() };

export function toBanditModel(version: number | null, artifact: unknown): BanditModel {
  const a = artifact as Partial<BanditArtifact> | null;
  if (!a || a.dim !== CONTEXT_DIM || typeof a.actions !== 'object' || !a.actions) return NO_MODEL;
  return { version, actions: new Map(Object.entries(a.actions)) };
}

const cache = new WeakMap<Database, { at: number; value: Promise<BanditModel> }>();

export function forgetBanditModel(database: Database): void {
  cache.delete(database);
}

export function servingModel(database: Database, now = Date.now()): Promise<BanditModel> {
  const hit = cache.get(database);
  if (hit && now - hit.at < MODEL_TTL_MS) return hit.value;
  const value = champion(database, NBA_KIND).then((c) =>
    c ? toBanditModel(c.version, c.artifact) : NO_MODEL,
  );
  cache.set(database, { at: now, value });
  value.catch(() => cache.delete(database));
  return value;
}
