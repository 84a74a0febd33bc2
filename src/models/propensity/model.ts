// A trained propensity model as it is saved and served: the classifier, the standardiser fitted on
// its training rows, the prior-shift correction for class weighting, and the validation score
// cut points that turn a score into a decile.
import { loadClassifier, type Artifact, type Classifier, type Matrix } from '../../ml/classifiers/index.js';
import { standardize, type Standardizer } from '../../ml/preprocess.js';
import { applyCalibrator, type Calibrator } from '../../ml/calibration/index.js';

export type PropensityArtifact = {
  classifier: Artifact;
  standardizer: Standardizer;
  /** The positive-class weight used in training; probabilities are corrected back by it. */
  positiveWeight: number;
  /** Score thresholds of deciles 1..9 on the validation rows (decile 1 = highest scores). */
  decileCuts: number[];
  features: string[];
  /** Platt or isotonic map applied after the weight correction, where it helped on validation rows. */
  calibration?: Calibrator | null;
};

/** Undo the class weighting: odds are scaled by 1/w (the prior-shift correction). */
export const correctForWeight = (p: number, w: number) => (w === 1 ? p : p / (p + (1 - p) * w));

export class PropensityModel {
  constructor(
    readonly classifier: Classifier,
    readonly standardizer: Standardizer,
    readonly positiveWeight: number,
    public decileCuts: number[],
    readonly features: string[],
    public calibration: Calibrator | null = null,
  ) {}

  /** Probabilities before any recalibration (what the calibration map is fitted on). */
  async uncalibrated(rows: Matrix): Promise<Float64Array> {
    const raw = await this.classifier.predict(standardize(this.standardizer, rows));
    return raw.map((p) => correctForWeight(p, this.positiveWeight));
  }

  async score(rows: Matrix): Promise<Float64Array> {
    const p = await this.uncalibrated(rows);
    return this.calibration ? p.map((q) => applyCalibrator(this.calibration, q)) : p;
  }

  decileOf(score: number): number {
    const i = this.decileCuts.findIndex((cut) => score >= cut);
    return i === -1 ? 10 : i + 1;
  }

  async save(): Promise<PropensityArtifact> {
    return {
      classifier: await this.classifier.save(),
      standardizer: this.standardizer,
      positiveWeight: this.positiveWeight,
      decileCuts: this.decileCuts,
      features: this.features,
      calibration: this.calibration,
    };
  }

  static async load(a: PropensityArtifact): Promise<PropensityModel> {
    return new PropensityModel(
      await loadClassifier(a.classifier),
      a.standardizer,
      a.positiveWeight,
      a.decileCuts,
      a.features,
      a.calibration ?? null,
    );
  }
}

/** Decile cut points: the score at the top 10%, 20%, ... 90% of the given scores. */
export function decileCuts(scores: ArrayLike<number>): number[] {
  const sorted = Array.from(scores).sort((a, b) => b - a);
  return Array.from(
    { length: 9 },
    (_, k) => sorted[Math.min(sorted.length - 1, Math.floor(((k + 1) * sorted.length) / 10))] ?? 0,
  );
}
