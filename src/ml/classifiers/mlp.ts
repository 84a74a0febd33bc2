// A small multilayer perceptron (tfjs layers): one or two ReLU layers, a sigmoid output, Adam on
// weighted cross-entropy, early stopping on a held-back slice of the training rows. Seeded weight
// initialisation and a seeded shuffle make a fit repeatable on the same backend.
import { initRuntime, tf } from '../runtime/index.js';
import { seededRandom } from '../metrics/bootstrap.js';
import type { Artifact, Classifier, FitOptions, Matrix } from './types.js';

export type MlpOptions = {
  hidden?: number[];
  epochs?: number;
  /** Rows per step; 'auto' grows it with the table (see autoBatch) so large tables take fewer, cheaper steps. */
  batchSize?: number | 'auto';
  learningRate?: number;
  l2?: number;
  /** Epochs without improvement on the held-back slice before stopping. */
  patience?: number;
  validationShare?: number;
};

/** Rows scored per device call. */
const PREDICT_CHUNK = 65536;

type Weights = { specs: tf.io.WeightsManifestEntry[]; data: string; topology: unknown };

/**
 * A step costs tfjs about the same fixed dispatch time whatever its rows at this network size, so
 * 'auto' keeps about 100 steps per epoch on large tables (256 rows at least, 4,096 at most) and
 * raises Adam's rate with the square root of the batch, the usual rule for keeping the noise of a
 * step comparable.
 */
export function stepSettings(
  options: { batchSize: number | 'auto'; learningRate: number },
  rows: number,
): { batchSize: number; learningRate: number } {
  if (options.batchSize !== 'auto')
    return { batchSize: options.batchSize, learningRate: options.learningRate };
  const batchSize = Math.min(4096, Math.max(256, 2 ** Math.round(Math.log2(rows / 100))));
  return { batchSize, learningRate: options.learningRate * Math.sqrt(batchSize / 256) };
}

/** The rows as one Float32Array: tfjs flattens nested arrays far more slowly than this loop. */
function flatRows(X: Matrix, rows: readonly number[], d: number): Float32Array {
  const out = new Float32Array(rows.length * d);
  rows.forEach((i, k) => {
    const row = X[i]!;
    for (let j = 0; j < d; j++) out[k * d + j] = row[j]!;
  });
  return out;
}

export class Mlp implements Classifier {
  readonly kind = 'mlp' as const;
  model: tf.LayersModel | null = null;
  epochsRun = 0;
  readonly options: Required<MlpOptions>;

  constructor(options: MlpOptions = {}) {
    this.options = {
      hidden: options.hidden ?? [32, 16],
      epochs: options.epochs ?? 60,
      batchSize: options.batchSize ?? 'auto',
      learningRate: options.learningRate ?? 0.003,
      l2: options.l2 ?? 1e-4,
      patience: options.patience ?? 6,
      validationShare: options.validationShare ?? 0.15,
    };
  }

