// The shape every classifier takes, so the propensity trainer, the registry and the CLI treat the
// candidates alike. Inputs are rows of numbers already encoded and standardised.

export type Matrix = readonly (readonly number[])[];

export type FitOptions = {
  /** Weight of each positive example relative to a negative (class imbalance); 1 = unweighted. */
  positiveWeight?: number;
  seed?: number;
  /** Called with a fraction done, for progress lines and job status. */
  onProgress?: (fraction: number) => void;
};

export type ClassifierKind = 'logistic' | 'mlp' | 'forest';

/** What a trained model is saved as: JSON-safe parameters (tfjs weights as base64 inside). */
export type Artifact = { kind: ClassifierKind; format: number; body: unknown };

export interface Classifier {
  readonly kind: ClassifierKind;
  fit(X: Matrix, y: readonly number[], options?: FitOptions): Promise<void>;
  /** P(y = 1) for each row. */
  predict(X: Matrix): Promise<Float64Array>;
  save(): Promise<Artifact>;
  /** Parameters a person can read (for model cards): sizes, regularisation, iterations. */
  describe(): Record<string, unknown>;
  dispose(): void;
}
