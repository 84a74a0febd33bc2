// Post-stratification over pre-experiment strata (reference section 10): the effect estimated
// within each stratum and weighted by the stratum's share of units, so differences between strata
// (country, value segment) leave the variance. Mean and binomial metrics.
import { finish, welchDof, type Difference, type Effect } from './effect.js';
import { valueMoments, type ArmMoments, type StratumStats } from './moments.js';

type Cell = { a: ArmMoments; b: ArmMoments };

/** Strata present in both arms, by name; cells where either arm has zero variance merged into the largest. */
export function strataCells(type: 'mean' | 'binomial', a: StratumStats[], b: StratumStats[]): Cell[] {
  const byName = new Map(b.map((s) => [s.name, s]));
  type Sums = { a: StratumStats; b: StratumStats };
  const pairs: Sums[] = a.flatMap((sa) => {
    const sb = byName.get(sa.name);
    return sb && sa.n > 0 && sb.n > 0 ? [{ a: sa, b: sb }] : [];
  });
  const moments = (p: Sums): Cell => ({ a: valueMoments(type, p.a), b: valueMoments(type, p.b) });
  const good = pairs.filter((p) => moments(p).a.variance > 0 && moments(p).b.variance > 0);
  const bad = pairs.filter((p) => !good.includes(p));
  if (bad.length && good.length) {
    const largest = good.reduce((x, y) => (y.a.n + y.b.n > x.a.n + x.b.n ? y : x));
    const add = (x: StratumStats, y: StratumStats): StratumStats => ({
      name: x.name,
      n: x.n + y.n,
      sum: x.sum + y.sum,
      sumSquares: (x.sumSquares ?? 0) + (y.sumSquares ?? 0),
    });
    for (const p of bad) {
      largest.a = add(largest.a, p.a);
      largest.b = add(largest.b, p.b);
    }
  }
  return (good.length ? good : pairs).map(moments);
}

/**
 * The stratified effect; null when fewer than two usable strata remain (the ordinary analysis
 * runs). Welch's ν is that of the unstratified arms, as GrowthBook does.
 */
export function stratifiedEffect(
  cells: Cell[],
  whole: { a: ArmMoments; b: ArmMoments },
  difference: Difference,
): Effect | null {
  if (cells.length < 2) return null;
  const nk = cells.map((c) => c.a.n + c.b.n);
  const N = nk.reduce((s, n) => s + n, 0);
  const w = nk.map((n) => n / N);
  const alpha = cells.map((c) => [c.a.mean, c.b.mean - c.a.mean] as const);
  const mu = [0, 1].map((r) => alpha.reduce((s, al, k) => s + al[r]! * w[k]!, 0)) as [number, number];
  // Cov = [A(diag(w) − wwᵀ)Aᵀ + Σ_k w_k Σ_k] / N
  const cov = [
    [0, 0],
    [0, 0],
  ];
  for (let r = 0; r < 2; r++)
    for (let c = 0; c < 2; c++) {
      let between = 0;
      for (let k = 0; k < cells.length; k++) {
        between += alpha[k]![r]! * alpha[k]![c]! * w[k]!;
        for (let l = 0; l < cells.length; l++) between -= alpha[k]![r]! * w[k]! * w[l]! * alpha[l]![c]!;
      }
      const within = cells.reduce((s, cell, k) => {
        const va = (cell.a.variance * nk[k]!) / cell.a.n;
        const vb = (cell.b.variance * nk[k]!) / cell.b.n;
        const sigma = [
          [va, -va],
          [-va, va + vb],
        ];
        return s + w[k]! * sigma[r]![c]!;
      }, 0);
      cov[r]![c] = (between + within) / N;
    }
  const [m1, m2] = mu;
  const g =
    difference === 'relative' && m1 !== 0 ? [(-m2 * Math.sign(m1)) / m1 ** 2, 1 / Math.abs(m1)] : [0, 1];
  const variance = g[0]! ** 2 * cov[0]![0]! + 2 * g[0]! * g[1]! * cov[0]![1]! + g[1]! ** 2 * cov[1]![1]!;
  const effect = finish(difference, whole.a, whole.b, m1, m2, variance, null);
  if (!effect.ok) return effect;
  return { ...effect, dof: welchDof(whole.a, whole.b) };
}
