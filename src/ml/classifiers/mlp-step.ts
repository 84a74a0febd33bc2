// The MLP's training step written out: the forward pass and the gradient of the weighted
// cross-entropy on the device, the L2 penalty and Adam in JavaScript on all parameters packed in one
// flat vector. On wasm a step at this network size costs per tfjs call, not per flop, and while
// V8 has not yet optimised tfjs's own JavaScript (most of a first fit in a process: those
// functions run a few hundred times a fit, too few for it to optimise them early) a call costs about
// three times as much. So a step issues as few calls as it can: the parameters go up as the layers'
// kernels and biases (and the kernels transposed, for the way back), each layer's kernel and bias
// gradient is one product (its input with a row of ones below), the three gradients come back in
// three reads, and Adam, the penalty and the moving average run on the 2,000-odd numbers here:
// about 18 kernel calls a step, where tfjs's tape and a per-variable Adam issue about 210 and the
// step done all on the device about 60. The packing follows tfjs-layers' weight order (kernel,
// bias per dense layer), so the result loads into the layers model unchanged; a test checks the
// gradient against tfjs's automatic one and the steps against tf.train.adam. Beside the
// parameters it keeps their exponential moving average over the steps (Polyak averaging), which
// the trainer checks and keeps: on weak-signal tables the last step's parameters move the test AUC
// by ±0.02 from one pass to the next, their average by a few thousandths.
import { tf } from '../runtime/index.js';

export type AdamSettings = {
  learningRate: number;
  l2: number;
  /** Decay of the parameters' moving average (0 keeps no average); see `average`. */
  averageDecay?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
};

/** [rows, columns] of each dense layer's kernel; its bias has `columns` entries. */
type Layer = { inputs: number; units: number; offset: number };

/** A layer's parameters on the device: kernel [inputs, units], bias [units], the kernel transposed (the way back). */
type DeviceLayer = { kernel: tf.Tensor2D; bias: tf.Tensor1D; kernelT?: tf.Tensor2D };

/** A rows × columns row-major matrix transposed. */
function transpose(m: Float32Array, rows: number, columns: number): Float32Array {
  const t = new Float32Array(rows * columns);
  for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) t[c * rows + r] = m[r * columns + c]!;
  return t;
}

/** Adam's update of theta, its moments and its moving average, from a gradient. */
function adamUpdate(
  p: { theta: Float32Array; m: Float32Array; v: Float32Array; average: Float32Array },
  grad: Float32Array,
  c: { beta1: number; beta2: number; epsilon: number; mScale: number; vScale: number; b: number },
): void {
  const { theta, m, v, average } = p;
  const { beta1, beta2, epsilon, mScale, vScale, b } = c;
  for (let k = 0; k < theta.length; k++) {
    const g = grad[k]!;
    const mk = beta1 * m[k]! + (1 - beta1) * g;
    const vk = beta2 * v[k]! + (1 - beta2) * g * g;
    m[k] = mk;
    v[k] = vk;
    const t = theta[k]! - (mk * mScale) / (Math.sqrt(vk * vScale) + epsilon);
    theta[k] = t;
    average[k] = b > 0 ? b * average[k]! + (1 - b) * theta[k]! : theta[k]!;
  }
}

export class PackedMlp {
  readonly layers: Layer[];
  readonly size: number;
  /** The parameters, the layers in order, each as kernel (row-major) then bias. */
  readonly theta: Float32Array;
  /**
   * The moving average of theta after each step, avg ← b·avg + (1−b)·theta with
   * b = min(decay, (1+t)/(10+t)) at step t (TensorFlow's ExponentialMovingAverage with a step
   * count: the first steps are not averaged against the random start). Theta itself if no decay.
   */
  readonly average: Float32Array;
  readonly m: Float32Array;
  readonly v: Float32Array;
  private readonly grad: Float32Array;
  private readonly adam: Required<AdamSettings>;
  private t = 0;

