// Every domain's erasure steps, collected in one place as job types are (src/job-types.ts), so that
// cdp/ erases what the domains above it store without importing them. A domain that stores data about
// a person adds its steps here; test/cdp-ingest.test.ts scans every table after an erasure.
import { CDP_ERASURE_STEPS, type ErasureStep } from './cdp/index.js';
import { EXPERIMENT_ERASURE_STEPS } from './experiments/erasure.js';
import { FEATURE_ERASURE_STEPS } from './features/index.js';
import { PROPENSITY_ERASURE_STEPS } from './models/propensity/index.js';
import { CONTENT_ERASURE_STEPS } from './content/index.js';
import { NBA_ERASURE_STEPS } from './nba/index.js';

export const ERASURE_STEPS: readonly ErasureStep[] = [
  ...CDP_ERASURE_STEPS,
  ...EXPERIMENT_ERASURE_STEPS,
  ...FEATURE_ERASURE_STEPS,
  ...PROPENSITY_ERASURE_STEPS,
  ...CONTENT_ERASURE_STEPS,
  ...NBA_ERASURE_STEPS,
];
