/* eslint-disable @typescript-eslint/no-unnecessary-type-assertion -- tfjs ops return Tensor<Rank>; the casts name the rank we know */
// The MMM's likelihood and priors in tensor ops over a [chains, dim] batch:
//   kpi_t ~ Normal(baseline_t + Σ_c β_c · saturation(adstock(spend_c))_t, σ)
// with everything in the scaled units of design.ts. `forward` returns the pieces the outputs need.
import { tf } from './tf.js';
import type { Design } from './design.js';
import { layoutOf, type Layout, type ModelOptions } from './spec.js';

export type Forward = {
  /** [K, T] expected scaled KPI. */
  mu: tf.Tensor2D;
  /** [K, C, T] scaled contribution of each channel. */
  contributions: tf.Tensor3D;
  /** [K, C] maximum weekly effect (scaled). */
  beta: tf.Tensor2D;
  /** [K, C, L] adstock weights. */
  weights: tf.Tensor3D;
  /** [K, C, S] saturation parameters on their natural scale: hill (halfSaturation, shape), logistic (rate). */
  saturation: tf.Tensor3D;
  /** [K] noise sd (scaled). */
  noise: tf.Tensor1D;
};

export type MmmModel = {
  layout: Layout;
  logDensity: (q: tf.Tensor2D) => tf.Tensor1D;
  /** Forward pass; `lagged` replaces the design's lagged spend (e.g. spend raised 1% for marginal ROI). */
  forward: (q: tf.Tensor2D, lagged?: tf.Tensor3D) => Forward;
  dispose: () => void;
};

const TINY = 1e-9;

