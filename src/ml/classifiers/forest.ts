// A random forest from `ml-random-forest`: regression trees on the 0/1 label, averaged, so the
// forest's output is a probability (the share of positives in the leaves, as scikit-learn's
// classifier reports). ml-cart evaluates every split point with a pass over the node's rows
// (quadratic in the rows), so each tree sees a capped sample; the cap and the tree count are
// recorded with the model.
//
// Two of ml-random-forest's semantics matter here. It samples rows once per forest (every tree
// bags from the same training set), so each tree is a one-tree forest on its own draw from the
// whole table: 30 trees see up to 30 × maxRows distinct rows, not the same maxRows. And it picks
// features once per tree, not per split as scikit-learn does; an integer maxFeatures is a count
// (1 means one column) and a float a share, drawn with replacement if asked, so the share is turned
// into a count here and drawn without replacement.
//
// The trees split on each column's quantile bin (32 by default; the edges are saved with the model
// and applied before every prediction). ml-cart's split candidates are the places where the label
// changes between neighbours sorted by value, and its sort is stable; a tree's rows are passed with
// its positives first, so a run of equal values yields at most two candidates, and a binned column
// at most about twice its bins. On `npm run bench -- propensity` tables (seeds 7, 8, 9, 70% of the
// columns, against scikit-learn's forest in the same run, 4 December): the demo world's table
// (40 columns, 5% positive) went from 2.05–2.19× scikit-learn's fit time to 1.47–1.54× (load
// 0.3–0.8), AUC 0.5854 / 0.5730 / 0.5632 → 0.5861 / 0.5974 / 0.5764 (scikit-learn 0.5840); synthetic
// 10k 0.88–1.16× → 0.51–0.70×, AUC 0.7590 / 0.7599 / 0.7597 → 0.7699 / 0.7649 / 0.7630 (0.7617);
// synthetic 100k 0.80–1.08× → 0.30–0.48×, AUC 0.7740 / 0.7743 / 0.7731 → 0.7774 / 0.7768 / 0.7761
// (0.7701) (load 3–5); 64 bins were slower than 32 and no better. Wide tables also give each tree
// fewer columns (`featuresPerTree`).
import { RandomForestRegression } from 'ml-random-forest';
import { seededRandom } from '../metrics/bootstrap.js';
import type { Artifact, Classifier, FitOptions, Matrix } from './types.js';

export type ForestOptions = {
  trees?: number;
  maxDepth?: number;
  minLeaf?: number;
  /** Share of the columns each tree sees (drawn per tree, without replacement); by default `featuresPerTree(columns)`. */
  maxFeatures?: number;
  /** Rows each tree is grown on, drawn afresh for every tree (classes at their share); by default `rowsPerTree(n)`. */
  maxRows?: number;
  /** Quantile bins per column the trees split on (0: the raw values); the edges are kept with the model. */
  bins?: number;
};

/**
 * Each column's bin edges: up to bins − 1 distinct quantiles of its training values. A value's
 * bin is the number of edges at or below it.
 */
export function binEdges(X: Matrix, bins: number): number[][] {
  const columns = X[0]?.length ?? 0;
  return Array.from({ length: columns }, (_, j) => {
    const sorted = Float64Array.from(X, (row) => row[j]!).sort();
    const edges: number[] = [];
    for (let k = 1; k < bins; k++) {
      const v = sorted[Math.floor((k * sorted.length) / bins)]!;
      if (v > sorted[0]! && v !== edges[edges.length - 1]) edges.push(v);
    }
    return edges;
  });
}

