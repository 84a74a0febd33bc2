// Explanations. Global: permutation importance (the AUC lost when one feature's column is shuffled on
// the validation rows). Per score: what each feature adds, measured by setting it to its training mean
// and rescoring (exact for the logistic model up to the link, model-agnostic for the others).
import { rocAuc, seededRandom } from '../../ml/metrics/index.js';
import type { PropensityModel } from './model.js';

export type Importance = { feature: string; aucDrop: number };

export async function permutationImportance(
  model: PropensityModel,
  X: number[][],
  y: number[],
  options: { seed?: number; top?: number } = {},
): Promise<Importance[]> {
  const base = rocAuc(y, await model.score(X));
  const rand = seededRandom(options.seed ?? 17);
  const out: Importance[] = [];
  for (let j = 0; j < model.features.length; j++) {
    const column = X.map((r) => r[j]!);
    for (let i = column.length - 1; i > 0; i--) {
      const k = Math.floor(rand() * (i + 1));
      [column[i], column[k]] = [column[k]!, column[i]!];
    }
    const shuffled = X.map((r, i) => r.map((v, c) => (c === j ? column[i]! : v)));
    out.push({ feature: model.features[j]!, aucDrop: base - rocAuc(y, await model.score(shuffled)) });
  }
  return out.sort((a, b) => b.aucDrop - a.aucDrop).slice(0, options.top ?? out.length);
}

export type Reason = { feature: string; value: number; effect: number };

/** The features that raise (positive effect) or lower this person's score most, largest first. */
export async function topReasons(model: PropensityModel, row: number[], top = 3): Promise<Reason[]> {
  const mean = model.standardizer.mean;
  const variants = [row, ...row.map((_, j) => row.map((v, c) => (c === j ? mean[j]! : v)))];
  const scores = await model.score(variants);
  const score = scores[0]!;
  return row
    .map((value, j) => ({ feature: model.features[j]!, value, effect: score - scores[j + 1]! }))
    .sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect))
    .slice(0, top);
}
