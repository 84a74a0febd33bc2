// Experiments in the database: create, read, list, and update (a weight change starts a new phase).
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../platform/db/client.js';
import { AppError, NotFoundError } from '../platform/errors.js';
import { experiments } from './tables.js';
import { initialRanges, rebalance } from './ranges.js';
import type { CreateExperiment, Experiment, UpdateExperiment } from './definition.js';

type Row = typeof experiments.$inferSelect;
const toExperiment = (r: Row): Experiment => ({ ...r });

export async function createExperiment(
  db: Db,
  input: CreateExperiment,
  actor: string,
  now: Date,
): Promise<Experiment> {
  const variations = input.variations.map((v, i) => ({
    id: v.id ?? String(i),
    name: v.name,
    weight: v.weight,
    cost: v.cost,
  }));
  if (new Set(variations.map((v) => v.id)).size !== variations.length)
    throw new AppError('validation-failed', 'Variation ids must be unique.', {
      errors: [{ path: 'variations', message: 'duplicate id' }],
    });
  const weights = variations.map((v) => v.weight);
  const startAt = input.startAt ? new Date(input.startAt) : input.status === 'running' ? now : null;
  const [row] = await db
    .insert(experiments)
    .values({
      key: input.key,
      name: input.name ?? input.key,
      hypothesis: input.hypothesis,
      status: input.status,
      seed: input.seed ?? input.key,
      purpose: input.purpose,
      exposureEvent: input.exposureEvent,
      attributionDays: input.attributionDays,
      variations,
      phases: [{ startAt: (startAt ?? now).toISOString(), weights, ranges: initialRanges(weights) }],
      goalMetrics: input.goalMetrics,
      guardrailMetrics: input.guardrailMetrics,
      analysis: input.analysis,
      sendEvent: input.sendEvent ?? null,
      startAt,
      stopAt: input.stopAt ? new Date(input.stopAt) : null,
      createdBy: actor,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new AppError('conflict', `An experiment with key "${input.key}" already exists.`);
  return toExperiment(row);
}

export async function getExperiment(db: Db, key: string): Promise<Experiment> {
  const [row] = await db.select().from(experiments).where(eq(experiments.key, key));
  if (!row) throw new NotFoundError(`Experiment "${key}"`);
  return toExperiment(row);
}

export async function listExperiments(db: Db): Promise<Experiment[]> {
  return (await db.select().from(experiments).orderBy(asc(experiments.createdAt), asc(experiments.key))).map(
    toExperiment,
  );
}

export async function updateExperiment(
  db: Db,
  key: string,
  change: UpdateExperiment,
  now: Date,
): Promise<Experiment> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(experiments).where(eq(experiments.key, key)).for('update');
    if (!row) throw new NotFoundError(`Experiment "${key}"`);
    const next: Partial<Row> = { updatedAt: now };
    if (change.hypothesis) next.hypothesis = change.hypothesis;
    if (change.analysis) next.analysis = change.analysis;
    if (change.stopAt !== undefined) next.stopAt = change.stopAt ? new Date(change.stopAt) : null;
    if (change.status) {
      next.status = change.status;
      if (change.status === 'running' && !row.startAt) next.startAt = now;
      if (change.status === 'stopped' && !row.stopAt && change.stopAt === undefined) next.stopAt = now;
    }
    if (change.weights) {
      if (change.weights.length !== row.variations.length)
        throw new AppError(
          'validation-failed',
          `weights has ${change.weights.length} entries for ${row.variations.length} variations.`,
          { errors: [{ path: 'weights', message: 'one weight per variation' }] },
        );
      if (change.weights.reduce((s, w) => s + w, 0) > 1 + 1e-9)
        throw new AppError('validation-failed', 'weights add up to more than 1.', {
          errors: [{ path: 'weights', message: 'at most 1 in all' }],
        });
      const last = row.phases[row.phases.length - 1]!;
      next.phases = [
        ...row.phases,
        {
          startAt: now.toISOString(),
          weights: change.weights,
          ranges: rebalance(last.ranges, change.weights),
        },
      ];
      next.variations = row.variations.map((v, i) => ({ ...v, weight: change.weights![i]! }));
    }
    const [updated] = await tx.update(experiments).set(next).where(eq(experiments.key, key)).returning();
    return toExperiment(updated!);
  });
}
