// Every model kind the registry can retrain (job `model.refresh`), registered in one place as job
// types and erasure steps are, so src/models/registry knows no model.
import type { Database } from './platform/db/client.js';
import type { ModelKind } from './models/registry/index.js';
import { propensityKind } from './models/propensity/kind.js';
import { nbaKind } from './nba/index.js';
import { mmmKind } from './models/mmm/jobs.js';

export function modelKinds(database: Database, clock: () => Date): ModelKind[] {
  return [propensityKind(database, clock), mmmKind(database), nbaKind(database, clock)];
}