export function createMmmModel(design: Design, options: ModelOptions, channels: string[]): MmmModel {
  const C = channels.length;
  const P = design.baseline[0]!.length;
  const controls = P - 2 - 2 * options.harmonics;
  const layout = layoutOf(options, C, controls);
  const { perChannel, adstock: A, saturation: S } = layout.channel;
  const pr = options.priors;
  const F = design.fitted;
  const keep = <T extends tf.Tensor>(t: T) => tf.keep(t);
  const roiPriors = logRoiPriors(design, pr, channels);
  const t = tf.tidy(() => ({
    X: keep(tf.tensor2d(design.baseline)),
    y: keep(tf.tensor1d(design.y.slice(0, F))),
    lagged: keep(tf.tensor3d(design.lagged)),
    lags: keep(tf.range(0, options.maxLag, 1, 'float32')),
    logLags1: keep(tf.range(1, options.maxLag + 1, 1, 'float32').log()),
    baseMean: keep(tf.tensor1d([pr.intercept.mean, ...Array<number>(P - 1).fill(0)])),
    baseSd: keep(
      tf.tensor1d([
        pr.intercept.sd,
        pr.trendSd,
        ...Array<number>(2 * options.harmonics).fill(pr.seasonalitySd),
        ...Array<number>(controls).fill(pr.controlSd),
      ]),
    ),
    roiMu: keep(tf.tensor1d(roiPriors.map((r) => r.mu))),
    roiSigma: keep(tf.tensor1d(roiPriors.map((r) => r.sigma))),
    // β = ROI × spend / (kpiScale × Σ saturation).
    xMeanRest: keep(
      tf.tensor1d(Array.from({ length: P - 1 }, (_, j) => columnMean(design.baseline, j + 1, F))),
    ),
    roiToBeta: keep(tf.tensor1d(design.spendTotal.map((s) => Math.max(s / design.kpiScale, 1e-12)))),
  }));

  function pieces(q: tf.Tensor2D, lagged: tf.Tensor3D) {
    const K = q.shape[0];
    const ch = q.slice([0, layout.channel.start], [-1, C * perChannel]).reshape([K, C, perChannel]);
    const u = ch.slice([0, 0, 0], [-1, -1, 1]).reshape([K, C]);
    // The first coordinate is the mean expected KPI over the fitted periods (what the data pin down
    // to ~σ/√T); the intercept is derived from it. Media's summed contribution is ROI × spend, so
    // intercept = level − Σ_j≥1 base_j·mean(X_j) − Σ_c ROI_c·spend_c/(kpiScale·F). The map is
    // triangular with a unit diagonal (no Jacobian) and removes the level ridge between the
    // intercept and every channel.
    const level = q.slice([0, 0], [-1, 1]);
    const rest = q.slice([0, 1], [-1, P - 1]);
    const intercept = level
      .sub(rest.mul(t.xMeanRest).sum(1, true))
      .sub(u.exp().mul(t.roiToBeta).sum(1, true).div(F));
    const base = tf.concat([intercept, rest], 1);
    const ad = ch.slice([0, 0, 1], [-1, -1, A]);
    const sat = ch.slice([0, 0, 1 + A], [-1, -1, S]);
    let weights: tf.Tensor3D;
    let adstockPrior: tf.Tensor1D;
    // log W, W = Σ adstock weights (0 where they are normalised): the Hill prior reads it.
    let logWeightSum: tf.Tensor | number = 0;
    if (options.adstock === 'weibull') {
      const logShape = ad.slice([0, 0, 0], [-1, -1, 1]);
      const logScale = ad.slice([0, 0, 1], [-1, -1, 1]);
      const logx = t.logLags1.sub(logScale); // [K, C, L]
      const logw = logShape.exp().sub(1).mul(logx).sub(logShape.exp().mul(logx).exp());
      weights = tf.softmax(logw) as tf.Tensor3D;
      adstockPrior = normalLog(logShape, Math.log(pr.weibullShape.mean), pr.weibullShape.logSd)
        .add(normalLog(logScale, Math.log(pr.weibullScale.mean), pr.weibullScale.logSd))
        .sum([1, 2]) as tf.Tensor1D;
    } else {
      const logDecay = tf.softplus(ad.neg()).neg(); // log λ, [K, C, 1]
      const log1mDecay = tf.softplus(ad).neg();
      weights = logDecay.mul(t.lags).exp() as tf.Tensor3D;
      if (options.adstock === 'geometric-normalized') weights = weights.div(weights.sum(2, true));
      else logWeightSum = weights.sum(2, true).log();
      adstockPrior = logDecay.mul(pr.decay.a).add(log1mDecay.mul(pr.decay.b)).sum([1, 2]) as tf.Tensor1D;
    }
    const adstocked = weights.expandDims(3).mul(lagged.expandDims(0)).sum(2); // [K, C, T]
    let h: tf.Tensor3D;
    let satPrior: tf.Tensor1D;
    let satNatural: tf.Tensor3D;
    if (options.saturation === 'hill') {
      const logHalf = sat.slice([0, 0, 0], [-1, -1, 1]);
      const logShape = sat.slice([0, 0, 1], [-1, -1, 1]);
      h = tf.sigmoid(logShape.exp().mul(adstocked.add(TINY).log().sub(logHalf))) as tf.Tensor3D;
      // Normal on a = s·(log W − log K), with log s (|∂a/∂log K| = s) for the change from a to log K.
      const satLogit = logShape.exp().mul(tf.sub(logWeightSum, logHalf));
      satPrior = normalLog(satLogit, pr.saturationLogit.mean, pr.saturationLogit.sd)
        .add(logShape)
        .add(normalLog(logShape, 0, pr.hillShapeLogSd))
        .sum([1, 2]) as tf.Tensor1D;
      satNatural = sat.exp() as tf.Tensor3D;
    } else {
      const logRate = sat;
      h = tf.tanh(logRate.exp().mul(adstocked).mul(0.5)) as tf.Tensor3D;
      satPrior = normalLog(logRate, 0, pr.logisticRateLogSd).sum([1, 2]) as tf.Tensor1D;
      satNatural = sat.exp() as tf.Tensor3D;
    }
    // Every channel is sampled by its log ROI (u): β = ROI × spend / (kpiScale × Σ saturation), and
    // its prior is on u (ROI prior) or on u + const (the contribution fraction), so no Jacobian term.
    // Sampling by ROI removes the β × half-saturation ridge: ROI is what the data pin down, β is not.
    const sumH = h.slice([0, 0, 0], [-1, -1, F]).sum(2); // [K, C]
    const beta = u.add(t.roiToBeta.log()).sub(sumH.add(TINY).log()).exp() as tf.Tensor2D;
    const contributions = beta.expandDims(2).mul(h) as tf.Tensor3D;
    const mu = base.matMul(t.X, false, true).add(contributions.sum(1)) as tf.Tensor2D;
    const logNoise = q.slice([0, layout.logNoise], [-1, 1]).reshape([K]);
    const effectPrior = normalLog(u, t.roiMu, t.roiSigma).sum(1);
    const basePrior = normalLog(base, t.baseMean, t.baseSd).sum(1);
    const noise = logNoise.exp();
    const noisePrior = noise.div(pr.noiseSd).square().mul(-0.5).add(logNoise);
    const prior = basePrior.add(effectPrior).add(adstockPrior).add(satPrior).add(noisePrior) as tf.Tensor1D;
    return { mu, contributions, beta, weights, satNatural, noise: noise as tf.Tensor1D, logNoise, prior };
  }

  return {
    layout,
    logDensity(q) {
      const p = pieces(q, t.lagged);
      const resid = t.y.sub(p.mu.slice([0, 0], [-1, F])).div(p.noise.expandDims(1));
      return resid.square().sum(1).mul(-0.5).sub(p.logNoise.mul(F)).add(p.prior) as tf.Tensor1D;
    },
    forward(q, lagged) {
      const p = pieces(q, t.lagged);
      // Other spend (marginal ROI's 1% rise) keeps the fitted β and moves only the saturation: β is
      // derived from ROI and the fitted spend, so re-deriving it would hold contributions fixed.
      const contributions = lagged
        ? (() => {
            const r = pieces(q, lagged);
            return r.contributions.mul(p.beta.div(r.beta).expandDims(2)) as tf.Tensor3D;
          })()
        : p.contributions;
      return {
        mu: lagged ? (p.mu.add(contributions.sub(p.contributions).sum(1)) as tf.Tensor2D) : p.mu,
        contributions,
        beta: p.beta,
        weights: p.weights,
        saturation: p.satNatural,
        noise: p.noise,
      };
    },
    dispose: () => Object.values(t).forEach((x) => x.dispose()),
  };
}

