// Erasure of a person's decisions (with their context, features and rewards); registered in
// src/erasure-steps.ts. Daily usage counters hold no person and stay.
import type { ErasureStep } from '../cdp/index.js';
import { inArray, or } from 'drizzle-orm';
import { nbaDecisions } from './tables.js';

export const NBA_ERASURE_STEPS: readonly ErasureStep[] = [
  {
    table: 'nba_decisions',
    erase: async (tx, s) =>
      (
        await tx
          .delete(nbaDecisions)
          .where(or(inArray(nbaDecisions.personId, s.personIds), inArray(nbaDecisions.userId, s.ids)))
          .returning({ id: nbaDecisions.id })
      ).length,
  },
];
