// The MLP's hand-written step against tfjs's own machinery: the gradient against automatic
// differentiation of the same objective, and Adam steps against tf.train.adam fed those gradients,
// on the cpu and wasm backends.
import { afterAll, describe, expect, it } from 'vitest';
import { initRuntime, tf } from '../runtime/index.js';
import { seededRandom } from '../metrics/index.js';
import { PackedMlp } from './mlp-step.js';

afterAll(async () => {
  await initRuntime({ backend: 'auto' });
});

const sizes = [5, 4, 3, 1];
const l2 = 0.01;

/** Seeded layer weights (kernel, bias per layer), rows, labels and per-row weights. */
function problem(n: number) {
  const rand = seededRandom(11);
  const u = (k: number) => Array.from({ length: k }, () => rand() * 2 - 1);
  const weights: tf.Tensor[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    weights.push(tf.tensor2d(u(sizes[i]! * sizes[i + 1]!), [sizes[i]!, sizes[i + 1]!]));
    weights.push(tf.tensor1d(u(sizes[i + 1]!)));
  }
  const x = tf.tensor2d(u(n * sizes[0]!), [n, sizes[0]!]);
  const labels = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0));
  const y = tf.tensor2d(labels, [n, 1]);
  // positives weigh 2.5; each weight divided by the rows, as the trainer hands a batch over
  const w = tf.tensor2d(
    labels.map((v) => (v === 1 ? 2.5 : 1) / n),
    [n, 1],
  );
  return { weights, x, y, w };
}

/** The logits through ordinary tfjs ops on separate variables (kernel, bias per layer). */
function logits(vars: tf.Variable[], x: tf.Tensor2D): tf.Tensor2D {
  let a: tf.Tensor2D = x;
  for (let i = 0; i < vars.length; i += 2) {
    const z = tf.add<tf.Tensor2D>(tf.matMul(a, vars[i]!), vars[i + 1]!);
    a = i + 2 < vars.length ? tf.relu(z) : z;
  }
  return a;
}

/** The objective the step minimises, for automatic gradients: Σ wᵢ·ℓᵢ + l2·Σ kernel². */
function objective(vars: tf.Variable[], x: tf.Tensor2D, y: tf.Tensor2D, w: tf.Tensor2D): tf.Scalar {
  const z = logits(vars, x);
  // cross-entropy of the logit: softplus(z) − y·z
  const data = tf.softplus(z).sub(z.mul(y)).mul(w).sum();
  const penalty = vars
    .filter((v) => v.shape.length === 2)
    .reduce<tf.Scalar>((s, k) => s.add(k.square().sum()), tf.scalar(0));
  return data.add<tf.Scalar>(penalty.mul(l2));
}

const flatten = (ts: tf.Tensor[]) => ts.flatMap((t) => Array.from(t.dataSync()));

describe.each(['cpu', 'wasm'] as const)('the MLP step on %s', (backend) => {
  it('has the gradient tfjs differentiates, and moves as tf.train.adam', async () => {
    await initRuntime({ backend });
    const before = tf.memory().numTensors;
    const { weights, x, y, w } = problem(9);
    const packed = new PackedMlp(weights, { learningRate: 0.05, l2 });
    const vars = weights.map((t) => tf.variable(t)); // sharing the data; packed holds its own copy

    const hand = Array.from(packed.gradient(x, y, w));
    const { value, grads } = tf.variableGrads(() => objective(vars, x, y, w), vars);
    const auto = flatten(vars.map((v) => grads[v.name]!));
    expect(hand).toHaveLength(auto.length);
    hand.forEach((g, i) => expect(g).toBeCloseTo(auto[i]!, 5));
    // the ReLUs are not all on or all off, so both branches of their gradient are exercised
    expect(hand.some((g) => g === 0) && hand.some((g) => g !== 0)).toBe(true);
    // the rows' transpose with a row of ones below, as the trainer uploads it, gives the same gradient
    const xT = tf.tidy(() => tf.concat([x.transpose(), tf.ones([1, 9])], 0) as tf.Tensor2D);
    Array.from(packed.gradient(x, y, w, xT)).forEach((g, i) => expect(g).toBeCloseTo(hand[i]!, 6));
    tf.dispose([xT, value, ...Object.values(grads)]);

    const adam = tf.train.adam(0.05);
    for (let s = 0; s < 3; s++) {
      packed.step(x, y, w);
      adam.minimize(() => objective(vars, x, y, w), false, vars);
    }
    const stepped = tf.tidy(() => flatten(packed.weights()));
    flatten(vars).forEach((v, i) => expect(stepped[i]).toBeCloseTo(v, 5));

    // the held-back loss: weights as given (not divided by the rows), the weighted mean per row
    const w9 = w.mul<tf.Tensor2D>(9);
    const lossTensor = packed.loss(x, y, w9);
    const loss = (await lossTensor.data())[0]!;
    const expected = tf.tidy(() => {
      const p = tf.sigmoid(logits(vars, x));
      return tf.losses.logLoss(y, p, w9, 0, tf.Reduction.SUM_BY_NONZERO_WEIGHTS).dataSync()[0]!;
    });
    expect(loss).toBeCloseTo(expected, 5);

    adam.dispose();
    packed.dispose();
    tf.dispose([...weights, ...vars, x, y, w, w9, lossTensor]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps the moving average of the parameters, and a new penalty takes effect', async () => {
    await initRuntime({ backend });
    const before = tf.memory().numTensors;
    const { weights, x, y, w } = problem(9);
    const decay = 0.5;
    const packed = new PackedMlp(weights, { learningRate: 0.05, l2, averageDecay: decay });
    const plain = new PackedMlp(weights, { learningRate: 0.05, l2 }); // no average: it is theta
    let expected = Array.from(packed.theta);
    for (let t = 1; t <= 4; t++) {
      packed.step(x, y, w);
      plain.step(x, y, w);
      const theta = Array.from(packed.theta);
      // the first steps weigh the start less: b = min(decay, (1 + t) / (10 + t)) = 2/11, 3/12, …
      const b = Math.min(decay, (1 + t) / (10 + t));
      expected = expected.map((a, i) => b * a + (1 - b) * theta[i]!);
      Array.from(packed.average).forEach((a, i) => expect(a).toBeCloseTo(expected[i]!, 5));
      expect(Array.from(plain.average)).toEqual(Array.from(plain.theta));
    }
    // A stronger penalty changes the gradient by 2·Δl2 on kernel entries only (biases are free).
    const grad = () => Array.from(packed.gradient(x, y, w)); // a copy: the array is reused
    const g1 = grad();
    packed.l2 = l2 + 0.5;
    const g2 = grad();
    const theta = Array.from(packed.theta);
    const kernel = new Set<number>();
    for (const l of packed.layers) for (let k = 0; k < l.inputs * l.units; k++) kernel.add(l.offset + k);
    g2.forEach((g, i) => expect(g - g1[i]!).toBeCloseTo(kernel.has(i) ? 2 * 0.5 * theta[i]! : 0, 5));
    expect(packed.l2).toBe(l2 + 0.5);
    packed.dispose();
    plain.dispose();
    tf.dispose([...weights, x, y, w]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