export function columnMean(rows: number[][], j: number, n: number): number {
  let s = 0;
  for (let t = 0; t < n; t++) s += rows[t]![j]!;
  return s / n;
}

/** Log of a normal density up to its constant. */
function normalLog(x: tf.Tensor, mean: number | tf.Tensor, sd: number | tf.Tensor): tf.Tensor {
  return x.sub(mean).div(sd).square().mul(-0.5);
}

/**
 * Normal(mu, sigma) on each channel's log ROI: its lift-test prior where given, otherwise the default
 * that all media together drive `contributionFraction.median` of the KPI, split in proportion to
 * spend, i.e. a common ROI of median × KPI / all spend (as Meridian's default ROI prior is common to
 * channels); a channel with a tiny budget is then not handed a tenth of the KPI by its prior.
 */
export function logRoiPriors(
  design: Pick<Design, 'spendTotal' | 'kpiScale' | 'fitted'>,
  pr: ModelOptions['priors'],
  channels: string[],
): { mu: number; sigma: number }[] {
  const allSpend = design.spendTotal.reduce((a, b) => a + b, 0) / design.kpiScale;
  const common = Math.log((pr.contributionFraction.median * design.fitted) / Math.max(allSpend, 1e-12));
  return channels.map((c) =>
    pr.roi[c] ? lognormalOf(pr.roi[c]) : { mu: common, sigma: pr.contributionFraction.logSd },
  );
}

/** LogNormal (mu, sigma) with the given mean and sd; an unused channel gets a harmless (0, 1). */
export function lognormalOf(prior: { mean: number; sd: number } | undefined): { mu: number; sigma: number } {
  if (!prior) return { mu: 0, sigma: 1 };
  const s2 = Math.log(1 + (prior.sd / prior.mean) ** 2);
  return { mu: Math.log(prior.mean) - s2 / 2, sigma: Math.sqrt(s2) };
}
