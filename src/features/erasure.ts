// Erasure of a person's materialised features; registered in src/erasure-steps.ts.
import { inArray } from 'drizzle-orm';
import type { ErasureStep } from '../cdp/index.js';
import { personFeatures } from './tables.js';

export const FEATURE_ERASURE_STEPS: readonly ErasureStep[] = [
  {
    table: 'feature_person_raw',
    erase: async (tx, s) =>
      (
        await tx
          .delete(personFeatures)
          .where(inArray(personFeatures.personId, s.personIds))
          .returning({ id: personFeatures.personId })
      ).length,
  },
];
