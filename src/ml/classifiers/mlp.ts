// A small multilayer perceptron (tfjs layers): one or two ReLU layers, a sigmoid output, Adam on
// weighted cross-entropy with an L2 penalty (the step written out in mlp-step.ts), the rows in a
// fresh order each pass. The parameters' moving average is what is checked on a held-back slice of
// the training rows and kept; the penalty walks a short path, strongest first, with early stopping
// at each strength (penalty-path.ts). Seeded weight initialisation and seeded shuffles make a fit
// repeatable on the same backend.
import { initRuntime, tf } from '../runtime/index.js';
import { seededRandom } from '../metrics/bootstrap.js';
import { PackedMlp } from './mlp-step.js';
import { PenaltyPath } from './penalty-path.js';
import type { Artifact, Classifier, FitOptions, Matrix } from './types.js';

export type MlpOptions = {
  hidden?: number[];
  /** Rounds at most; a round is a pass over the rows, or ROUND_ROWS rows of one on large tables. */
  epochs?: number;
  /** Rows per step; 'auto' grows it with the table (see autoBatch) so large tables take fewer, cheaper steps. */
  batchSize?: number | 'auto';
  learningRate?: number;
  /**
   * The L2 penalty on the kernels (per row: the data term is a mean): one strength, or a path of
   * strengths, strongest first, walked with early stopping (see penalty-path.ts).
   */
  l2?: number | number[];
  /** Decay of the parameters' moving average, which is what is checked and kept (0: the last step's). */
  averageDecay?: number;
  /** Rounds without improvement on the held-back slice before a penalty is done (see penalty-path.ts). */
  patience?: number;
  /**
   * How much the held-back loss must fall (relative) to count as an improvement. The loss is that
   * of the averaged parameters, which moves smoothly, so a small patience and a 0.1% step suffice.
   */
  tolerance?: number;
  validationShare?: number;
};

/**
 * The default penalty path, a decade apart: 0.01 suits weak-signal tables (the demo world's
 * features), 0.001 strong ones (the synthetic tables, where 0.01 costs 0.02 AUC at 100k rows and
 * 0.001 matches 1e-4). Each step down costs at least `patience` rounds, so the path is short.
 */
export const DEFAULT_PENALTIES = [0.01, 0.001];

/** Rows per round between checks on the held-back slice, at most (a pass on smaller tables). */
const ROUND_ROWS = 262_144;

/** Rows scored per device call. */
const PREDICT_CHUNK = 65536;

type Weights = { specs: tf.io.WeightsManifestEntry[]; data: string; topology: unknown };

/**
 * 'auto' keeps about 50 steps per pass on large tables (512 rows at least, 4,096 at most) and
 * raises Adam's rate with the square root of the batch, the usual rule for keeping the noise of a
 * step comparable. On wasm a step of up to ~1,000 rows costs mostly dispatch (about 60 kernel
 * calls) and a larger one mostly arithmetic, so fewer, larger steps are cheaper up to that point.
 */
export function stepSettings(
  options: { batchSize: number | 'auto'; learningRate: number },
  rows: number,
): { batchSize: number; learningRate: number } {
  if (options.batchSize !== 'auto')
    return { batchSize: options.batchSize, learningRate: options.learningRate };
  const batchSize = Math.min(4096, Math.max(512, 2 ** Math.round(Math.log2(rows / 50))));
  return { batchSize, learningRate: options.learningRate * Math.sqrt(batchSize / 256) };
}

/** Fisher–Yates, in place. */
function shuffle(a: Uint32Array, rand: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
}

/** Rows from..to as one Float32Array: tfjs flattens nested arrays far more slowly than this loop. */
function flatRows(X: Matrix, from: number, to: number, d: number): Float32Array {
  const out = new Float32Array((to - from) * d);
  for (let i = from; i < to; i++) {
    const row = X[i]!;
    for (let j = 0; j < d; j++) out[(i - from) * d + j] = row[j]!;
  }
  return out;
}

