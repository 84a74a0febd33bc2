// The coordinates NUTS moves in: three exact changes of variables of each channel's parameters (the
// ROI scale, the Hill logit and the pattern scaled by ROI, below), composed by `samplerSpace`. Each
// adds its log-Jacobian, so the posterior is the model's own; draws are mapped back before use.
//
// The ROI scale. A channel's contribution is linear in its ROI, so on the log-ROI scale u the likelihood's curvature
// grows like e^{2u}: a channel the data barely see (posterior sd of u near 1) has a steep wall a few
// sd above its bulk, and leapfrog steps sized for the bulk blow up against it (measured: divergent
// trajectories ran two to three sd up a weak channel's u). On the ROI scale itself that wall is a
// plain quadratic, but the prior then has one at zero. The sampler therefore moves v with
//   ROI = m · softplus(v) / ln 2,   i.e.   u = log m + log softplus(v) − log ln 2,
// where m is the prior's median ROI: linear in ROI above the median, logarithmic towards zero (so the
// prior's left tail stays Gaussian in v). The map is exact; its log-Jacobian log σ(v) − log
// softplus(v) is added, so the posterior is the same model's.
import type { BatchedLogDensity } from './sample.js';
import type { Layout, ModelOptions } from './spec.js';

export type RoiScale = {
  /** Index of each channel's log ROI in the parameter vector. */
  at: number[];
  /** Each channel's prior median log ROI. */
  logMedian: number[];
};

const LN_LN2 = Math.log(Math.LN2);

function logSoftplus(v: number): number {
  return v < -30 ? v : Math.log(v > 30 ? v : Math.log1p(Math.exp(v)));
}
function logSigmoid(v: number): number {
  return v < -30 ? v : -(v > 30 ? Math.exp(-v) : Math.log1p(Math.exp(-v)));
}

/** The log ROI u of a sampler coordinate v. */
function logRoiOf(s: RoiScale, c: number, v: number): number {
  return s.logMedian[c]! + logSoftplus(v) - LN_LN2;
}

/** The sampler coordinate v of a log ROI u (softplus's inverse, log(e^x − 1)). */
function samplerOf(s: RoiScale, c: number, u: number): number {
  const x = Math.exp(u - s.logMedian[c]! + LN_LN2);
  return x > 30 ? x + Math.log1p(-Math.exp(-x)) : Math.log(Math.expm1(x));
}

/** Natural coordinates (what the model reads) of a point in the sampler's coordinates. */
export function naturalOf(s: RoiScale, z: Float64Array): Float64Array {
  const q = z.slice();
  s.at.forEach((k, c) => (q[k] = logRoiOf(s, c, z[k]!)));
  return q;
}

/** The sampler's coordinates of a point given in natural coordinates. */
export function sampledOf(s: RoiScale, q: Float64Array): Float64Array {
  const z = q.slice();
  s.at.forEach((k, c) => (z[k] = samplerOf(s, c, q[k]!)));
  return z;
}

/** The log density in the sampler's coordinates: the model's plus the map's log-Jacobian, by the chain rule. */
export function onRoiScale(density: BatchedLogDensity, s: RoiScale, dim: number): BatchedLogDensity {
  return pullBack(
    density,
    dim,
    (z) => naturalOf(s, z),
    (z, grad, out, at) => {
      let logJ = 0;
      for (const k of s.at) {
        const v = z[at + k]!;
        const logSig = logSigmoid(v);
        const logSp = logSoftplus(v);
        const du = Math.exp(logSig - logSp); // du/dv = σ(v) / softplus(v)
        logJ += logSig - logSp;
        // d/dv of the log-Jacobian: σ(−v) − σ(v)/softplus(v).
        out[at + k] = grad[at + k]! * du + Math.exp(logSigmoid(-v)) - du;
      }
      return logJ;
    },
  );
}

/**
 * A density in new coordinates z from one in natural coordinates q = toNatural(z): `chainRule`
 * writes one chain's gradient in z into `out` (which starts as a copy of the gradient in q) and
 * returns that chain's log-Jacobian, which is added to its log density.
 */
function pullBack(
  density: BatchedLogDensity,
  dim: number,
  toNatural: (z: Float64Array) => Float64Array,
  chainRule: (z: Float64Array, grad: Float64Array, out: Float64Array, at: number) => number,
): BatchedLogDensity {
  return (z, chains) => {
    const q = new Float64Array(z.length);
    for (let c = 0; c < chains; c++) q.set(toNatural(z.subarray(c * dim, (c + 1) * dim)), c * dim);
    const { logp, grad } = density(q, chains);
    const out = Float64Array.from(grad);
    const lp = Float64Array.from(logp);
    for (let c = 0; c < chains; c++) lp[c]! += chainRule(z, grad, out, c * dim);
    return { logp: lp, grad: out };
  };
}