  /** `weights`: a layers model's getWeights() (kernel [inputs, units], bias [units], per layer). */
  constructor(weights: tf.Tensor[], settings: AdamSettings) {
    this.adam = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7, averageDecay: 0, ...settings };
    const layers: Layer[] = [];
    let offset = 0;
    for (let i = 0; i < weights.length; i += 2) {
      const [inputs, units] = weights[i]!.shape as [number, number];
      layers.push({ inputs, units, offset });
      offset += inputs * units + units;
    }
    this.layers = layers;
    this.size = offset;
    this.theta = new Float32Array(offset);
    let at = 0;
    for (const w of weights) {
      const values = w.dataSync();
      this.theta.set(values, at);
      at += values.length;
    }
    this.average = this.theta.slice();
    this.m = new Float32Array(offset);
    this.v = new Float32Array(offset);
    this.grad = new Float32Array(offset);
  }

  get l2(): number {
    return this.adam.l2;
  }

  /** A new penalty for the steps from now on (the moments and the average carry on). */
  set l2(l2: number) {
    this.adam.l2 = l2;
  }

  private readonly onesRows = new Map<number, tf.Tensor2D>();

  /** A 1×n row of ones (kept per batch size). */
  private ones(n: number): tf.Tensor2D {
    const kept = this.onesRows.get(n);
    if (kept) return kept;
    const row = tf.keep(tf.ones<tf.Rank.R2>([1, n]));
    this.onesRows.set(n, row);
    return row;
  }

  /** Each layer's parameters uploaded from `theta` (inside a tidy); the transposed kernels only `forGradient`. */
  private upload(theta: Float32Array, forGradient: boolean): DeviceLayer[] {
    return this.layers.map(({ inputs, units, offset }, i) => {
      const k = theta.subarray(offset, offset + inputs * units);
      const b = theta.subarray(offset + inputs * units, offset + inputs * units + units);
      const layer: DeviceLayer = { kernel: tf.tensor2d(k, [inputs, units]), bias: tf.tensor1d(b) };
      // The way back does not go past the first layer.
      if (forGradient && i > 0) layer.kernelT = tf.tensor2d(transpose(k, inputs, units), [units, inputs]);
      return layer;
    });
  }

  /** The last layer's output (sigmoid or logit, n×1) and each layer's input (the rows, then each ReLU output). */
  private forward(x: tf.Tensor2D, params: DeviceLayer[], last: 'sigmoid' | 'linear') {
    const inputs: tf.Tensor2D[] = [];
    let a = x;
    params.forEach(({ kernel, bias }, i) => {
      inputs.push(a);
      const activation = i === params.length - 1 ? last : 'relu';
      a = tf.fused.matMul({ a, b: kernel, bias, activation }) as tf.Tensor2D;
    });
    return { out: a, inputs };
  }

  /**
   * The gradient of Σ wᵢ·ℓᵢ + l2·Σ kernel² (ℓ the cross-entropy of the logit; `w` already holds
   * each row's weight divided by the batch's rows, so the data term is the weighted mean), at theta.
   * `xT`: the rows transposed with a row of ones below, (d + 1) × n (made from `x` when not given).
   * The returned array is reused by the next call.
   *
   * Each layer's kernel and bias gradient is one product, [aᵀ; 1]·g (a the layer's input, g the
   * gradient at its output), in the packing's order. wasm's products with a transposed operand
   * fall back to a plain loop (ten times slower here), so the inputs are transposed first; the
   * rows' transpose comes from the caller, made while the batch is assembled.
   */
  gradient(x: tf.Tensor2D, y: tf.Tensor2D, w: tf.Tensor2D, xT?: tf.Tensor2D): Float32Array {
    const n = x.shape[0];
    const parts = tf.tidy(() => {
      const params = this.upload(this.theta, true);
      const { out, inputs } = this.forward(x, params, 'sigmoid');
      const inputsT = inputs.map((a, i) =>
        i === 0 && xT ? xT : tf.concat([a.transpose(), this.ones(n)], 0),
      );
      // d/dz of the cross-entropy of σ(z) against y is σ(z) − y.
      let g: tf.Tensor2D = out.sub(y).mul(w);
      const grads: tf.Tensor2D[] = [];
      for (let i = params.length - 1; i >= 0; i--) {
        grads[i] = tf.matMul(inputsT[i]!, g);
        // Through the layer's input: back along the kernel and through the ReLU that made it.
        if (i > 0) g = tf.matMul(g, params[i]!.kernelT!).mul(tf.step(inputs[i]!));
      }
      return grads;
    });
    const grad = this.grad;
    for (const [i, part] of parts.entries()) grad.set(part.dataSync(), this.layers[i]!.offset);
    tf.dispose(parts);
    // The penalty's gradient, 2·l2·kernel, on kernel entries only (biases are free).
    const twoL2 = 2 * this.adam.l2;
    for (const { inputs, units, offset } of this.layers)
      for (let k = offset; k < offset + inputs * units; k++) grad[k]! += twoL2 * this.theta[k]!;
    return grad;
  }

  /** One Adam step on a batch (as tfjs's Adam: bias-corrected moments, epsilon added to the root). */
  step(x: tf.Tensor2D, y: tf.Tensor2D, w: tf.Tensor2D, xT?: tf.Tensor2D): void {
    const grad = this.gradient(x, y, w, xT);
    this.t += 1;
    const { learningRate, beta1, beta2, epsilon, averageDecay } = this.adam;
    const mScale = learningRate / (1 - beta1 ** this.t);
    const vScale = 1 / (1 - beta2 ** this.t);
    const b = Math.min(averageDecay, (1 + this.t) / (10 + this.t));
    adamUpdate(this, grad, { beta1, beta2, epsilon, mScale, vScale, b });
  }

  /** Σ wᵢ·ℓᵢ / n over the rows (the weighted mean cross-entropy, no penalty), as a scalar tensor. */
  loss(x: tf.Tensor2D, y: tf.Tensor2D, w: tf.Tensor2D, theta: Float32Array = this.theta): tf.Scalar {
    return tf.tidy(() => {
      const { out: logits } = this.forward(x, this.upload(theta, false), 'linear');
      // −log σ(±z), the sign from the label: the cross-entropy without forming σ(z).
      const signed = logits.mul(y.mul(2).sub(1));
      return tf.logSigmoid(signed).neg().mul(w).sum().div<tf.Scalar>(x.shape[0]);
    });
  }

  /** The parameters as the layers model's weights (kernel, bias, … in order). */
  weights(theta: Float32Array = this.theta): tf.Tensor[] {
    return this.layers.flatMap(({ inputs, units, offset }) => [
      tf.tensor2d(theta.slice(offset, offset + inputs * units), [inputs, units]),
      tf.tensor1d(theta.slice(offset + inputs * units, offset + inputs * units + units)),
    ]);
  }

  dispose(): void {
    tf.dispose([...this.onesRows.values()]);
    this.onesRows.clear();
  }
}
