// Proper scoring rules and calibration of predicted probabilities against 0/1 labels.
import type { Labels, Scores } from './ranking.js';

const EPS = 1e-15; // sklearn clips probabilities the same way before taking logs

export function logLoss(y: Labels, p: Scores): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const q = Math.min(1 - EPS, Math.max(EPS, p[i]!));
    s -= y[i] === 1 ? Math.log(q) : Math.log(1 - q);
  }
  return s / y.length;
}

export function brier(y: Labels, p: Scores): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (p[i]! - (y[i] === 1 ? 1 : 0)) ** 2;
  return s / y.length;
}

export type ReliabilityBin = {
  from: number;
  to: number;
  count: number;
  meanPredicted: number;
  observedRate: number;
};

/**
 * Reliability curve over equal-width bins of predicted probability, and the expected calibration
 * error: Σ (n_b / n) · |observed_b − predicted_b| over non-empty bins.
 */
export function calibration(y: Labels, p: Scores, bins = 10): { bins: ReliabilityBin[]; ece: number } {
  const sums = Array.from({ length: bins }, () => ({ n: 0, p: 0, y: 0 }));
  for (let i = 0; i < y.length; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(p[i]! * bins)));
    sums[b]!.n++;
    sums[b]!.p += p[i]!;
    sums[b]!.y += y[i] === 1 ? 1 : 0;
  }
  let ece = 0;
  const out: ReliabilityBin[] = [];
  sums.forEach((s, b) => {
    if (!s.n) return;
    const meanPredicted = s.p / s.n;
    const observedRate = s.y / s.n;
    ece += (s.n / y.length) * Math.abs(observedRate - meanPredicted);
    out.push({ from: b / bins, to: (b + 1) / bins, count: s.n, meanPredicted, observedRate });
  });
  return { bins: out, ece };
}
