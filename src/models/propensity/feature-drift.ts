// Drift of a model's most important features since training: the validation snapshot's customers
// (the rows it was measured on) against the materialised features of today's scored population,
// column by column with the drift domain's default test per column (as Evidently chooses).
import type { Database } from '../../platform/db/client.js';
import { buildTrainingSet, FEATURE_NAMES, materialisedFeatures } from '../../features/index.js';
import { compareSamples, type ColumnDrift } from '../../drift/compare.js';

export type FeatureDrift = { reference: string; current: string | null; columns: ColumnDrift[] } | null;

export async function featureDriftSinceTraining(
  database: Database,
  version: {
    dataWindow: Record<string, unknown>;
    features: { names: string[] };
    metrics: Record<string, unknown>;
  },
  top = 8,
): Promise<FeatureDrift> {
  const w = version.dataWindow as { validationSnapshot?: string; horizonDays?: number };
  if (!w.validationSnapshot || version.features.names.join(',') !== FEATURE_NAMES.join(',')) return null;
  const importance = (version.metrics.importance as { feature: string }[] | undefined) ?? [];
  const names = (importance.length ? importance.map((i) => i.feature) : FEATURE_NAMES).slice(0, top);
  const at = new Date(`${w.validationSnapshot}T00:00:00Z`);
  const reference = await buildTrainingSet(database, { snapshots: [at], horizonDays: w.horizonDays ?? 30 });
  const signedUp = FEATURE_NAMES.indexOf('signed_up');
  const current = (await materialisedFeatures(database)).filter((r) => r.vector[signedUp] === 1);
  if (!reference.rows.length || !current.length)
    return { reference: w.validationSnapshot, current: current[0]?.asOf.toISOString() ?? null, columns: [] };
  const column = (rows: { vector: number[] }[]) =>
    Object.fromEntries(names.map((n) => [n, rows.map((r) => r.vector[FEATURE_NAMES.indexOf(n)]!)]));
  const report = compareSamples(column(reference.rows), column(current));
  return {
    reference: w.validationSnapshot,
    current: current[0]!.asOf.toISOString(),
    columns: report.columns,
  };
}
