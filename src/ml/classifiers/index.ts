// The candidate classifiers, and loading any of them back from its saved artifact.
import { LogisticRegression, disposeRows, type DeviceRows } from './logistic.js';
import { Mlp } from './mlp.js';
import { RandomForest } from './forest.js';
import type { Artifact, Classifier } from './types.js';

export { LogisticRegression, Mlp, RandomForest, disposeRows };
export type { DeviceRows };
export type { Artifact, Classifier, ClassifierKind, FitOptions, Matrix } from './types.js';

export async function loadClassifier(artifact: Artifact): Promise<Classifier> {
  switch (artifact.kind) {
    case 'logistic':
      return LogisticRegression.load(artifact);
    case 'mlp':
      return Mlp.load(artifact);
    case 'forest':
      return RandomForest.load(artifact);
    default:
      throw new Error(`unknown model kind ${String((artifact as { kind: unknown }).kind)}`);
  }
}
