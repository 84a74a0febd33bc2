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
import { binEdges, binRows, featuresPerTree } from './forest.js';
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

  it.each([
    ['binned columns (the default)', {}],
    ['raw values', { bins: 0 }],
  ] as const)('predicts as ml-random-forest does, walking its trees directly (%s)', async (_n, o) => {
    const forest = new RandomForest({ trees: 6, maxDepth: 5, minLeaf: 5, ...o });
    await forest.fit(fixture.X, fixture.y, { seed: 3 });
    const rows = forest.edges ? binRows(fixture.X, forest.edges) : fixture.X;
    expect(forest.edges === undefined).toBe('bins' in o);
    const sum = new Float64Array(fixture.X.length);
    for (const tree of forest.trees) tree.predict(rows).forEach((p, i) => (sum[i]! += p));
    const expected = Array.from(sum, (p) => Math.min(1, Math.max(0, p / forest.trees.length)));
    expect(new Set(expected).size).toBeGreaterThan(10); // the trees split
    expect(Array.from(await forest.predict(fixture.X))).toEqual(expected);
  });

  it('gives each tree 70% of up to 16 columns, then 2.8√c', () => {
    // 0.7c and 2.8√c meet at c = 16 (11.2 each)
    expect([1, 2, 3, 15, 16, 40, 100].map(featuresPerTree)).toEqual([1, 1, 2, 11, 11, 18, 28]);
  });

  it('bins a column at its quantiles, ties and constant columns included', () => {
    const X = Array.from({ length: 100 }, (_, i) => [i, i < 70 ? 0 : i, 5]);
    const edges = binEdges(X, 4);
    // quantiles at rows 25, 50, 75; a column 70% zeros keeps only the edge above its zeros; a constant one none
    expect(edges).toEqual([[25, 50, 75], [75], []]);
    expect(
      binRows(
        [
          [24.9, 0, 5],
          [25, 74, -1],
          [99, 75, 9],
        ],
        edges,
      ),
    ).toEqual([
      [0, 0, 0],
      [1, 0, 0],
      [3, 1, 0],
    ]);
  });

  it('a forest on binned columns keeps its edges: the same predictions on new rows after loading, and an AUC near the truth', async () => {
    // a known logistic with an interaction; 3,000 training rows, more than a tree's 600
    const rand = seededRandom(23);
    const draw = (n: number) => {
      const X = Array.from({ length: n }, () => Array.from({ length: 6 }, () => rand() * 4 - 2));
      const p = X.map((x) => 1 / (1 + Math.exp(-(-1.5 + x[0]! - 0.8 * x[1]! + x[2]! * x[3]!))));
      return { X, p, y: p.map((q) => (rand() < q ? 1 : 0)) };
    };
    const train = draw(3000);
    const test = draw(2000);
    const forest = new RandomForest({ trees: 20 });
    await forest.fit(train.X, train.y, { seed: 4 });
    expect(forest.treeRows).toBe(600);
    const before = await forest.predict(test.X);
    const artifact = JSON.parse(JSON.stringify(await forest.save())) as Artifact;
    expect(artifact.format).toBe(3);
    const loaded = await loadClassifier(artifact);
    expect(Array.from(await loaded.predict(test.X))).toEqual(Array.from(before));
    expect(loaded.describe()).toMatchObject({ bins: 32, treeColumns: 4 }); // round(0.7 × 6)
    // the true probabilities' AUC is 0.853; the binned forest is near it and no worse than one on raw values
    const ceiling = rocAuc(test.y, Float64Array.from(test.p));
    const raw = new RandomForest({ trees: 20, bins: 0 });
    await raw.fit(train.X, train.y, { seed: 4 });
    const auc = rocAuc(test.y, before);
    expect(auc).toBeGreaterThan(ceiling - 0.06);
    expect(auc).toBeGreaterThan(rocAuc(test.y, await raw.predict(test.X)) - 0.005);
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
