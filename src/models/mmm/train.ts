// A fit over a stored data set, recorded in the model registry (kind `mmm`): the job `mmm.fit`, the
// refresh (`model.refresh` kind mmm) and `attune mmm fit --dataset` all come here. The artefact is
// the saved model (response draws for the optimizer) plus the contributions over time for the
// report; the metrics are the diagnostics and the fit quality; the gate (gate.ts) decides promotion.
import type { Database } from '../../platform/db/client.js';
import { ValidationError } from '../../platform/errors.js';
import { initRuntime } from '../../ml/runtime/index.js';
import { getVersion, recordVersion, listVersions, type ModelVersion } from '../registry/index.js';
import { checkSeries } from './data.js';
import { fitMmmAsync, type MmmFit } from './fit.js';
import type { SampleProgress } from './sample.js';
import { decideMmmPromotion } from './gate.js';
import { toSavedModel, type SavedModel } from './result.js';
import { DEFAULT_OPTIONS, DEFAULT_PRIORS, minimumRows, type ModelOptions } from './spec.js';
import { loadDataset } from './store.js';
import { FitRequestSchema, type FitRequest } from './schemas.js';

export const KIND = 'mmm';

export type StoredFit = SavedModel & {
  dataset: string;
  timeline: MmmFit['outputs']['timeline'];
};

export type FitOutcome = {
  version: number;
  promoted: boolean;
  reason: string;
  metrics: Record<string, unknown>;
  warnings: string[];
};

export async function fitDataset(
  database: Database,
  request: FitRequest,
  context: {
    actor: string;
    onProgress?: (fraction: number, note: string) => Promise<void> | void;
    /** Per-chain sampler progress (the CLI prints it). */
    onSample?: (p: SampleProgress) => void;
  },
): Promise<FitOutcome> {
  const data = await loadDataset(database, request.dataset);
  const unknown = Object.keys(request.roiPriors).filter((c) => !data.channels.includes(c));
  if (unknown.length)
    throw new ValidationError('An ROI prior names a channel the data set does not have.', [
      { path: 'roiPriors', message: `${unknown.join(', ')} not among ${data.channels.join(', ')}` },
    ]);
  const options: ModelOptions = {
    ...DEFAULT_OPTIONS,
    adstock: request.adstock,
    saturation: request.saturation,
    maxLag: request.maxLag,
    holdout: request.holdout,
    priors: { ...DEFAULT_PRIORS, roi: request.roiPriors },
  };
  checkSeries(data, minimumRows(options, data.channels.length, data.controlNames.length));
  const runtime = await initRuntime();
  const sampling = {
    chains: request.chains,
    draws: request.draws,
    warmup: request.warmup,
    seed: request.seed,
    targetAccept: request.targetAccept,
  };
  await context.onProgress?.(
    0.05,
    `sampling ${sampling.chains} chains × ${sampling.draws} draws (+${sampling.warmup} warm-up) on ${data.dates.length} periods`,
  );
  const started = Date.now();
  // Yields to the event loop between progress ticks: the job's progress is written as it samples.
  const fit = await fitMmmAsync(
    data,
    options,
    sampling,
    (p) => {
      context.onSample?.(p);
      // About twenty progress records per fit; a failed progress write never fails the fit.
      if (p.iteration % Math.max(10, Math.round(p.total / 200) * 10) === 0 || p.iteration === p.total)
        Promise.resolve(
          context.onProgress?.(
            0.05 + (0.85 * p.iteration) / p.total,
            `${p.phase} ${p.iteration}/${p.total}; divergences per chain ${p.chains.map((c) => c.divergences).join('/')}`,
          ),
        ).catch(() => undefined);
    },
    request.interval,
  );
  const saved = toSavedModel(fit, request.interval);
  const d = fit.diagnostics;
  const decision = decideMmmPromotion({ ...d, chains: sampling.chains });
  const metrics = {
    rhatMax: d.rhatMax,
    essBulkMin: d.essBulkMin,
    essTailMin: d.essTailMin,
    divergences: d.divergences,
    treeDepthMax: d.treeDepthMax,
    seconds: d.seconds,
    r2: fit.outputs.fit.r2,
    mape: fit.outputs.fit.mape,
    nrmse: fit.outputs.fit.nrmse,
    holdout: fit.outputs.fit.holdout,
    ppcCoverage: fit.outputs.fit.ppcCoverage,
    diagnosticsPassed: decision.promote,
    warnings: d.warnings,
  };
  await context.onProgress?.(0.95, 'recording the version');
  const artifact: StoredFit = { ...saved, dataset: request.dataset, timeline: fit.outputs.timeline };
  const registered = await recordVersion(database, {
    kind: KIND,
    algorithm: `nuts ${options.adstock} adstock, ${options.saturation} saturation`,
    reason: decision.reason,
    promote: decision.promote,
    dataWindow: {
      dataset: request.dataset,
      from: data.dates[0],
      to: data.dates.at(-1),
      periods: data.dates.length,
      periodDays: data.periodDays,
    },
    features: { names: [...data.channels, ...data.controlNames], setVersion: 0 },
    params: { ...request },
    metrics,
    runtime: { backend: runtime.backend, device: runtime.device, threads: runtime.threads },
    durationMs: Date.now() - started,
    artifact: artifact,
    trainedBy: context.actor,
  });
  return {
    version: registered.version,
    promoted: decision.promote,
    reason: decision.reason,
    metrics,
    warnings: d.warnings,
  };
}

/** The stored fit of one registry version (its artefact), or a clear error when it is not an MMM. */
export async function loadFit(
  database: Database,
  version: number,
): Promise<ModelVersion & { fit: StoredFit }> {
  const v = await getVersion(database, KIND, version);
  const [row] = await database.sql<{ artifact: StoredFit }[]>`
    select artifact from model_versions where kind = ${KIND} and version = ${version}`;
  return { ...v, fit: row!.artifact };
}

/** The champion's version number, or null when no MMM serves. */
export async function championVersion(database: Database): Promise<number | null> {
  const [row] = await database.sql<{ version: number }[]>`
    select version from model_versions where kind = ${KIND} and status = 'champion'`;
  return row?.version ?? null;
}

/** The settings a refresh reuses: those of the newest MMM version (so analysts fit once, then schedule). */
export async function latestRequest(database: Database): Promise<FitRequest | null> {
  const [newest] = await listVersions(database, KIND);
  // Parsed again so settings added since that version take their defaults.
  return newest ? FitRequestSchema.parse(newest.params) : null;
}