  private build(inputs: number, seed: number): tf.Sequential {
    const m = tf.sequential();
    this.options.hidden.forEach((units, i) =>
      m.add(
        tf.layers.dense({
          units,
          activation: 'relu',
          kernelInitializer: tf.initializers.heNormal({ seed: seed + i }),
          ...(i === 0 ? { inputShape: [inputs] } : {}),
        }),
      ),
    );
    m.add(
      tf.layers.dense({
        units: 1,
        activation: 'sigmoid',
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 99 }),
      }),
    );
    return m;
  }

  async fit(X: Matrix, y: readonly number[], options: FitOptions = {}): Promise<void> {
    await initRuntime(); // a no-op once a backend is chosen; picks one if nothing has yet
    const seed = options.seed ?? 7;
    const rand = seededRandom(seed);
    const order = Array.from(X, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const nVal = Math.max(1, Math.floor(order.length * this.options.validationShare));
    const fitRows = order.slice(nVal);
    const valRows = order.slice(0, nVal);
    const d = X[0]?.length ?? 0;
    const pw = options.positiveWeight ?? 1;
    // The training rows stay in JavaScript and each step uploads only its batch: slicing a batch
    // out of one device tensor reads the whole tensor back on wasm (its slice kernel copies the
    // tensor's heap bytes), which made an epoch quadratic in the rows.
    const n = fitRows.length;
    const xs = flatRows(X, fitRows, d);
    const ys = Float32Array.from(fitRows, (i) => y[i]!);
    const ws = Float32Array.from(fitRows, (i) => (y[i] === 1 ? pw : 1));
    const val = {
      x: tf.tensor2d(flatRows(X, valRows, d), [valRows.length, d]),
      y: tf.tensor2d(
        Float32Array.from(valRows, (i) => y[i]!),
        [valRows.length, 1],
      ),
      w: tf.tensor2d(
        Float32Array.from(valRows, (i) => (y[i] === 1 ? pw : 1)),
        [valRows.length, 1],
      ),
    };
    this.model?.dispose();
    const model = this.build(d, seed);
    let best = Number.POSITIVE_INFINITY;
    let bestWeights: tf.Tensor[] | null = null;
    let stale = 0;
    let optimizer: tf.Optimizer | null = null;
    try {
      // tfjs-layers' fit() has no sample weights, so the loop is written out: weighted
      // cross-entropy plus the L2 penalty on kernels, minimised by Adam over the layer variables.
      const { batchSize, learningRate } = stepSettings(this.options, n);
      optimizer = tf.train.adam(learningRate);
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const kernels = vars.filter((v) => v.shape.length === 2);
      for (let epoch = 0; epoch < this.options.epochs; epoch++) {
        for (let from = 0; from < n; from += batchSize) {
          const size = Math.min(batchSize, n - from);
          const xb = tf.tensor2d(xs.subarray(from * d, (from + size) * d), [size, d]);
          const yb = tf.tensor2d(ys.subarray(from, from + size), [size, 1]);
          const wb = tf.tensor2d(ws.subarray(from, from + size), [size, 1]);
          const cost = optimizer.minimize(
            () => {
              const p = model.apply(xb, { training: true }) as tf.Tensor;
              const data = tf.losses.logLoss(yb, p, wb, undefined, tf.Reduction.SUM_BY_NONZERO_WEIGHTS);
              const penalty = kernels.reduce<tf.Scalar>(
                (acc, k) => acc.add(tf.sum(tf.square(k))),
                tf.scalar(0),
              );
              return data.add(penalty.mul(this.options.l2));
            },
            false,
            vars,
          );
          cost?.dispose();
          tf.dispose([xb, yb, wb]);
        }
        this.epochsRun = epoch + 1;
        const loss = tf.tidy(() => {
          const p = model.predictOnBatch(val.x) as tf.Tensor;
          return tf.losses.logLoss(val.y, p, val.w, undefined, tf.Reduction.SUM_BY_NONZERO_WEIGHTS);
        });
        const v = (await loss.data())[0]!;
        loss.dispose();
        options.onProgress?.((epoch + 1) / this.options.epochs);
        if (v < best - 1e-5) {
          best = v;
          stale = 0;
          bestWeights?.forEach((t) => t.dispose());
          bestWeights = model.getWeights().map((w) => w.clone());
        } else if (++stale >= this.options.patience) break;
      }
      if (bestWeights) model.setWeights(bestWeights);
    } finally {
      bestWeights?.forEach((t) => t.dispose());
      optimizer?.dispose(); // Adam's moment estimates are variables of their own
      tf.dispose([val.x, val.y, val.w]);
    }
    this.model = model;
  }

  async predict(X: Matrix): Promise<Float64Array> {
    if (!this.model) throw new Error('the MLP is not fitted');
    const model = this.model;
    const d = X[0]?.length ?? 0;
    const out = new Float64Array(X.length);
    // Chunks uploaded from JavaScript, each run as one batch: model.predict's default batches of 32
    // slice the input tensor, and on wasm every slice reads the whole tensor back (quadratic in rows).
    for (let from = 0; from < X.length; from += PREDICT_CHUNK) {
      const rows = Array.from({ length: Math.min(PREDICT_CHUNK, X.length - from) }, (_, k) => from + k);
      const p = tf.tidy(
        () => model.predictOnBatch(tf.tensor2d(flatRows(X, rows, d), [rows.length, d])) as tf.Tensor,
      );
      out.set(await p.data(), from);
      p.dispose();
    }
    return out;
  }

  async save(): Promise<Artifact> {
    if (!this.model) throw new Error('the MLP is not fitted');
    let saved: Weights | null = null;
    await this.model.save(
      tf.io.withSaveHandler((a) => {
        saved = {
          specs: a.weightSpecs ?? [],
          data: Buffer.from(a.weightData as ArrayBuffer).toString('base64'),
          topology: a.modelTopology,
        };
        return Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } });
      }),
    );
    return {
      kind: this.kind,
      format: 1,
      body: { options: this.options, epochsRun: this.epochsRun, weights: saved },
    };
  }

  static async load(artifact: Artifact): Promise<Mlp> {
    const body = artifact.body as { options: MlpOptions; epochsRun: number; weights: Weights };
    await initRuntime();
    const m = new Mlp(body.options);
    const bytes = Buffer.from(body.weights.data, 'base64');
    m.model = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: body.weights.topology as object,
        weightSpecs: body.weights.specs,
        weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      }),
    );
    m.epochsRun = body.epochsRun;
    return m;
  }

  describe(): Record<string, unknown> {
    return {
      hidden: this.options.hidden,
      epochsRun: this.epochsRun,
      learningRate: this.options.learningRate,
      l2: this.options.l2,
    };
  }

  dispose(): void {
    this.model?.dispose();
    this.model = null;
  }
}
