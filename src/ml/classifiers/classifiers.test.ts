// The classifiers: logistic regression against scikit-learn's coefficients, the same numbers on the
// cpu and wasm backends, saved models that predict the same after loading, and no leaked tensors.
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { initRuntime, tf } from '../runtime/index.js';
import { RandomForestRegression } from 'ml-random-forest';
import {
  LogisticRegression,
  Mlp,
  RandomForest,
  disposeRows,
  loadClassifier,
  type Artifact,
} from './index.js';
import { solveWithRidge } from './newton.js';
import { rocAuc, seededRandom } from '../metrics/index.js';

type Fixture = {
  X: number[][];
  y: number[];
  cases: { l2: number; positiveWeight: number; intercept: number; coef: number[] }[];
};
const fixture = JSON.parse(
  fs.readFileSync(new URL('../../../fixtures/ml/logistic-sklearn.json', import.meta.url), 'utf8'),
) as Fixture;

afterAll(async () => {
  await initRuntime({ backend: 'auto' });
});

describe('logistic regression', () => {
  it.each(fixture.cases.map((c) => [`l2=${c.l2} positiveWeight=${c.positiveWeight}`, c] as const))(
    'matches scikit-learn (%s)',
    async (_n, c) => {
      await initRuntime({ backend: 'cpu' });
      const m = new LogisticRegression({ l2: c.l2, tolerance: 1e-14 });
      await m.fit(fixture.X, fixture.y, { positiveWeight: c.positiveWeight });
      expect(m.coefficients[0]).toBeCloseTo(c.intercept, 4);
      c.coef.forEach((w, j) => expect(m.coefficients[j + 1]).toBeCloseTo(w, 4));
    },
  );
});

describe('the penalty path and the Newton solve', () => {
  it('fits a path of penalties on one upload to the same coefficients as separate fits', async () => {
    await initRuntime({ backend: 'wasm' });
    const penalties = [0.1, 10, 1000];
    const path = await LogisticRegression.fitPath(fixture.X, fixture.y, penalties, { positiveWeight: 2 });
    expect(path.map((m) => m.l2)).toEqual(penalties);
    for (const m of path) {
      const alone = new LogisticRegression({ l2: m.l2 });
      await alone.fit(fixture.X, fixture.y, { positiveWeight: 2 });
      Array.from(alone.coefficients).forEach((c, j) => expect(m.coefficients[j]).toBeCloseTo(c, 4));
      expect(m.iterations).toBeLessThan(alone.maxIterations); // stopped on the decrement
    }
  });

  it('fits the rows an include mask keeps as if the others were not there, on one upload', async () => {
    await initRuntime({ backend: 'wasm' });
    const keep = fixture.y.map((_, i) => i % 3 !== 0);
    const subset = new LogisticRegression({ l2: 1 });
    await subset.fit(
      fixture.X.filter((_, i) => keep[i]),
      fixture.y.filter((_, i) => keep[i]),
    );
    const rows = await LogisticRegression.upload(fixture.X);
    const masked = new LogisticRegression({ l2: 1 });
    masked.fitRows(rows, fixture.y, { include: keep });
    const all = new LogisticRegression({ l2: 1 });
    all.fitRows(rows, fixture.y);
    disposeRows(rows);
    Array.from(subset.coefficients).forEach((c, j) => expect(masked.coefficients[j]).toBeCloseTo(c, 4));
    expect(Math.abs(all.coefficients[1]! - subset.coefficients[1]!)).toBeGreaterThan(1e-4);
  });

  it('adds a ridge when the Newton system is singular, and none when it is definite', () => {
    // [[1, 1], [1, 1]]: what an intercept beside a one-hot column that is always 1 gives
    const singular = solveWithRidge(Float64Array.from([1, 1, 1, 1]), Float64Array.from([2, 2]), 2);
    expect(singular.ridge).toBeGreaterThan(0);
    singular.x.forEach((v) => expect(Number.isFinite(v)).toBe(true));
    const definite = solveWithRidge(Float64Array.from([2, 1, 1, 2]), Float64Array.from([3, 3]), 2);
    expect(definite.ridge).toBe(0);
    definite.x.forEach((v) => expect(v).toBeCloseTo(1, 12));
  });
});

describe('the same numbers on cpu and wasm', () => {
  const fitOn = async (backend: 'cpu' | 'wasm') => {
    await initRuntime({ backend });
    const logistic = new LogisticRegression({ l2: 1 });
    await logistic.fit(fixture.X, fixture.y);
    const mlp = new Mlp({ hidden: [8], epochs: 3, patience: 10 });
    await mlp.fit(fixture.X, fixture.y, { seed: 3 });
    const p = await mlp.predict(fixture.X);
    mlp.dispose();
    return { coefficients: Array.from(logistic.coefficients), mlp: Array.from(p) };
  };

  it('fits a logistic regression and trains a small MLP to the same results', async () => {
    const cpu = await fitOn('cpu');
    const wasm = await fitOn('wasm');
    // float32 on both backends: agreement to ~1e-5 relative
    cpu.coefficients.forEach((c, j) => expect(wasm.coefficients[j]).toBeCloseTo(c, 4));
    const gap = Math.max(...cpu.mlp.map((p, i) => Math.abs(p - wasm.mlp[i]!)));
    expect(gap).toBeLessThan(1e-4);
  });
});

