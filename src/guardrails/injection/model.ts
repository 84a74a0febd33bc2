// The prompt-injection classifier at run time: logistic regression over hashed n-grams, with int8 weights
// stored in weights.json (written by scripts/guardrails/train-injection.ts). Plain arithmetic, no tfjs.
import { FEATURE_DIM, featurize, type SparseVector } from './features.js';
import { segmentsOf } from './segments.js';

export type InjectionModel = {
  dim: number;
  bias: number;
  /** int8 weights as hexadecimal (two digits a byte); weight = byte × scale. */
  weights: string;
  scale: number;
  threshold: number;
};

export type LoadedModel = { bias: number; weights: Float32Array; threshold: number };

export function loadModel(m: InjectionModel): LoadedModel {
  if (m.dim !== FEATURE_DIM)
    throw new Error(`injection weights are for ${m.dim} features, the code hashes ${FEATURE_DIM}`);
  const bytes = Buffer.from(m.weights, 'hex');
  if (bytes.length !== m.dim)
    throw new Error(`injection weights hold ${bytes.length} values, expected ${m.dim}`);
  const weights = new Float32Array(m.dim);
  for (let i = 0; i < m.dim; i++) weights[i] = ((bytes[i]! << 24) >> 24) * m.scale;
  return { bias: m.bias, weights, threshold: m.threshold };
}

export function scoreVector(model: LoadedModel, x: SparseVector): number {
  let z = model.bias;
  for (let i = 0; i < x.indices.length; i++) z += model.weights[x.indices[i]!]! * x.values[i]!;
  return 1 / (1 + Math.exp(-z));
}

export type InjectionScore = { score: number; start: number; end: number; hidden: boolean };

/** Scores the whole text and each hidden part and window; the highest decides, with its span. */
export function scoreInjection(model: LoadedModel, text: string): InjectionScore {
  let best: InjectionScore = { score: 0, start: 0, end: text.length, hidden: false };
  for (const seg of segmentsOf(text)) {
    const score = scoreVector(model, featurize(text.slice(seg.start, seg.end)));
    if (score > best.score) best = { score, ...seg };
  }
  return best;
}
