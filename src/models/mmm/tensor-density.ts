// Turns a log density written in tensor ops over a [chains, dim] batch into the sampler's batched
// function: one forward and one backward pass for all chains (the chains are independent, so the
// gradient of the summed log density is each chain's own gradient).
import { tf } from './tf.js';
import type { BatchedLogDensity } from './sample.js';

export type TensorLogDensity = (q: tf.Tensor2D) => tf.Tensor1D;

export function fromTensorDensity(logDensity: TensorLogDensity, dim: number): BatchedLogDensity {
  return (q, chains) => {
    let perChain: tf.Tensor1D | undefined;
    const grad = tf.tidy(() => {
      const x = tf.tensor2d(Float32Array.from(q), [chains, dim], 'float32');
      // The per-chain values are kept out of the gradient's scope so that one pass gives both.
      const { grad: g } = tf.valueAndGrad((v: tf.Tensor) => {
        perChain = tf.keep(logDensity(v as tf.Tensor2D));
        return perChain.sum();
      })(x);
      return g;
    });
    const out = { logp: Float64Array.from(perChain!.dataSync()), grad: Float64Array.from(grad.dataSync()) };
    perChain!.dispose();
    grad.dispose();
    return out;
  };
}
