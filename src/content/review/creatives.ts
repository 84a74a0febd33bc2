// Creative-variant sets: generated, stored with their sources, findings and cost, and sent into an A/B
// experiment in one step through the experiments domain's own creation code (same validation, same rows).
import { z } from 'zod';
import type { Database } from '../../platform/db/client.js';
import { AppError, NotFoundError, ValidationError, problemsFromIssues } from '../../platform/errors.js';
import { CreateExperimentSchema, type Experiment } from '../../experiments/definition.js';
import { createExperiment } from '../../experiments/store.js';
import { keepAggregates } from '../../experiments/aggregates.js';
import type { GenerationDeps } from '../generate/deps.js';
import { generateVariants, type CreativeRequest, type CreativeSet } from '../generate/variants.js';
import { audited } from './briefs.js';
import { recordRequest, usageOf } from './usage-store.js';

export type StoredCreative = CreativeSet & {
  id: string;
  experimentKey: string | null;
  createdBy: string;
  createdAt: string;
};

export async function createCreativeSet(
  deps: GenerationDeps,
  request: CreativeRequest,
  actor: string,
): Promise<StoredCreative> {
  const set = await audited(deps, 'generation:variants', (audit) => generateVariants(deps, request, audit));
  const now = deps.now();
  const [row] = await deps.database.sql<{ id: string }[]>`
    insert into content_creatives (brand, kind, topic, language, variants, sources, findings, generator, template, created_by, created_at)
    values (${set.brand}, ${set.kind}, ${set.topic}, ${set.language}, ${JSON.stringify(set.variants)}::jsonb,
      ${JSON.stringify(set.sources)}::jsonb, ${JSON.stringify(set.findings)}::jsonb, ${JSON.stringify(set.generator)}::jsonb,
      ${set.template}, ${actor}, ${now.toISOString()}::timestamptz)
    returning id`;
  await recordRequest(
    deps.database.sql,
    {
      assetType: 'creative',
      assetId: row!.id,
      purpose: 'generate',
      generator: set.generator.label,
      template: set.template,
      usage: set.usage,
    },
    now,
  );
  return { ...set, id: row!.id, experimentKey: null, createdBy: actor, createdAt: now.toISOString() };
}

type Row = {
  id: string;
  brand: string;
  kind: CreativeSet['kind'];
  topic: string;
  language: 'en' | 'de';
  variants: CreativeSet['variants'];
  sources: CreativeSet['sources'];
  findings: CreativeSet['findings'];
  generator: CreativeSet['generator'];
  template: string;
  experiment_key: string | null;
  created_by: string;
  created_at: string;
};

export async function getCreativeSet(database: Database, id: string): Promise<StoredCreative> {
  const [r] = await database.sql<Row[]>`select * from content_creatives where id = ${id}::uuid`;
  if (!r) throw new NotFoundError(`Creative set ${id}`);
  return {
    id: r.id,
    brand: r.brand,
    kind: r.kind,
    topic: r.topic,
    language: r.language,
    variants: r.variants,
    sources: r.sources,
    findings: r.findings,
    generator: r.generator,
    template: r.template,
    usage: await usageOf(database.sql, r.id),
    experimentKey: r.experiment_key,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

export const ExperimentFromVariantsSchema = z.strictObject({
  key: z.string().trim().min(1).max(100),
  field: z
    .string()
    .min(1)
    .max(40)
    .describe('Which variants become arms: headlines, descriptions, subjects or preheaders'),
  variantIds: z
    .array(z.string().max(20))
    .min(2)
    .max(20)
    .optional()
    .describe('Default: every variant of the field'),
  purpose: z.enum(['marketing', 'analytics', 'personalization']).default('marketing'),
  goalMetrics: z
    .array(z.record(z.string(), z.unknown()))
    .min(1)
    .max(20)
    .default([{ name: 'purchase', type: 'binomial', event: 'Order Completed' }]),
  status: z.enum(['draft', 'running', 'stopped']).default('draft'),
});
export type ExperimentFromVariants = z.infer<typeof ExperimentFromVariantsSchema>;

/** Creates an experiment whose arms are the chosen variants (equal weights), through the experiments store. */
export async function experimentFromVariants(
  database: Database,
  id: string,
  input: ExperimentFromVariants,
  actor: string,
  now: Date,
): Promise<Experiment> {
  const set = await getCreativeSet(database, id);
  const pool = set.variants.filter((v) => v.field === input.field);
  const chosen = input.variantIds ? input.variantIds.map((vid) => pool.find((v) => v.id === vid)) : pool;
  if (chosen.some((v) => !v))
    throw new ValidationError('Unknown variant.', [
      { path: 'variantIds', message: `not all are ${input.field} variants of this set` },
    ]);
  if (chosen.length < 2)
    throw new AppError(
      'unprocessable',
      `An experiment needs at least two ${input.field} variants; this set has ${chosen.length}.`,
    );
  const arms = chosen as NonNullable<(typeof chosen)[number]>[];
  const weight = Math.floor((1 / arms.length) * 1e6) / 1e6;
  const parsed = CreateExperimentSchema.safeParse({
    key: input.key,
    name: `${set.kind} ${input.field}: ${set.topic}`.slice(0, 500),
    hypothesis: `Which ${input.field} variant for "${set.topic}" performs best (generated by ${set.generator.label}).`,
    variations: arms.map((v) => ({ id: v.id, name: v.text.slice(0, 500), weight })),
    purpose: input.purpose,
    goalMetrics: input.goalMetrics,
    status: input.status,
  });
  if (!parsed.success)
    throw new ValidationError('The experiment is not valid.', problemsFromIssues(parsed.error.issues));
  const experiment = await createExperiment(database.db, parsed.data, actor, now);
  await database.sql`update content_creatives set experiment_key = ${experiment.key} where id = ${id}::uuid`;
  await keepAggregates(database.sql, experiment);
  return experiment;
}
