// Erasure of a person's stored propensity score; registered in src/erasure-steps.ts.
import { inArray } from 'drizzle-orm';
import type { ErasureStep } from '../../cdp/index.js';
import { propensityScores } from './tables.js';

export const PROPENSITY_ERASURE_STEPS: readonly ErasureStep[] = [
  {
    table: 'propensity_scores',
    erase: async (tx, s) =>
      (
        await tx
          .delete(propensityScores)
          .where(inArray(propensityScores.personId, s.personIds))
          .returning({ id: propensityScores.personId })
      ).length,
  },
];
