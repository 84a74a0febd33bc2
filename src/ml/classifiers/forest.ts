// A random forest from `ml-random-forest`: regression trees on the 0/1 label, averaged, so the
// forest's output is a probability (the share of positives in the leaves, as scikit-learn's
// classifier reports). ml-cart evaluates every split point, which is slow on large tables, so each
// tree sees a capped bootstrap sample; the cap and the tree count are recorded with the model.
import { RandomForestRegression } from 'ml-random-forest';
import { seededRandom } from '../metrics/bootstrap.js';
import type { Artifact, Classifier, FitOptions, Matrix } from './types.js';

export type ForestOptions = {
  trees?: number;
  maxDepth?: number;
  minLeaf?: number;
  maxFeatures?: number;
  maxRows?: number;
};

export class RandomForest implements Classifier {
  readonly kind = 'forest' as const;
  forest: RandomForestRegression | null = null;
  readonly options: Required<ForestOptions>;
  rowsUsed = 0;

  constructor(options: ForestOptions = {}) {
    this.options = {
      trees: options.trees ?? 30,
      maxDepth: options.maxDepth ?? 8,
      minLeaf: options.minLeaf ?? 20,
      maxFeatures: options.maxFeatures ?? 0.33,
      maxRows: options.maxRows ?? 2_000,
    };
  }

  fit(X: Matrix, y: readonly number[], options: FitOptions = {}): Promise<void> {
    const seed = options.seed ?? 7;
    // Class imbalance: keep every positive up to half the cap, sample negatives for the rest.
    const rand = seededRandom(seed);
    const pos = y.flatMap((v, i) => (v === 1 ? [i] : []));
    const neg = y.flatMap((v, i) => (v === 1 ? [] : [i]));
    const sample = (from: number[], k: number) => {
      const a = [...from];
      for (let i = 0; i < Math.min(k, a.length); i++) {
        const j = i + Math.floor(rand() * (a.length - i));
        [a[i], a[j]] = [a[j]!, a[i]!];
      }
      return a.slice(0, k);
    };
    const cap = this.options.maxRows;
    const rows =
      X.length <= cap
        ? Array.from(X, (_, i) => i)
        : [
            ...sample(pos, Math.min(pos.length, Math.round(cap * (pos.length / X.length)))),
            ...sample(neg, cap),
          ].slice(0, cap);
    this.rowsUsed = rows.length;
    this.forest = new RandomForestRegression({
      nEstimators: this.options.trees,
      maxFeatures: this.options.maxFeatures,
      replacement: true,
      useSampleBagging: true,
      seed,
      noOOB: true,
      selectionMethod: 'mean',
      treeOptions: { maxDepth: this.options.maxDepth, minNumSamples: this.options.minLeaf },
    });
    this.forest.train(
      rows.map((i) => X[i] as number[]),
      rows.map((i) => y[i]!),
    );
    options.onProgress?.(1);
    return Promise.resolve();
  }

  predict(X: Matrix): Promise<Float64Array> {
    if (!this.forest) throw new Error('the forest is not fitted');
    return Promise.resolve(
      Float64Array.from(this.forest.predict(X as number[][]), (p) => Math.min(1, Math.max(0, p))),
    );
  }

  save(): Promise<Artifact> {
    if (!this.forest) throw new Error('the forest is not fitted');
    return Promise.resolve({
      kind: this.kind,
      format: 1,
      body: { options: this.options, rowsUsed: this.rowsUsed, forest: this.forest.toJSON() },
    });
  }

  static load(artifact: Artifact): RandomForest {
    const body = artifact.body as { options: ForestOptions; rowsUsed: number; forest: unknown };
    const m = new RandomForest(body.options);
    m.forest = RandomForestRegression.load(body.forest as Parameters<typeof RandomForestRegression.load>[0]);
    m.rowsUsed = body.rowsUsed;
    return m;
  }

  describe(): Record<string, unknown> {
    return { ...this.options, rowsUsed: this.rowsUsed };
  }

  dispose(): void {
    this.forest = null;
  }
}
