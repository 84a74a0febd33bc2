/* eslint-disable @typescript-eslint/no-unnecessary-type-assertion -- tfjs ops return Tensor<Rank>; the casts name the rank we know */
// Posterior draws pushed through the model's forward pass, in chunks, into plain arrays: expected
// KPI, each channel's contribution, and the per-draw channel parameters the outputs need.
import { tf } from './tf.js';
import type { MmmModel } from './model.js';
import type { Design } from './design.js';
import type { Samples } from './sample.js';
import type { ChannelDraw } from './response.js';

export type PosteriorDraws = {
  /** Number of draws (chains × draws, chain-major). */
  n: number;
  chainOf: number[];
  /** mu[d][t] in KPI units. */
  mu: Float32Array[];
  /** contributions[d][c][t] in KPI units. */
  contributions: Float32Array[][];
  /** Contribution summed over the fitted periods after a 1% spend rise, per draw and channel. */
  raised: number[][];
  channels: ChannelDraw[][];
  /** weights[d][c][l]. */
  weights: number[][][];
  noise: number[];
};

const CHUNK = 500;
/** The spend rise behind marginal ROI. */
export const MARGINAL_STEP = 0.01;

export function pushForward(model: MmmModel, design: Design, samples: Samples): PosteriorDraws {
  const rows = samples.chains.flatMap((c) => c.draws);
  const chainOf = samples.chains.flatMap((c, i) => c.draws.map(() => i));
  const dim = samples.dim;
  const T = design.periods;
  const F = design.fitted;
  const out: PosteriorDraws = {
    n: rows.length,
    chainOf,
    mu: [],
    contributions: [],
    raised: [],
    channels: [],
    weights: [],
    noise: [],
  };
  const raisedLagged = tf.tidy(() => tf.tensor3d(design.lagged).mul(1 + MARGINAL_STEP)) as tf.Tensor3D;
  for (let s = 0; s < rows.length; s += CHUNK) {
    const part = rows.slice(s, s + CHUNK);
    const flat = new Float32Array(part.length * dim);
    part.forEach((r, i) => flat.set(r, i * dim));
    const [mu, contrib, beta, weights, sat, noise, raised] = tf.tidy(() => {
      const q = tf.tensor2d(flat, [part.length, dim]);
      const f = model.forward(q);
      const r = model.forward(q, raisedLagged);
      return [
        f.mu,
        f.contributions,
        f.beta,
        f.weights,
        f.saturation,
        f.noise,
        r.contributions.slice([0, 0, 0], [-1, -1, F]).sum(2),
      ].map((x) => x.mul(1));
    });
    const muA = mu!.dataSync();
    const cA = contrib!.dataSync();
    const bA = beta!.arraySync() as number[][];
    const wA = weights!.arraySync() as number[][][];
    const sA = sat!.arraySync() as number[][][];
    const nA = noise!.dataSync();
    const rA = raised!.arraySync() as number[][];
    const C = bA[0]!.length;
    const k = design.kpiScale;
    part.forEach((_, i) => {
      out.mu.push(Float32Array.from(muA.subarray(i * T, (i + 1) * T), (v) => v * k));
      out.contributions.push(
        Array.from({ length: C }, (_, c) =>
          Float32Array.from(cA.subarray((i * C + c) * T, (i * C + c + 1) * T), (v) => v * k),
        ),
      );
      out.raised.push(rA[i]!.map((v) => v * k));
      out.weights.push(wA[i]!);
      out.noise.push(nA[i]! * k);
      out.channels.push(
        bA[i]!.map((b, c) => ({
          beta: b * k,
          carry: wA[i]![c]!.reduce((a, w) => a + w, 0),
          saturation: sA[i]![c]!,
        })),
      );
    });
    [mu, contrib, beta, weights, sat, noise, raised].forEach((x) => x!.dispose());
  }
  raisedLagged.dispose();
  return out;
}
