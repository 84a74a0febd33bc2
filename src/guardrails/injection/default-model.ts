// The shipped classifier: weights trained by scripts/guardrails/train-injection.ts, loaded once.
import weights from './weights.json' with { type: 'json' };
import { loadModel, type LoadedModel } from './model.js';

let cached: LoadedModel | undefined;

export function defaultModel(): LoadedModel {
  cached ??= loadModel(weights);
  return cached;
}

/** Held-out-free facts about the shipped weights (training data hash, validation figures). */
export const MODEL_INFO = {
  data: weights.data,
  training: weights.training,
  validation: weights.validation,
  threshold: weights.threshold,
};
