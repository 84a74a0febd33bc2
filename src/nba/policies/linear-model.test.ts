import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initRuntime, tf } from '../../ml/runtime/index.js';
import { fitLinearModel } from './fit.js';
import { invert, predict, priorModel, update } from './linear-model.js';

// X = [[1,0],[1,1],[1,2]], y = [1,2,2], λ = 1, worked by hand:
// A = I + XᵀX = [[4,3],[3,6]], det 15, A⁻¹ = [[6,−3],[−3,4]]/15, Xᵀy = [5,6], μ = A⁻¹Xᵀy = [0.8, 0.6].
const X = [
  [1, 0],
  [1, 1],
  [1, 2],
];
const Y = [1, 2, 2];

describe('Bayesian linear model', () => {
  beforeAll(async () => {
    await initRuntime({ backend: 'cpu' });
  });
  afterAll(() => undefined);

  it('matches the hand-worked posterior by rank-one updates', () => {
    let m = priorModel(2, 1, 0.25);
    for (let i = 0; i < X.length; i++) m = update(m, X[i]!, Y[i]!);
    expect(m.mu[0]).toBeCloseTo(0.8, 12);
    expect(m.mu[1]).toBeCloseTo(0.6, 12);
    expect(m.aInv[0]![0]).toBeCloseTo(6 / 15, 12);
    expect(m.aInv[0]![1]).toBeCloseTo(-3 / 15, 12);
    expect(m.aInv[1]![1]).toBeCloseTo(4 / 15, 12);
    // x = [1, 1]: mean 1.4, spread xᵀA⁻¹x = (6 − 6 + 4)/15.
    const p = predict(m, [1, 1]);
    expect(p.mean).toBeCloseTo(1.4, 12);
    expect(p.spread).toBeCloseTo(4 / 15, 12);
    expect(m.n).toBe(3);
  });

  it('fits the same posterior from the whole log in tfjs, with σ² from the residuals, and leaks no tensor', () => {
    const before = tf.memory().numTensors;
    const m = fitLinearModel(X, Y, 2);
    expect(tf.memory().numTensors).toBe(before);
    expect(m.mu[0]).toBeCloseTo(0.8, 5);
    expect(m.mu[1]).toBeCloseTo(0.6, 5);
    expect(m.aInv[1]![1]).toBeCloseTo(4 / 15, 5);
    // Residuals 0.2, 0.6, 0 → RSS 0.4 over n − d = 1 degree of freedom.
    expect(m.sigma2).toBeCloseTo(0.4, 5);
  });

  it('inverts what it is given', () => {
    const a = [
      [4, 1, 0.5],
      [1, 3, 0.2],
      [0.5, 0.2, 2],
    ];
    const inv = invert(a);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++)
        expect(a[i]!.reduce((s, v, k) => s + v * inv[k]![j]!, 0)).toBeCloseTo(i === j ? 1 : 0, 12);
  });
});