function binOf(edges: readonly number[], v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edges[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function binRows(X: Matrix, edges: readonly (readonly number[])[]): number[][] {
  return X.map((row) => row.map((v, j) => binOf(edges[j]!, v)));
}

/**
 * Rows per tree for an n-row table: 2√(n ln n), at least 600. ml-cart's cost is quadratic in a
 * tree's rows and a forest grown on all rows (scikit-learn's) costs about n log n, so this keeps
 * the two in step: 600 rows at 10k, 2,150 at 100k, 7,400 at 1M.
 */
export function rowsPerTree(n: number): number {
  return Math.max(600, Math.round(2 * Math.sqrt(n * Math.log(Math.max(n, 2)))));
}

/**
 * Columns per tree for a table of c columns: 70% of them up to 16 columns, then 2.8√c (18 of 40,
 * 28 of 100). A tree's cost grows with its columns, while scikit-learn's forest draws √c columns at
 * each split, so beyond 16 columns the count grows as √c to keep the fit time in step with it.
 * On the demo world's table (40 columns; seeds 7, 8, 9, 32 bins, load 1.1–1.7): 28 columns took
 * 1.52–1.78× scikit-learn's forest's fit time, AUC 0.5861 / 0.5974 / 0.5764; 18 columns 0.99–1.16×,
 * AUC 0.5928 / 0.5973 / 0.5871 (scikit-learn 0.5840). Fewer than 70% of 15 columns cost AUC on the
 * synthetic tables (a share of 0.35, 5 columns: −0.01 at 10k and 100k rows).
 */
export function featuresPerTree(c: number): number {
  return Math.max(1, Math.min(Math.round(0.7 * c), Math.round(2.8 * Math.sqrt(c))));
}

type Tree = RandomForestRegression;

/** An ml-cart regression node as trained or loaded: a split with two children, or a leaf's mean. */
type TreeNode = {
  splitColumn?: number;
  splitValue?: number;
  left?: TreeNode;
  right?: TreeNode;
  distribution?: number;
};

/** An ml-random-forest's trees, each with the table columns its split columns refer to. */
function treesOf(forest: Tree): { root: TreeNode; columns: number[] }[] {
  const inner = forest as unknown as { indexes: number[][]; estimators: { root: TreeNode }[] };
  return inner.estimators.map((e, k) => ({ root: e.root, columns: inner.indexes[k]! }));
}

type TreeJson = Parameters<typeof RandomForestRegression.load>[0];

export class RandomForest implements Classifier {
  readonly kind = 'forest' as const;
  trees: Tree[] = [];
  readonly options: Required<Omit<ForestOptions, 'maxRows' | 'maxFeatures'>> & {
    maxRows?: number;
    maxFeatures?: number;
  };
  /** Per column, the bin edges the trees' split values refer to (none when bins is 0). */
  edges: number[][] | undefined;
  /** Distinct rows any tree saw, and the rows each was grown on. */
  rowsUsed = 0;
  treeRows = 0;
  /** Columns each tree was grown on. */
  treeColumns = 0;

  constructor(options: ForestOptions = {}) {
    this.options = {
      trees: options.trees ?? 80,
      maxDepth: options.maxDepth ?? 8,
      minLeaf: options.minLeaf ?? 20,
      bins: options.bins ?? 32,
      ...(options.maxRows !== undefined ? { maxRows: options.maxRows } : {}),
      ...(options.maxFeatures !== undefined ? { maxFeatures: options.maxFeatures } : {}),
    };
  }

  fit(raw: Matrix, y: readonly number[], options: FitOptions = {}): Promise<void> {
    this.edges = this.options.bins > 0 ? binEdges(raw, this.options.bins) : undefined;
    const X = this.edges ? binRows(raw, this.edges) : raw;
    const seed = options.seed ?? 7;
    const rand = seededRandom(seed);
    const pos = y.flatMap((v, i) => (v === 1 ? [i] : []));
    const neg = y.flatMap((v, i) => (v === 1 ? [] : [i]));
    // A partial Fisher–Yates shuffle: k distinct indices, in place (the pools are reshuffled per tree).
    const sample = (from: number[], k: number) => {
      for (let i = 0; i < Math.min(k, from.length); i++) {
        const j = i + Math.floor(rand() * (from.length - i));
        [from[i], from[j]] = [from[j]!, from[i]!];
      }
      return from.slice(0, k);
    };
    const cap = this.options.maxRows ?? rowsPerTree(X.length);
    this.treeRows = Math.min(cap, X.length);
    const columns = X[0]?.length ?? 0;
    const share = this.options.maxFeatures;
    const features =
      share === undefined
        ? featuresPerTree(columns)
        : Math.max(1, Math.min(columns, Math.round(columns * share)));
    this.treeColumns = features;
    const kPos = Math.min(pos.length, Math.round(cap * (pos.length / X.length)));
    const seen = new Uint8Array(X.length);
    this.trees = [];
    for (let t = 0; t < this.options.trees; t++) {
      const rows =
        X.length <= cap ? Array.from(X, (_, i) => i) : [...sample(pos, kPos), ...sample(neg, cap - kPos)];
      for (const i of rows) seen[i] = 1;
      const tree = new RandomForestRegression({
        nEstimators: 1,
        maxFeatures: features,
        replacement: false,
        // Bootstrap the draw when it is the whole table (small tables), as scikit-learn does.
        useSampleBagging: X.length <= cap,
        seed: seed + 7919 * t,
        noOOB: true,
        selectionMethod: 'mean',
        treeOptions: { maxDepth: this.options.maxDepth, minNumSamples: this.options.minLeaf },
      });
      tree.train(
        rows.map((i) => X[i] as number[]),
        rows.map((i) => y[i]!),
      );
      this.trees.push(tree);
      options.onProgress?.((t + 1) / this.options.trees);
    }
    this.rowsUsed = seen.reduce((s, v) => s + v, 0);
    return Promise.resolve();
  }

  predict(raw: Matrix): Promise<Float64Array> {
    if (!this.trees.length) throw new Error('the forest is not fitted');
    const X = this.edges ? binRows(raw, this.edges) : raw;
    const sum = new Float64Array(X.length);
    // The trees are walked here rather than through ml-random-forest's predict, which copies the
    // rows into an ml-matrix and reads them through a column view for every tree (at 250k rows,
    // about a second a tree); the descent is ml-cart's own (left when value < split value).
    for (const forest of this.trees) {
      const trees = treesOf(forest);
      for (let i = 0; i < X.length; i++) {
        const row = X[i]!;
        let s = 0;
        for (const { root, columns } of trees) {
          let node = root;
          while (node.left && node.right)
            node = row[columns[node.splitColumn!]!]! < node.splitValue! ? node.left : node.right;
          s += node.distribution!;
        }
        sum[i]! += s / trees.length; // the forest's mean over its trees (one, since format 2)
      }
    }
    return Promise.resolve(sum.map((p) => Math.min(1, Math.max(0, p / this.trees.length))));
  }

  save(): Promise<Artifact> {
    if (!this.trees.length) throw new Error('the forest is not fitted');
    return Promise.resolve({
      kind: this.kind,
      format: 3,
      body: {
        options: this.options,
        edges: this.edges,
        rowsUsed: this.rowsUsed,
        treeRows: this.treeRows,
        treeColumns: this.treeColumns,
        trees: this.trees.map((t) => t.toJSON()),
      },
    });
  }

  /** Format 3: one-tree forests on binned columns; 2: on raw values; 1 (before per-tree draws): one forest. */
  static load(artifact: Artifact): RandomForest {
    const body = artifact.body as {
      options: ForestOptions;
      edges?: number[][];
      rowsUsed: number;
      treeRows?: number;
      treeColumns?: number;
      trees?: unknown[];
      forest?: unknown;
    };
    const m = new RandomForest({ ...body.options, bins: body.edges ? body.options.bins : 0 });
    m.edges = body.edges;
    const saved = artifact.format >= 2 ? body.trees! : [body.forest];
    m.trees = saved.map((t) => RandomForestRegression.load(t as TreeJson));
    m.rowsUsed = body.rowsUsed;
    m.treeRows = body.treeRows ?? body.options.maxRows ?? 0;
    m.treeColumns = body.treeColumns ?? 0;
    return m;
  }

  describe(): Record<string, unknown> {
    return {
      ...this.options,
      rowsUsed: this.rowsUsed,
      treeRows: this.treeRows,
      treeColumns: this.treeColumns,
    };
  }

  dispose(): void {
    this.trees = [];
  }
}
