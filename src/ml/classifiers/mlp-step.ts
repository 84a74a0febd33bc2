// The MLP's training step written out: the forward pass, the gradient of the weighted
// cross-entropy and of the L2 penalty on the kernels by hand, and Adam on all parameters packed in
// one flat vector. On wasm a step at this network size costs per kernel call, not per flop: tfjs's
// tape and a per-variable Adam issue about 210 calls a step, this about 60. The packing follows
// tfjs-layers' weight order (kernel, bias per dense layer), so the result loads into the layers
// model unchanged; a test checks the gradient against tfjs's automatic one. Beside the parameters it
// keeps their exponential moving average over the steps (Polyak averaging), which the trainer
// checks and keeps: on weak-signal tables the last step's parameters move the test AUC by ±0.02
// from one pass to the next, their average by a few thousandths.
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

export class PackedMlp {
  readonly layers: Layer[];
  readonly size: number;
  /** The parameters, the layers in order, each as kernel (row-major) then bias. */
  readonly theta: tf.Variable<tf.Rank.R1>;
  /**
   * The moving average of theta after each step, avg ← b·avg + (1−b)·theta with
   * b = min(decay, (1+t)/(10+t)) at step t (TensorFlow's ExponentialMovingAverage with a step
   * count: the first steps are not averaged against the random start). Theta itself if no decay.
   */
  readonly average: tf.Variable<tf.Rank.R1>;
  private readonly m: tf.Variable<tf.Rank.R1>;
  private readonly v: tf.Variable<tf.Rank.R1>;
  /** 2·l2 on kernel entries and 0 on biases: the penalty's gradient is this times theta. */
  private penalty: tf.Tensor1D;
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
    this.penalty = this.penaltyGradient(this.adam.l2);
    const start = tf.tidy(() => tf.concat(weights.map((w) => w.reshape([-1])))) as tf.Tensor1D;
    const zeros = tf.zeros<tf.Rank.R1>([offset]);
    // A variable shares its initial tensor's data; the initial handles are let go at once.
    this.theta = tf.variable(start, true);
    this.average = tf.variable(start, false);
    this.m = tf.variable(zeros, false);
    this.v = tf.variable(zeros, false);
    tf.dispose([start, zeros]);
  }

  private penaltyGradient(l2: number): tf.Tensor1D {
    const mask = new Float32Array(this.size);
    for (const l of this.layers) mask.fill(2 * l2, l.offset, l.offset + l.inputs * l.units);
    return tf.tensor1d(mask);
  }

  get l2(): number {
    return this.adam.l2;
  }

  /** A new penalty for the steps from now on (the moments and the average carry on). */
  set l2(l2: number) {
    this.penalty.dispose();
    this.adam.l2 = l2;
    this.penalty = this.penaltyGradient(l2);
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

  /** Each layer's kernel and bias, cut from `theta`. */
  private unpack(theta: tf.Tensor1D): { kernel: tf.Tensor2D; bias: tf.Tensor1D }[] {
    return this.layers.map((l) => ({
      kernel: theta.slice(l.offset, l.inputs * l.units).reshape<tf.Tensor2D>([l.inputs, l.units]),
      bias: theta.slice(l.offset + l.inputs * l.units, l.units),
    }));
  }

  /** The logits (n×1) and each layer's input (the rows, then each hidden layer's ReLU output). */
  private forward(x: tf.Tensor2D, theta: tf.Tensor1D) {
    const params = this.unpack(theta);
    const inputs: tf.Tensor2D[] = [];
    let a = x;
    params.forEach(({ kernel, bias }, i) => {
      inputs.push(a);
      const last = i === params.length - 1;
      a = tf.fused.matMul({ a, b: kernel, bias, activation: last ? 'linear' : 'relu' }) as tf.Tensor2D;
    });
    return { logits: a, inputs, params };
  }

  /**
   * The gradient of Σ wᵢ·ℓᵢ + l2·Σ kernel² (ℓ the cross-entropy of the logit; `w` already holds
   * each row's weight divided by the batch's rows, so the data term is the weighted mean).
   */
  gradient(x: tf.Tensor2D, y: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => {
      const { logits, inputs, params } = this.forward(x, this.theta);
      // d/dz of the cross-entropy of σ(z) against y is σ(z) − y.
      let g: tf.Tensor2D = tf.sigmoid(logits).sub(y).mul(w);
      const parts: tf.Tensor[] = [];
      for (let i = params.length - 1; i >= 0; i--) {
        const a = inputs[i]!;
        parts[2 * i] = tf.matMul(a.transpose(), g).reshape([-1]);
        // The column sums as a product with a row of ones: wasm's sum over rows transposes first.
        parts[2 * i + 1] = tf.matMul(this.ones(g.shape[0]), g).reshape([-1]);
        // Through the layer's input: back along the kernel and through the ReLU that made it.
        if (i > 0) g = tf.matMul(g, params[i]!.kernel.transpose()).mul(tf.step(a));
      }
      return tf.concat(parts).add<tf.Tensor1D>(this.theta.mul(this.penalty));
    });
  }

  /** One Adam step on a batch (as tfjs's Adam: bias-corrected moments, epsilon added to the root). */
  step(x: tf.Tensor2D, y: tf.Tensor2D, w: tf.Tensor2D): void {
    this.t += 1;
    const { learningRate, beta1, beta2, epsilon, averageDecay } = this.adam;
    tf.tidy(() => {
      const grad = this.gradient(x, y, w);
      const m = this.m.mul(beta1).add<tf.Tensor1D>(grad.mul(1 - beta1));
      const v = this.v.mul(beta2).add<tf.Tensor1D>(grad.square().mul(1 - beta2));
      const mHat = m.mul(learningRate / (1 - beta1 ** this.t));
      const vHat = v.mul(1 / (1 - beta2 ** this.t));
      this.m.assign(m);
      this.v.assign(v);
      const theta = this.theta.sub<tf.Tensor1D>(mHat.div(vHat.sqrt().add(epsilon)));
      this.theta.assign(theta);
      const b = Math.min(averageDecay, (1 + this.t) / (10 + this.t));
      this.average.assign(b > 0 ? this.average.mul(b).add<tf.Tensor1D>(theta.mul(1 - b)) : theta);
    });
  }

  /** Σ wᵢ·ℓᵢ / n over the rows (the weighted mean cross-entropy, no penalty), as a scalar tensor. */
  loss(x: tf.Tensor2D, y: tf.Tensor2D, w: tf.Tensor2D, theta: tf.Tensor1D = this.theta): tf.Scalar {
    return tf.tidy(() => {
      const { logits } = this.forward(x, theta);
      // −log σ(±z), the sign from the label: the cross-entropy without forming σ(z).
      const signed = logits.mul(y.mul(2).sub(1));
      return tf.logSigmoid(signed).neg().mul(w).sum().div<tf.Scalar>(x.shape[0]);
    });
  }

  /** The parameters as the layers model's weights (kernel, bias, … in order). */
  weights(theta: tf.Tensor1D = this.theta): tf.Tensor[] {
    return tf.tidy(() => this.unpack(theta).flatMap(({ kernel, bias }) => [kernel, bias]));
  }

  dispose(): void {
    tf.dispose([this.theta, this.average, this.m, this.v, this.penalty, ...this.onesRows.values()]);
    this.onesRows.clear();
  }
}
