// The fit's public shapes: the `--json` answer of `attune mmm fit` (and the API), and the saved
// model that `attune mmm optimize` and the report read back.
import type { MmmFit } from './fit.js';
import type { Interval } from './interval.js';
import type { ResponseModel } from './response.js';

export type FitJson = {
  channels: (Omit<MmmFit['outputs']['channels'][number], 'spend' | 'contribution'> & {
    spend: number;
    contribution: Interval;
  })[];
  diagnostics: MmmFit['diagnostics'];
  fit: MmmFit['outputs']['fit'];
  model: {
    adstock: string;
    saturation: string;
    maxLag: number;
    holdout: number;
    priors: MmmFit['options']['priors'];
  };
  sampling: MmmFit['sampling'];
};

export function toFitJson(fit: MmmFit): FitJson {
  return {
    channels: fit.outputs.channels,
    diagnostics: fit.diagnostics,
    fit: fit.outputs.fit,
    model: {
      adstock: fit.options.adstock,
      saturation: fit.options.saturation,
      maxLag: fit.options.maxLag,
      holdout: fit.options.holdout,
      priors: fit.options.priors,
    },
    sampling: fit.sampling,
  };
}

export type SavedModel = {
  kind: 'mmm';
  format: 1;
  interval: number;
  currentSpend: number[];
  response: ResponseModel;
  fit: FitJson;
};

export function toSavedModel(fit: MmmFit, interval = 0.9): SavedModel {
  return {
    kind: 'mmm',
    format: 1,
    interval,
    currentSpend: fit.currentSpend,
    response: fit.response,
    fit: toFitJson(fit),
  };
}

export function parseSavedModel(text: string): SavedModel {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error('The model file is not JSON; pass the model.json that `attune mmm fit --out DIR` wrote.');
  }
  const v = value as Partial<SavedModel>;
  if (v.kind !== 'mmm' || v.format !== 1 || !v.response || !Array.isArray(v.currentSpend))
    throw new Error(
      'The model file is not an Attune MMM (format 1); pass the model.json that `attune mmm fit --out DIR` wrote.',
    );
  return v as SavedModel;
}