// Hill saturation sampled by its logit at typical adstocked spend.
//
// h(x) = σ(s·(log x − log K)). The data see the response pattern h_t/Σh: with a small shape s it is
// x^s/Σx^s whatever K, with K far below the spend it is flat. Sampled as (log K, log s) the posterior
// follows curves log K = const/s, a banana that the metric cannot straighten; trajectories left it
// tens of sd out along log K (measured). The sampler moves a = s·(log W − log K) instead, the logit of
// saturation at the adstocked spend of an average week (W = Σ adstock weights: spend is in multiples
// of its mean), so that curve is a = const. log K = log W − a·e^{−log s}; the Jacobian |∂log K/∂a| = 1/s.
// The prior is on a and log s independently (hill-prior.ts), so here it is two plain normals.
type HillScale = {
  /** Per channel, the index of [decay logit, log K, log s] (geometric adstock) as `decay`, `k`, `s`. */
  channels: { decay: number | undefined; k: number; s: number }[];
  /** Longest lag; undefined where the adstock weights sum to one (normalised, Weibull). */
  maxLag: number | undefined;
};

/** log W and d log W / d(decay logit) for geometric weights λ^l, l < L. */
function logWeightSum(scale: HillScale, decayLogit: number | undefined): { logW: number; dLogW: number } {
  if (scale.maxLag === undefined || decayLogit === undefined) return { logW: 0, dLogW: 0 };
  const lam = 1 / (1 + Math.exp(-decayLogit));
  let W = 0;
  let dW = 0;
  for (let l = 0; l < scale.maxLag; l++) {
    const w = lam ** l;
    W += w;
    dW += l * w * (1 - lam);
  }
  return { logW: Math.log(W), dLogW: dW / W };
}

function naturalOfHill(scale: HillScale, z: Float64Array): Float64Array {
  const q = z.slice();
  for (const ch of scale.channels) {
    const { logW } = logWeightSum(scale, ch.decay === undefined ? undefined : z[ch.decay]);
    q[ch.k] = logW - z[ch.k]! * Math.exp(-z[ch.s]!);
  }
  return q;
}

function sampledOfHill(scale: HillScale, q: Float64Array): Float64Array {
  const z = q.slice();
  for (const ch of scale.channels) {
    const { logW } = logWeightSum(scale, ch.decay === undefined ? undefined : q[ch.decay]);
    z[ch.k] = Math.exp(q[ch.s]!) * (logW - q[ch.k]!);
  }
  return z;
}

function onHillScale(density: BatchedLogDensity, scale: HillScale, dim: number): BatchedLogDensity {
  return pullBack(
    density,
    dim,
    (z) => naturalOfHill(scale, z),
    (z, grad, out, at) => {
      let logJ = 0;
      for (const ch of scale.channels) {
        const a = z[at + ch.k]!;
        const inv = Math.exp(-z[at + ch.s]!);
        const gK = grad[at + ch.k]!;
        logJ -= z[at + ch.s]!; // log |∂log K/∂a| = −log s
        out[at + ch.k] = -gK * inv;
        out[at + ch.s] = grad[at + ch.s]! + gK * a * inv - 1;
        if (ch.decay !== undefined && scale.maxLag !== undefined)
          out[at + ch.decay] = grad[at + ch.decay]! + gK * logWeightSum(scale, z[at + ch.decay]).dLogW;
      }
      return logJ;
    },
  );
}

// Each channel's response-pattern parameters (adstock, saturation) scaled by its ROI.
//
// What the data say about a channel's pattern grows with its contribution, i.e. like ROI²: near a
// high ROI the pattern is pinned down, near a low one it is the prior's. A fixed metric cannot serve
// both (measured: with the two maps above, the divergent draws sat 2–3 sd up a channel's ROI, the
// sharpest direction its saturation logit). So each pattern parameter θ moves as
//   θ = c + g(ROI)·ζ,   g = 2 / (1 + ROI/m),
// with c and m the parameter and the ROI at the MAP: about constant below m, like 1/ROI above it, so
// the curvature in ζ stays about the same as ROI grows. Exact; log-Jacobian n·log g(ROI).
type PatternScale = {
  /** Per channel: the log ROI's index, the pattern parameters' indices, their centres, the reference ROI. */
  channels: { u: number; params: number[]; centres: number[]; refRoi: number }[];
};

function patternFactor(u: number, refRoi: number): { g: number; dLogG: number } {
  const ratio = Math.exp(Math.min(u, 300)) / refRoi;
  return { g: 2 / (1 + ratio), dLogG: -ratio / (1 + ratio) };
}

