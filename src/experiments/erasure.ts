// Erasure of a person's sticky arm assignments; registered in src/erasure-steps.ts.
import { inArray } from 'drizzle-orm';
import type { ErasureStep } from '../cdp/index.js';
import { experimentAssignments } from './tables.js';

export const EXPERIMENT_ERASURE_STEPS: readonly ErasureStep[] = [
  {
    table: 'experiment_assignments',
    erase: async (tx, s) =>
      (
        await tx
          .delete(experimentAssignments)
          .where(inArray(experimentAssignments.personId, s.personIds))
          .returning({ id: experimentAssignments.personId })
      ).length,
  },
];
