// A whole fit: the data's design, the model's density on tfjs, NUTS over batched chains, the
// diagnostics, and the outputs with intervals. The reported answer is always the full posterior.
import { tf } from './tf.js';
import type { MmmData } from './data.js';
import { buildDesign, type Design } from './design.js';
import { createMmmModel, lognormalOf, logRoiPriors } from './model.js';
import { pushForward } from './posterior.js';
import { summarizeOutputs, type MmmOutputs } from './outputs.js';
import type { ResponseModel } from './response.js';
import { nutsSteps, runSteps, runStepsAsync, type SampleProgress } from './sample.js';
import { DEFAULT_OPTIONS, type ModelOptions } from './spec.js';
import { diagnose, type Diagnostics } from './summary.js';
import { fromTensorDensity } from './tensor-density.js';
import { curvatureVariances, findMap } from './map.js';
import { samplerSpace, type Coordinates } from './reparam.js';
import { createRandom } from './random.js';
import { createFusedDensity, fusedSupports } from './fused.js';

export type SamplingOptions = {
  chains: number;
  draws: number;
  warmup: number;
  seed: number;
  targetAccept?: number;
  maxTreeDepth?: number;
  /**
   * How NUTS gets its gradients: `fused` (default where the model allows: one hand-derived Float64
   * pass, fused.ts) or `tfjs` (autodiff on the tfjs backend). The MAP start and the outputs use tfjs.
   */
  gradient?: 'fused' | 'tfjs';
  /** The changes of variables NUTS samples in (reparam.ts); the model and its outputs are the same. */
  coordinates?: Coordinates;
};

export type MmmFit = {
  outputs: MmmOutputs;
  diagnostics: Diagnostics & { seconds: number; backend: string; gradientsPerSecond: number };
  response: ResponseModel;
  /** Mean weekly spend per channel over the fitted periods (the "today" of response curves). */
  currentSpend: number[];
  options: ModelOptions;
  sampling: SamplingOptions;
  design: Pick<Design, 'kpiScale' | 'spendScale' | 'fitted' | 'periods'>;
};

/** Draws kept in the response model (thinned evenly) so saved models stay small. */
const RESPONSE_DRAWS = 1000;

export const DEFAULT_COORDINATES: Coordinates = { roiScale: true, hillLogit: true, patternByRoi: true };

export function fitMmm(
  data: MmmData,
  options: Partial<ModelOptions>,
  sampling: SamplingOptions,
  onProgress?: (p: SampleProgress) => void,
  interval = 0.9,
): MmmFit {
  return runSteps(fitSteps(data, options, sampling, interval), onProgress);
}

/** The same fit, yielding to the event loop at every progress tick (jobs, the API process). */
export async function fitMmmAsync(
  data: MmmData,
  options: Partial<ModelOptions>,
  sampling: SamplingOptions,
  onProgress?: (p: SampleProgress) => void,
  interval = 0.9,
  pause: () => Promise<void> = () => new Promise((resolve) => setImmediate(resolve)),
): Promise<MmmFit> {
  return runStepsAsync(fitSteps(data, options, sampling, interval), onProgress, pause);
}

function* fitSteps(
  data: MmmData,
  options: Partial<ModelOptions>,
  sampling: SamplingOptions,
  interval: number,
): Generator<SampleProgress, MmmFit> {
  const opts: ModelOptions = { ...DEFAULT_OPTIONS, ...options };
  const design = buildDesign(data, opts);
  const model = createMmmModel(design, opts, data.channels);
  try {
    const { layout } = model;
    const start = performance.now();
    let gradients = 0;
    const useFused = (sampling.gradient ?? 'fused') === 'fused' && fusedSupports(opts);
    const tensorDensity = useFused
      ? createFusedDensity(design, opts, data.channels)
      : fromTensorDensity(model.logDensity, layout.dim);
    // Chains start from MAP searches begun at jittered prior centres, so warm-up starts in the bulk.
    const jitter = createRandom(sampling.seed, 1000);
    const centre = initialPoint(opts, data.channels, layout);
    const starts = findMap(
      model.logDensity,
      Array.from({ length: sampling.chains }, () => centre.map((v) => v + 0.6 * (jitter.uniform() - 0.5))),
    ).map((q) => q.map((v) => v + 0.1 * (jitter.uniform() - 0.5)));
    const space = samplerSpace(
      tensorDensity,
      layout,
      opts,
      logRoiPriors(design, opts.priors, data.channels).map((r) => r.mu),
      sampling.coordinates ?? DEFAULT_COORDINATES,
      starts,
    );
    const density = space.density;
    const zStarts = starts.map(space.toSampled);
    const sampled = yield* nutsSteps(
      (q, k) => {
        gradients += k;
        return density(q, k);
      },
      {
        dim: layout.dim,
        ...sampling,
        init: (chain) => zStarts[chain]!,
        metric: 'dense',
        initialInvMass: curvatureVariances(density, zStarts),
        progressEvery: 10,
      },
    );
    // Everything downstream (diagnostics included) reads the model's own coordinates.
    const samples = {
      ...sampled,
      chains: sampled.chains.map((c) => ({ ...c, draws: c.draws.map(space.toNatural) })),
    };
    const seconds = (performance.now() - start) / 1000;
    const post = pushForward(model, design, samples);
    const outputs = summarizeOutputs(data, design, opts, post, interval, sampling.seed);
    const step = Math.max(1, Math.floor(post.n / RESPONSE_DRAWS));
    return {
      outputs,
      diagnostics: {
        ...diagnose(samples),
        seconds,
        backend: useFused ? `fused (outputs on ${tf.getBackend()})` : tf.getBackend(),
        gradientsPerSecond: gradients / seconds,
      },
      response: {
        saturation: opts.saturation,
        channels: data.channels,
        spendScale: design.spendScale,
        draws: post.channels.filter((_, i) => i % step === 0),
      },
      currentSpend: design.spendTotal.map((s) => s / design.fitted),
      options: opts,
      sampling,
      design: {
        kpiScale: design.kpiScale,
        spendScale: design.spendScale,
        fitted: design.fitted,
        periods: design.periods,
      },
    };
  } finally {
    model.dispose();
  }
}

/** The priors' centre in the unconstrained space (a chain starts near it, jittered). */
function initialPoint(
  opts: ModelOptions,
  channels: string[],
  layout: ReturnType<typeof createMmmModel>['layout'],
) {
  const q = new Float64Array(layout.dim);
  q[0] = 1; // the mean expected KPI over the fitted periods, scaled (the data's mean is 1)
  channels.forEach((name, c) => {
    const at = layout.channel.start + c * layout.channel.perChannel;
    const roi = opts.priors.roi[name];
    q[at] = roi ? lognormalOf(roi).mu : 0; // log ROI
    if (opts.adstock === 'weibull') {
      q[at + 1] = Math.log(opts.priors.weibullShape.mean);
      q[at + 2] = Math.log(opts.priors.weibullScale.mean);
    } else q[at + 1] = Math.log(0.3 / 0.7);
  });
  q[layout.logNoise] = Math.log(0.1);
  return q;
}
