// The propensity model as a registry kind: what `model.refresh` with kind "propensity" runs.
import type { Database } from '../../platform/db/client.js';
import type { ModelKind } from '../registry/index.js';
import { trainPropensity, KIND } from './train.js';
import { scoreEveryone } from './scoring.js';

export function propensityKind(database: Database, clock: () => Date): ModelKind {
  return {
    kind: KIND,
    description: 'Purchase within the next 30 days, from the per-person features',
    report: 'model-card',
    refresh: async ({ actor, onProgress }) => {
      const r = await trainPropensity(database, {
        actor,
        onProgress: (f, note) => onProgress(0.9 * f, note),
      });
      onProgress(0.92, 'scoring everyone with the champion');
      const scored = await scoreEveryone(database, clock());
      return {
        version: r.version,
        promoted: r.promoted,
        reason: r.reason,
        algorithm: r.algorithm,
        metrics: r.metrics,
        scored: scored?.scored ?? 0,
      };
    },
  };
}
