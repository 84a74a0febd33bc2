// Erasure of a person's sticky arm assignments and of their units in the kept aggregates; registered
// in src/erasure-steps.ts (after the CDP's steps, so their events are already gone).
import { inArray, sql as dsql } from 'drizzle-orm';
import type { ErasureStep } from '../cdp/index.js';
import { experimentAssignments } from './tables.js';
import { eraseKeptUnits } from './aggregates.js';

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
  {
    table: 'experiment_units',
    erase: (tx, s) =>
      eraseKeptUnits(tx, s.personIds, async (t) =>
        (
          await t.execute<{ key: string; metric_count: number }>(dsql`
            select x.key, jsonb_array_length(x.goal_metrics) + jsonb_array_length(x.guardrail_metrics) as metric_count
            from experiment_aggregate_state st join experiments x on x.key = st.experiment_key
            order by x.key`)
        ).map((r) => ({ key: r.key, metricCount: Number(r.metric_count) })),
      ),
  },
];