describe("the MLP's penalty path", () => {
  /** n rows of 5 uniform columns; the label from `rule`, flipped with probability `noise`. */
  function table(n: number, rule: (x: number[]) => boolean, noise: number) {
    const rand = seededRandom(17);
    const X = Array.from({ length: n }, () => Array.from({ length: 5 }, () => rand() * 2 - 1));
    const y = X.map((x) => (rule(x) !== rand() < noise ? 1 : 0));
    return { X, y };
  }

  it('keeps the strong penalty when the labels are noise, and goes weaker for a sharp signal', async () => {
    await initRuntime({ backend: 'wasm' });
    const noise = table(3000, () => false, 0.2); // 20% positives, whatever the columns say
    const sharp = table(3000, (x) => x[0]! * x[1]! > 0, 0.02); // an interaction, little noise
    const chosen: number[] = [];
    for (const { X, y } of [noise, sharp]) {
      // batches of 64: 40 steps a pass, so each penalty runs to its plateau before the next
      const mlp = new Mlp({ hidden: [16, 8], batchSize: 64 });
      await mlp.fit(X, y, { seed: 3 });
      chosen.push(mlp.l2Chosen);
      expect(mlp.describe()).toMatchObject({ l2: mlp.l2Chosen, l2Path: [0.01, 0.001] });
      mlp.dispose();
    }
    expect(chosen).toEqual([0.01, 0.001]);
  });
});

describe('saving, loading and memory', () => {
  it('predicts the same after a save/load round trip, for every kind', async () => {
    await initRuntime({ backend: 'wasm' });
    for (const m of [
      new LogisticRegression(),
      new Mlp({ hidden: [8], epochs: 40, batchSize: 32 }),
      new RandomForest({ trees: 5, maxDepth: 4 }),
    ]) {
      await m.fit(fixture.X, fixture.y, { seed: 5 });
      const before = await m.predict(fixture.X);
      const loaded = await loadClassifier(JSON.parse(JSON.stringify(await m.save())) as Artifact);
      const after = await loaded.predict(fixture.X);
      expect(Array.from(after)).toEqual(Array.from(before));
      expect(rocAuc(fixture.y, before), m.kind).toBeGreaterThan(0.7);
      m.dispose();
      loaded.dispose();
    }
  });

  it('loads a forest saved before per-tree draws (format 1: one ml-random-forest)', async () => {
    const forest = new RandomForestRegression({
      nEstimators: 4,
      seed: 3,
      noOOB: true,
      treeOptions: { maxDepth: 3 },
    });
    forest.train(fixture.X, fixture.y);
    const artifact: Artifact = {
      kind: 'forest',
      format: 1,
      body: { options: { trees: 4, maxDepth: 3 }, rowsUsed: fixture.y.length, forest: forest.toJSON() },
    };
    const loaded = await loadClassifier(JSON.parse(JSON.stringify(artifact)) as Artifact);
    const expected = forest.predict(fixture.X).map((p) => Math.min(1, Math.max(0, p)));
    expect(Array.from(await loaded.predict(fixture.X))).toEqual(expected);
  });

  it('predicts as ml-random-forest does, walking its trees directly', async () => {
    const forest = new RandomForest({ trees: 6, maxDepth: 5, minLeaf: 5 });
    await forest.fit(fixture.X, fixture.y, { seed: 3 });
    const sum = new Float64Array(fixture.X.length);
    for (const tree of forest.trees) tree.predict(fixture.X).forEach((p, i) => (sum[i]! += p));
    const expected = Array.from(sum, (p) => Math.min(1, Math.max(0, p / forest.trees.length)));
    expect(new Set(expected).size).toBeGreaterThan(10); // the trees split
    expect(Array.from(await forest.predict(fixture.X))).toEqual(expected);
  });

  it('leaves no tensor behind after training, predicting, saving and disposing', async () => {
    await initRuntime({ backend: 'wasm' });
    const before = tf.memory().numTensors;
    const logistic = new LogisticRegression();
    await logistic.fit(fixture.X, fixture.y);
    await LogisticRegression.fitPath(fixture.X, fixture.y, [1, 100]);
    const mlp = new Mlp({ hidden: [8], epochs: 3 });
    await mlp.fit(fixture.X, fixture.y, { positiveWeight: 2 });
    await mlp.predict(fixture.X);
    const copy = await loadClassifier(await mlp.save());
    copy.dispose();
    mlp.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
