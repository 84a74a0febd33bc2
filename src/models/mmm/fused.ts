// The MMM's log density and its hand-derived gradient in one pass over Float64 arrays: the same
// function as model.ts (checked against its tfjs autodiff and against finite differences in
// fused.test.ts), without tfjs's per-kernel overhead. At MMM sizes (a few hundred periods, tens of
// parameters) one batched autodiff gradient is ~440 tiny kernels and costs milliseconds; this loop
// costs tens of microseconds per chain. Geometric adstock (plain or normalised) with Hill or
// logistic saturation; the Weibull adstock stays on the tfjs path.
import { hillLogPrior, type HillPriorTerm } from './hill-prior.js';
import type { Design } from './design.js';
import { columnMean, logRoiPriors } from './model.js';
import type { BatchedLogDensity } from './sample.js';
import { layoutOf, type ModelOptions } from './spec.js';

const TINY = 1e-9;

export function fusedSupports(options: ModelOptions): boolean {
  return options.adstock !== 'weibull';
}

export function createFusedDensity(
  design: Design,
  options: ModelOptions,
  channels: string[],
): BatchedLogDensity {
  if (!fusedSupports(options)) throw new Error(`The fused density has no ${options.adstock} adstock`);
  const C = channels.length;
  const P = design.baseline[0]!.length;
  const controls = P - 2 - 2 * options.harmonics;
  const layout = layoutOf(options, C, controls);
  const { perChannel } = layout.channel;
  const pr = options.priors;
  const T = design.periods;
  const F = design.fitted;
  const L = options.maxLag;
  const hill = options.saturation === 'hill';
  const normalized = options.adstock === 'geometric-normalized';
  const X = Float64Array.from(design.baseline.flat()); // [T, P]
  const y = Float64Array.from(design.y);
  const lagged = Float64Array.from(design.lagged.flat(2)); // [C, L, T]
  const baseMean = Float64Array.from({ length: P }, (_, j) => (j === 0 ? pr.intercept.mean : 0));
  const baseSd = Float64Array.from({ length: P }, (_, j) =>
    j === 0
      ? pr.intercept.sd
      : j === 1
        ? pr.trendSd
        : j < 2 + 2 * options.harmonics
          ? pr.seasonalitySd
          : pr.controlSd,
  );
  const xMean = Float64Array.from({ length: P }, (_, j) => columnMean(design.baseline, j, F));
  const base = new Float64Array(P);
  const roi = logRoiPriors(design, pr, channels);
  const logRoiToBeta = design.spendTotal.map((s) => Math.log(Math.max(s / design.kpiScale, 1e-12)));
  // Hill: the prior's derivatives by log K, log s and log W (hill-prior.ts), kept for the backward pass.
  const hillPrior: HillPriorTerm[] = Array.from({ length: C }, () => ({
    lp: 0,
    dLogK: 0,
    dLogS: 0,
    dLogW: 0,
  }));
  // Scratch, reused across calls.
  const mu = new Float64Array(T);
  const gmu = new Float64Array(T);
  const x = new Float64Array(C * T);
  const h = new Float64Array(C * T);
  const z = new Float64Array(C * T);
  const w = new Float64Array(L);
  const dw = new Float64Array(L);
  const beta = new Float64Array(C);
  const sumH = new Float64Array(C);
  const effectGrad = new Float64Array(C);
  const dh = new Float64Array(T);

  function one(q: Float64Array, at: number, grad: Float64Array): number {
    grad.fill(0, at, at + layout.dim);
    let lp = 0;
    // Baseline (the intercept derived from the sampled level, as in model.ts) and its prior.
    let intercept = q[at]!;
    for (let j = 1; j < P; j++) intercept -= xMean[j]! * q[at + j]!;
    for (let c = 0; c < C; c++)
      intercept -=
        (Math.exp(q[at + layout.channel.start + c * perChannel]!) * Math.exp(logRoiToBeta[c]!)) / F;
    base[0] = intercept;
    for (let j = 1; j < P; j++) base[j] = q[at + j]!;
    for (let t = 0; t < T; t++) {
      let s = 0;
      for (let j = 0; j < P; j++) s += X[t * P + j]! * base[j]!;
      mu[t] = s;
    }
    for (let j = 0; j < P; j++) {
      const d = (base[j]! - baseMean[j]!) / baseSd[j]!;
      lp -= 0.5 * d * d;
      grad[at + j] = -d / baseSd[j]!; // d/d base_j for now; mapped to the sampled coordinates below
    }
    // Channels forward: adstock, saturation, β from the log ROI.
    for (let c = 0; c < C; c++) {
      const k = at + layout.channel.start + c * perChannel;
      const a = q[k + 1]!;
      const logLam = -softplus(-a);
      const log1m = -softplus(a);
      lp += pr.decay.a * logLam + pr.decay.b * log1m;
      let W = 0;
      for (let l = 0; l < L; l++) W += w[l] = Math.exp(l * logLam);
      const norm = normalized ? W : 1;
      const off = c * T;
      const lagOff = c * L * T;
      for (let t = 0; t < T; t++) x[off + t] = 0;
      for (let l = 0; l < L; l++) {
        const wl = w[l]! / norm;
        const row = lagOff + l * T;
        for (let t = l; t < T; t++) x[off + t]! += wl * lagged[row + t]!;
      }
      let S = 0;
      if (hill) {
        const logK = q[k + 2]!;
        const shape = Math.exp(q[k + 3]!);
        hillPrior[c] = hillLogPrior(pr, normalized ? 0 : Math.log(W), logK, q[k + 3]!);
        lp += hillPrior[c]!.lp;
        for (let t = 0; t < T; t++) {
          const zt = shape * (Math.log(x[off + t]! + TINY) - logK);
          z[off + t] = zt;
          h[off + t] = 1 / (1 + Math.exp(-zt));
        }
      } else {
        const rate = Math.exp(q[k + 2]!);
        for (let t = 0; t < T; t++) {
          const zt = 0.5 * rate * x[off + t]!;
          z[off + t] = zt;
          h[off + t] = Math.tanh(zt);
        }
      }
      for (let t = 0; t < F; t++) S += h[off + t]!;
      sumH[c] = S;
      const logBeta = q[k]! + logRoiToBeta[c]! - Math.log(S + TINY);
      const b = Math.exp(logBeta);
      beta[c] = b;
      for (let t = 0; t < T; t++) mu[t]! += b * h[off + t]!;
      const r = roi[c]!;
      const e = (q[k]! - r.mu) / r.sigma;
      lp -= 0.5 * e * e;
      effectGrad[c] = -e / r.sigma;
      if (!hill) lp -= 0.5 * (q[k + 2]! / pr.logisticRateLogSd) ** 2;
    }
    // Likelihood.
    const logNoise = q[at + layout.logNoise]!;
    const sigma = Math.exp(logNoise);
    let ss = 0;
    for (let t = 0; t < T; t++) {
      const e = t < F ? y[t]! - mu[t]! : 0;
      ss += e * e;
      gmu[t] = e / (sigma * sigma);
    }
    lp += (-0.5 * ss) / (sigma * sigma) - F * logNoise;
    lp += -0.5 * (sigma / pr.noiseSd) ** 2 + logNoise;
    grad[at + layout.logNoise] = ss / (sigma * sigma) - F - (sigma / pr.noiseSd) ** 2 + 1;
    // Backward: baseline.
    for (let t = 0; t < F; t++) {
      const g = gmu[t]!;
      for (let j = 0; j < P; j++) grad[at + j]! += g * X[t * P + j]!;
    }
    // Map d/d base to the sampled coordinates: the level carries the intercept's gradient, the other
    // coefficients and each log ROI also move the intercept.
    const gInt = grad[at]!;
    for (let j = 1; j < P; j++) grad[at + j]! -= xMean[j]! * gInt;
    // Backward: channels.
    for (let c = 0; c < C; c++) {
      const k = at + layout.channel.start + c * perChannel;
      const off = c * T;
      const b = beta[c]!;
      const S = sumH[c]!;
      let gb = 0;
      for (let t = 0; t < F; t++) gb += gmu[t]! * h[off + t]!;
      // log β = u + const − log S; the prior depends on u alone.
      grad[k] = gb * b + effectGrad[c]! - (gInt * Math.exp(q[k]! + logRoiToBeta[c]!)) / F;
      const dS = (-gb * b) / (S + TINY);
      // dL/dh_t, then through the saturation to dL/dx_t (kept in dh).
      let gA = 0;
      let gB = 0;
      if (hill) {
        const shape = Math.exp(q[k + 3]!);
        for (let t = 0; t < T; t++) {
          const ht = h[off + t]!;
          const gh = b * gmu[t]! + (t < F ? dS : 0);
          const gz = gh * ht * (1 - ht);
          gA -= shape * gz;
          gB += gz * z[off + t]!;
          dh[t] = (gz * shape) / (x[off + t]! + TINY);
        }
      } else {
        const rate = Math.exp(q[k + 2]!);
        for (let t = 0; t < T; t++) {
          const ht = h[off + t]!;
          const gh = b * gmu[t]! + (t < F ? dS : 0);
          const gz = gh * (1 - ht * ht);
          gA += gz * z[off + t]!;
          dh[t] = gz * 0.5 * rate;
        }
      }
      if (hill) {
        grad[k + 2] = gA + hillPrior[c]!.dLogK;
        grad[k + 3] = gB + hillPrior[c]!.dLogS;
      } else grad[k + 2] = gA - q[k + 2]! / pr.logisticRateLogSd ** 2;
      // Through the adstock weights to the decay's logit.
      const a = q[k + 1]!;
      const lam = 1 / (1 + Math.exp(-a));
      const logLam = -softplus(-a);
      let W = 0;
      let dW = 0;
      for (let l = 0; l < L; l++) {
        w[l] = Math.exp(l * logLam);
        dw[l] = l * w[l]! * (1 - lam); // d λ^l / d a
        W += w[l]!;
        dW += dw[l]!;
      }
      let ga = 0;
      const lagOff = c * L * T;
      let gwDotW = 0;
      for (let l = 0; l < L; l++) {
        const row = lagOff + l * T;
        let gw = 0;
        for (let t = l; t < T; t++) gw += dh[t]! * lagged[row + t]!;
        if (normalized) {
          ga += (gw * dw[l]!) / W;
          gwDotW += (gw * w[l]!) / W;
        } else ga += gw * dw[l]!;
      }
      if (normalized) ga -= (gwDotW * dW) / W;
      else if (hill) ga += hillPrior[c]!.dLogW * (dW / W); // the Hill prior reads log W
      grad[k + 1] = ga + pr.decay.a * (1 - lam) - pr.decay.b * lam;
    }
    return lp;
  }

  return (q, chains) => {
    const logp = new Float64Array(chains);
    const grad = new Float64Array(chains * layout.dim);
    for (let c = 0; c < chains; c++) {
      const v = one(q, c * layout.dim, grad);
      logp[c] = Number.isFinite(v) ? v : -Infinity;
    }
    return { logp, grad };
  };
}

function softplus(v: number): number {
  return v > 30 ? v : Math.log1p(Math.exp(v));
}