function naturalOfPattern(scale: PatternScale, z: Float64Array): Float64Array {
  const q = z.slice();
  for (const ch of scale.channels) {
    const { g } = patternFactor(z[ch.u]!, ch.refRoi);
    ch.params.forEach((i, j) => (q[i] = ch.centres[j]! + g * z[i]!));
  }
  return q;
}

function sampledOfPattern(scale: PatternScale, q: Float64Array): Float64Array {
  const z = q.slice();
  for (const ch of scale.channels) {
    const { g } = patternFactor(q[ch.u]!, ch.refRoi);
    ch.params.forEach((i, j) => (z[i] = (q[i]! - ch.centres[j]!) / g));
  }
  return z;
}

function onPatternScale(density: BatchedLogDensity, scale: PatternScale, dim: number): BatchedLogDensity {
  return pullBack(
    density,
    dim,
    (z) => naturalOfPattern(scale, z),
    (z, grad, out, at) => {
      let logJ = 0;
      for (const ch of scale.channels) {
        const { g, dLogG } = patternFactor(z[at + ch.u]!, ch.refRoi);
        logJ += ch.params.length * Math.log(g);
        let gu = ch.params.length * dLogG;
        for (const i of ch.params) {
          out[at + i] = grad[at + i]! * g;
          gu += grad[at + i]! * g * dLogG * z[at + i]!; // ∂θ/∂u = g·dLogG·ζ
        }
        out[at + ch.u]! += gu;
      }
      return logJ;
    },
  );
}

/** Which changes of variables the sampler uses (each exact; see above). */
export type Coordinates = { roiScale: boolean; hillLogit: boolean; patternByRoi: boolean };

export type SamplerSpace = {
  toNatural: (z: Float64Array) => Float64Array;
  toSampled: (q: Float64Array) => Float64Array;
  density: BatchedLogDensity;
};

/** The sampler's coordinates for a model: the natural ones with the chosen maps applied (ROI scale outermost). */
export function samplerSpace(
  natural: BatchedLogDensity,
  layout: Layout,
  options: ModelOptions,
  logMedianRoi: number[],
  which: Coordinates,
  /** Points near the posterior's mode (the MAP starts), in natural coordinates: the pattern map's anchor. */
  anchors: Float64Array[],
): SamplerSpace {
  if (which.patternByRoi && !anchors.length) throw new Error('the pattern-by-ROI map needs anchor points');
  const at = logMedianRoi.map((_, c) => layout.channel.start + c * layout.channel.perChannel);
  const roi: RoiScale | undefined = which.roiScale ? { at, logMedian: logMedianRoi } : undefined;
  const geometric = options.adstock !== 'weibull';
  const hill: HillScale | undefined =
    which.hillLogit && options.saturation === 'hill'
      ? {
          channels: at.map((k) => ({
            decay: geometric ? k + 1 : undefined,
            k: k + 1 + layout.channel.adstock,
            s: k + 2 + layout.channel.adstock,
          })),
          maxLag: options.adstock === 'geometric' ? options.maxLag : undefined,
        }
      : undefined;
  const dim = layout.dim;
  const patternParams = (k: number) =>
    Array.from({ length: layout.channel.perChannel - 1 }, (_, j) => k + 1 + j);
  // Anchors in the hill map's coordinates, so the centres are those of the parameters the pattern map moves.
  const anchored = anchors.map((q) => (hill ? sampledOfHill(hill, q) : q));
  const mean = (i: number) => anchored.reduce((a, q) => a + q[i]!, 0) / anchored.length;
  const pattern: PatternScale | undefined = which.patternByRoi
    ? {
        channels: at.map((k) => ({
          u: k,
          params: patternParams(k),
          centres: patternParams(k).map(mean),
          refRoi: anchored.reduce((a, q) => a + Math.exp(q[k]!), 0) / anchored.length,
        })),
      }
    : undefined;
  let density = natural;
  if (hill) density = onHillScale(density, hill, dim);
  if (pattern) density = onPatternScale(density, pattern, dim);
  if (roi) density = onRoiScale(density, roi, dim);
  return {
    density,
    toNatural: (z) => {
      let q = roi ? naturalOf(roi, z) : z;
      if (pattern) q = naturalOfPattern(pattern, q);
      if (hill) q = naturalOfHill(hill, q);
      return q;
    },
    toSampled: (q) => {
      let z = hill ? sampledOfHill(hill, q) : q;
      if (pattern) z = sampledOfPattern(pattern, z);
      if (roi) z = sampledOf(roi, z);
      return z;
    },
  };
}
