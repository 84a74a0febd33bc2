// CUPED for ratio metrics (reference section 7, GrowthBook's regression adjustment for ratios):
// the post-period ratio R₁ = Σm₁/Σd₁ adjusted by θ·R₀, the same ratio in the pre-period, with the
// variance of the adjusted value by the delta method over the 4×4 unit covariance of (m₁, d₁, m₀, d₀).
import { finish, type Difference, type Effect } from './effect.js';
import type { ArmMoments, SufficientStats } from './moments.js';

type Vec = [number, number, number, number];
type Mat = Vec[];

/** θ below this is no adjustment at all: the plain ratio analysis runs. */
const MIN_THETA = 1e-8;

type RatioArm = { n: number; mu: Vec; cov: Mat; sums: Vec };

function ratioArm(s: SufficientStats): RatioArm {
  const n = s.n;
  const x = s.crossProducts;
  const sums: Vec = [s.sum, s.denominatorSum ?? 0, s.covariateSum ?? 0, s.covariateDenominatorSum ?? 0];
  const squares = [
    s.sumSquares ?? 0,
    s.denominatorSumSquares ?? 0,
    s.covariateSumSquares ?? 0,
    s.covariateDenominatorSumSquares ?? 0,
  ];
  // Σ of each pair's product, indexed [i][j] over (m₁, d₁, m₀, d₀).
  const products: Mat = [
    [squares[0]!, s.sumProduct ?? 0, x?.numeratorNumeratorPre ?? 0, x?.numeratorDenominatorPre ?? 0],
    [s.sumProduct ?? 0, squares[1]!, x?.numeratorPreDenominator ?? 0, x?.denominatorDenominatorPre ?? 0],
    [
      x?.numeratorNumeratorPre ?? 0,
      x?.numeratorPreDenominator ?? 0,
      squares[2]!,
      x?.numeratorPreDenominatorPre ?? 0,
    ],
    [
      x?.numeratorDenominatorPre ?? 0,
      x?.denominatorDenominatorPre ?? 0,
      x?.numeratorPreDenominatorPre ?? 0,
      squares[3]!,
    ],
  ];
  const cov = products.map((row, i) =>
    row.map((p, j) => (n <= 1 ? 0 : (p - (sums[i]! * sums[j]!) / n) / (n - 1))),
  ) as Mat;
  return { n, mu: sums.map((v) => v / n) as Vec, cov, sums };
}

const quad = (g: Vec, m: Mat) =>
  g.reduce((acc, gi, i) => acc + gi * m[i]!.reduce((a, mij, j) => a + mij * g[j]!, 0), 0);

/** Gradient of R₁ − θ·R₀ at the arm's unit means. */
function gradient(arm: RatioArm, theta: number): Vec {
  const [m1, d1, m0, d0] = arm.mu;
  return [1 / d1, -m1 / d1 ** 2, -theta / d0, (theta * m0) / d0 ** 2];
}

/** θ = Σ Cov(R₁, R₀) / Σ Var(R₀), unit quantities summed over the two arms (not n-weighted). */
export function ratioTheta(a: RatioArm, b: RatioArm): number {
  let cov = 0;
  let varPre = 0;
  for (const arm of [a, b]) {
    const g = gradient(arm, 1);
    const post: Vec = [g[0], g[1], 0, 0];
    const pre: Vec = [0, 0, g[2], g[3]];
    // g₀ᵀΛ₀₁g₁ and g₀ᵀΛ₀₀g₀ through the full matrix with the other half zeroed.
    const cross = (quad([g[0], g[1], g[2], g[3]], arm.cov) - quad(post, arm.cov) - quad(pre, arm.cov)) / 2;
    cov -= cross;
    varPre += quad(pre, arm.cov);
  }
  return varPre > 0 ? cov / varPre : 0;
}

/** The adjusted comparison, or null when θ is negligible (the caller runs the plain ratio analysis). */
export function ratioCupedEffect(
  sa: SufficientStats,
  sb: SufficientStats,
  difference: Difference,
): Effect | null {
  const a = ratioArm(sa);
  const b = ratioArm(sb);
  if ([a, b].some((arm) => arm.mu[1] === 0 || arm.mu[3] === 0)) return null;
  const theta = ratioTheta(a, b);
  if (!Number.isFinite(theta) || Math.abs(theta) < MIN_THETA) return null;
  const adjusted = (arm: RatioArm) => arm.sums[0] / arm.sums[1] - (theta * arm.sums[2]) / arm.sums[3];
  const ga = gradient(a, theta);
  const gb = gradient(b, theta);
  const ma: ArmMoments = { n: a.n, mean: adjusted(a), variance: quad(ga, a.cov) };
  const mb: ArmMoments = { n: b.n, mean: adjusted(b), variance: quad(gb, b.cov) };
  const control = a.sums[0] / a.sums[1]; // the unadjusted control ratio B
  const diff = mb.mean - ma.mean;
  let variance: number;
  if (difference === 'absolute' || control === 0) variance = ma.variance / a.n + mb.variance / b.n;
  else {
    const absB = Math.abs(control);
    const d = diff * Math.sign(control);
    const [m1, d1, m0, d0] = a.mu;
    const ha: Vec = [
      -(absB + d) / (d1 * control ** 2),
      (m1 * (absB + d)) / (d1 ** 2 * control ** 2),
      theta / (d0 * absB),
      -(theta * m0) / (d0 ** 2 * absB),
    ];
    const hb = gb.map((g) => g / absB) as Vec;
    variance = quad(ha, a.cov) / a.n + quad(hb, b.cov) / b.n;
  }
  return finish(difference, ma, mb, control, diff, variance, theta);
}