/** The given rows of a flat table, in that order. */
function gatherRows(flat: Float32Array, rows: ArrayLike<number>, d: number): Float32Array {
  const out = new Float32Array(rows.length * d);
  for (let k = 0; k < rows.length; k++) {
    const at = rows[k]! * d;
    for (let j = 0; j < d; j++) out[k * d + j] = flat[at + j]!;
  }
  return out;
}

/** f(i) for each of the rows, as a Float32Array (a plain loop: Float32Array.from with a map is ~10× slower). */
function column(rows: ArrayLike<number>, f: (i: number) => number): Float32Array {
  const out = new Float32Array(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = f(rows[k]!);
  return out;
}

type Batch = { x: Float32Array; xT: Float32Array; y: Float32Array; w: Float32Array };

/**
 * The given rows of the flat table into the batch's buffers: the rows as they are, and transposed
 * with a row of ones below ((d + 1) × rows, for the first layer's gradient: a transpose on the
 * device costs more). Each row weighs 1/rows, pw/rows if positive.
 */
function fillBatch(
  batch: Batch,
  all: Float32Array,
  y: readonly number[],
  rows: Uint32Array,
  d: number,
  pw: number,
): void {
  const size = rows.length;
  const { x, xT } = batch;
  for (let k = 0; k < size; k++) {
    const i = rows[k]!;
    const from = i * d;
    for (let j = 0; j < d; j++) {
      const v = all[from + j]!;
      x[k * d + j] = v;
      xT[j * size + k] = v;
    }
    const label = y[i]!;
    batch.y[k] = label;
    // The data term of a step is the weighted mean over its rows.
    batch.w[k] = (label === 1 ? pw : 1) / size;
  }
  xT.fill(1, d * size, (d + 1) * size);
}

export class Mlp implements Classifier {
  readonly kind = 'mlp' as const;
  model: tf.LayersModel | null = null;
  epochsRun = 0;
  /** The penalty the kept weights were trained under (the last of the path's that set a new best). */
  l2Chosen = 0;
  readonly options: Required<MlpOptions>;

  constructor(options: MlpOptions = {}) {
    this.options = {
      hidden: options.hidden ?? [32, 16],
      epochs: options.epochs ?? 60,
      batchSize: options.batchSize ?? 'auto',
      learningRate: options.learningRate ?? 0.003,
      l2: options.l2 ?? DEFAULT_PENALTIES,
      averageDecay: options.averageDecay ?? 0.98,
      patience: options.patience ?? 2,
      tolerance: options.tolerance ?? 1e-3,
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
    const order = new Uint32Array(X.length);
    for (let i = 0; i < order.length; i++) order[i] = i;
    shuffle(order, rand);
    const nVal = Math.max(1, Math.floor(order.length * this.options.validationShare));
    const fitRows = order.subarray(nVal);
    const valRows = order.subarray(0, nVal);
    const d = X[0]?.length ?? 0;
    const pw = options.positiveWeight ?? 1;
    // The training rows stay in JavaScript and each step uploads only its batch: slicing a batch
    // out of one device tensor reads the whole tensor back on wasm (its slice kernel copies the
    // tensor's heap bytes), which made an epoch quadratic in the rows.
    const n = fitRows.length;
    // Flattened in the table's order and read from there by index: reading the nested rows in
    // shuffled order costs a cache miss or two a row (1M rows: 1.9 s against 0.27 s).
    const all = flatRows(X, 0, X.length, d);
    const { batchSize, learningRate } = stepSettings(this.options, n);
    const val = {
      x: tf.tensor2d(gatherRows(all, valRows, d), [valRows.length, d]),
      y: tf.tensor2d(
        column(valRows, (i) => y[i]!),
        [valRows.length, 1],
      ),
      w: tf.tensor2d(
        column(valRows, (i) => (y[i] === 1 ? pw : 1)),
        [valRows.length, 1],
      ),
    };
    this.model?.dispose();
    const model = this.build(d, seed);
    // tfjs-layers' fit() has no sample weights; the step is written out (see mlp-step.ts) on the
    // layers model's initial weights, and the best weights go back into the layers model.
    const penalties = typeof this.options.l2 === 'number' ? [this.options.l2] : this.options.l2;
    const packed = new PackedMlp(model.getWeights(), {
      learningRate,
      l2: penalties[0]!,
      averageDecay: this.options.averageDecay,
    });
    const batch: Batch = {
      x: new Float32Array(batchSize * d),
      xT: new Float32Array(batchSize * (d + 1)),
      y: new Float32Array(batchSize),
      w: new Float32Array(batchSize),
    };
    // The rows are drawn in a fresh order on every pass; a round (between checks on the held-back
    // slice) is a pass, or ROUND_ROWS rows of one on large tables.
    const perm = fitRows.slice(); // the training rows' indices, in the order of this pass
    let pos = 0;
    const roundRows = Math.min(n, ROUND_ROWS);
    let bestTheta: Float32Array | null = null;
    const path = new PenaltyPath(penalties, this.options.patience, this.options.tolerance);
    try {
      for (let epoch = 0; epoch < this.options.epochs; epoch++) {
        for (let done = 0; done < roundRows;) {
          if (pos === n) {
            shuffle(perm, rand);
            pos = 0;
          }
          const size = Math.min(batchSize, n - pos, roundRows - done);
          fillBatch(batch, all, y, perm.subarray(pos, pos + size), d, pw);
          const xb = tf.tensor2d(batch.x.subarray(0, size * d), [size, d]);
          const xTb = tf.tensor2d(batch.xT.subarray(0, size * (d + 1)), [d + 1, size]);
          const yb = tf.tensor2d(batch.y.subarray(0, size), [size, 1]);
          const wb = tf.tensor2d(batch.w.subarray(0, size), [size, 1]);
          packed.step(xb, yb, wb, xTb);
          tf.dispose([xb, xTb, yb, wb]);
          pos += size;
          done += size;
        }
        this.epochsRun = epoch + 1;
        const loss = packed.loss(val.x, val.y, val.w, packed.average);
        const v = (await loss.data())[0]!;
        loss.dispose();
        options.onProgress?.((epoch + 1) / this.options.epochs);
        const decision = path.check(v);
        if (decision === 'best') bestTheta = packed.average.slice();
        else if (decision === 'weaker') packed.l2 = path.penalty;
        else if (decision === 'stop') break;
      }
      this.l2Chosen = path.chosen;
      const weights = packed.weights(bestTheta ?? packed.average);
      model.setWeights(weights);
      tf.dispose(weights);
    } finally {
      packed.dispose();
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
      const to = Math.min(X.length, from + PREDICT_CHUNK);
      const p = tf.tidy(
        () => model.predictOnBatch(tf.tensor2d(flatRows(X, from, to, d), [to - from, d])) as tf.Tensor,
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
      body: { options: this.options, epochsRun: this.epochsRun, l2Chosen: this.l2Chosen, weights: saved },
    };
  }

  static async load(artifact: Artifact): Promise<Mlp> {
    const body = artifact.body as {
      options: MlpOptions;
      epochsRun: number;
      l2Chosen?: number;
      weights: Weights;
    };
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
    // Saved before the penalty path: one penalty, the one in the options.
    m.l2Chosen = body.l2Chosen ?? (typeof body.options.l2 === 'number' ? body.options.l2 : 0);
    return m;
  }

  describe(): Record<string, unknown> {
    return {
      hidden: this.options.hidden,
      epochsRun: this.epochsRun,
      learningRate: this.options.learningRate,
      l2: this.l2Chosen,
      l2Path: this.options.l2,
      averageDecay: this.options.averageDecay,
    };
  }

  dispose(): void {
    this.model?.dispose();
    this.model = null;
  }
}
