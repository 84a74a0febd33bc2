"""Known answers for Attune's stats engine and drift tests, computed independently with SciPy.

Run: python3 scripts/reference/stats_reference.py  (SciPy >= 1.11, NumPy)
Writes fixtures/stats/reference.json. The TypeScript tests compare against that file and never
need Python. Where SciPy has the quantity (Welch's t, KS, chi-square, Wasserstein, JS distance,
BH), SciPy computes it; the rest follows the formulas of docs' reference conventions, with risk by
numerical integration and one-sided sequential p-values by root finding, not closed forms.
"""
import json
import math
import pathlib

import numpy as np
from scipy import integrate, optimize, stats
from scipy.spatial.distance import jensenshannon

rng = np.random.default_rng(20261123)
OUT = pathlib.Path(__file__).resolve().parents[2] / "fixtures" / "stats" / "reference.json"


def suff(y, x=None):
    y = np.asarray(y, dtype=float)
    d = {"n": int(len(y)), "sum": float(y.sum()), "sumSquares": float((y * y).sum())}
    if x is not None:
        x = np.asarray(x, dtype=float)
        d.update(covariateSum=float(x.sum()), covariateSumSquares=float((x * x).sum()), covariateSumProduct=float((x * y).sum()))
    return d


def welch_parts(ma, va, na, mb, vb, nb, relative):
    Va, Vb = va / na, vb / nb
    dof = (Va + Vb) ** 2 / (Vb ** 2 / (nb - 1) + Va ** 2 / (na - 1))
    if relative:
        est = (mb - ma) / abs(ma)
        var = Vb / ma ** 2 + Va * mb ** 2 / ma ** 4
    else:
        est, var = mb - ma, Va + Vb
    return est, math.sqrt(var), dof


def freq(est, se, dof, alpha=0.05, test="two-sided"):
    t = est / se
    if test == "two-sided":
        q = stats.t.ppf(1 - alpha / 2, dof)
        return {"estimate": est, "se": se, "dof": dof, "ciLower": est - q * se, "ciUpper": est + q * se, "pValue": 2 * stats.t.sf(abs(t), dof)}
    q = stats.t.ppf(1 - alpha, dof)
    if test == "greater":
        return {"estimate": est, "se": se, "dof": dof, "ciLower": est - q * se, "ciUpper": None, "pValue": stats.t.sf(t, dof)}
    return {"estimate": est, "se": se, "dof": dof, "ciLower": None, "ciUpper": est + q * se, "pValue": stats.t.cdf(t, dof)}


def request(metric, variations, **analysis):
    return {"metric": {"type": metric, "inverse": analysis.pop("inverse", False)}, "analysis": analysis, "variations": variations}


cases = []

# 1. A textbook Welch example (Wikipedia "Welch's t-test", example 1: t = -2.46, df = 24.99, p = 0.021),
#    control = A1, treatment = A2, computed by SciPy including its CI.
A1 = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4]
A2 = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4]
for test, alt in (("two-sided", "two-sided"), ("greater", "greater"), ("less", "less")):
    r = stats.ttest_ind(A2, A1, equal_var=False, alternative=alt)
    ci = r.confidence_interval(0.95)
    est = float(np.mean(A2) - np.mean(A1))
    cases.append({"name": f"welch textbook {test}", "published": {"t": 2.46, "dof": 24.99, "pTwoSided": 0.021} if test == "two-sided" else None,
                  "request": request("mean", [{"name": "A1", **suff(A1)}, {"name": "A2", **suff(A2)}], difference="absolute", test=test),
                  "expected": {"estimate": est, "se": est / r.statistic, "dof": float(r.df), "pValue": float(r.pvalue),
                               "ciLower": None if math.isinf(ci.low) else float(ci.low), "ciUpper": None if math.isinf(ci.high) else float(ci.high)}})

# 2. Relative lift (delta method) for a mean and a binomial metric, and a negative control mean.
ya = rng.gamma(2.0, 20.0, 3407); yb = rng.gamma(2.1, 20.0, 3351)
est, se, dof = welch_parts(ya.mean(), ya.var(ddof=1), len(ya), yb.mean(), yb.var(ddof=1), len(yb), True)
cases.append({"name": "relative mean", "request": request("mean", [{"name": "control", **suff(ya)}, {"name": "b", **suff(yb)}]), "expected": freq(est, se, dof)})
yneg_a = rng.normal(-5, 3, 800); yneg_b = rng.normal(-4.6, 3, 820)
est, se, dof = welch_parts(yneg_a.mean(), yneg_a.var(ddof=1), 800, yneg_b.mean(), yneg_b.var(ddof=1), 820, True)
cases.append({"name": "relative with negative control mean", "request": request("mean", [{"name": "control", **suff(yneg_a)}, {"name": "b", **suff(yneg_b)}]), "expected": freq(est, se, dof)})
pa, na, pb, nb = 410 / 5000, 5000, 468 / 5010, 5010
for diff in ("relative", "absolute"):
    est, se, dof = welch_parts(pa, pa * (1 - pa), na, pb, pb * (1 - pb), nb, diff == "relative")
    cases.append({"name": f"binomial {diff}", "request": request("binomial", [{"name": "control", "n": na, "sum": 410}, {"name": "b", "n": nb, "sum": 468}], difference=diff),
                  "expected": freq(est, se, dof)})
    for test in ("greater", "less"):
        cases.append({"name": f"binomial {diff} {test}", "request": request("binomial", [{"name": "control", "n": na, "sum": 410}, {"name": "b", "n": nb, "sum": 468}], difference=diff, test=test, alpha=0.1),
                      "expected": freq(est, se, dof, 0.1, test)})

# 3. Sequential confidence sequences (Waudby-Smith et al.), one-sided p by root finding.
def seq(est, se, N, alpha, tuning, test):
    s2 = se ** 2 * N
    if test == "two-sided":
        rho = math.sqrt((-2 * math.log(alpha) + math.log(1 - 2 * math.log(alpha))) / tuning)
        A = N * rho ** 2 + 1
        h = math.sqrt(s2) * math.sqrt(2 * A / (N ** 2 * rho ** 2) * math.log(math.sqrt(A) / alpha))
        E = math.exp(rho ** 2 * N * est ** 2 / se ** 2 / (2 * A)) / math.sqrt(A)
        return {"estimate": est, "se": se, "ciLower": est - h, "ciUpper": est + h, "pValue": min(1.0, 1 / E)}
    a2 = 2 * alpha
    rho = math.sqrt((-2 * math.log(a2) + math.log(1 - 2 * math.log(a2))) / tuning)
    A = N * rho ** 2 + 1
    half = lambda a: math.sqrt(s2 * 2 * A / (N ** 2 * rho ** 2) * math.log(1 + math.sqrt(A) / (2 * a)))
    sign = 1 if test == "greater" else -1
    bound = lambda a: sign * est - half(a)  # > 0 when the bound excludes 0
    if bound(1e-5) > 0:
        p = 1e-5
    elif bound(0.4999) < 0:
        p = 0.4999
    else:
        p = optimize.brentq(bound, 1e-5, 0.4999, xtol=1e-15, rtol=1e-14)
    h = half(alpha)
    return {"estimate": est, "se": se, "ciLower": est - h if test == "greater" else None, "ciUpper": est + h if test == "less" else None, "pValue": p}

for test, tuning, alpha in (("two-sided", 5000, 0.05), ("two-sided", 20000, 0.1), ("greater", 5000, 0.05), ("less", 5000, 0.05)):
    est, se, dof = welch_parts(pa, pa * (1 - pa), na, pb, pb * (1 - pb), nb, True)
    cases.append({"name": f"sequential {test} tuning {tuning}", "request": request("binomial", [{"name": "control", "n": na, "sum": 410}, {"name": "b", "n": nb, "sum": 468}], sequential={"tuning": tuning}, test=test, alpha=alpha),
                  "expected": seq(est, se, na + nb, alpha, tuning, test)})
# A strong effect: the one-sided p sits on its floor; a weak one between the clamps.
est, se, dof = welch_parts(0.08, 0.08 * 0.92, 20000, 0.1, 0.09, 20000, True)
cases.append({"name": "sequential greater strong", "request": request("binomial", [{"name": "control", "n": 20000, "sum": 1600}, {"name": "b", "n": 20000, "sum": 2000}], sequential={"tuning": 5000}, test="greater"),
              "expected": seq(est, se, 40000, 0.05, 5000, "greater")})

# 4. Bayesian: conjugate normal posterior, risk by numerical integration.
def bayes(est, se, control_mean, prior, difference, alpha, inverse):
    tau, m = 1 / se ** 2, est
    if prior:
        scale = abs(control_mean) if difference == "absolute" else 1
        mu0, var0 = prior["mean"] * scale, (prior["stddev"] * scale) ** 2
        tau = 1 / se ** 2 + 1 / var0
        m = (est / se ** 2 + mu0 / var0) / tau
    sd = tau ** -0.5
    pdf = lambda x: stats.norm.pdf(x, m, sd)
    lo, hi = m - 40 * sd, m + 40 * sd
    gain = integrate.quad(lambda x: x * pdf(x), 0, max(hi, 0), points=[m] if 0 < m < hi else None, epsabs=1e-14, limit=200)[0] if hi > 0 else 0.0
    loss = integrate.quad(lambda x: -x * pdf(x), min(lo, 0), 0, points=[m] if lo < m < 0 else None, epsabs=1e-14, limit=200)[0] if lo < 0 else 0.0
    ctw = stats.norm.sf(0, m, sd)
    risk = {"control": gain, "variation": loss}
    if inverse:
        ctw, risk = 1 - ctw, {"control": loss, "variation": gain}
    # se is the posterior's standard deviation: with a proper prior, narrower than the data's.
    return {"estimate": m, "se": sd, "ciLower": stats.norm.ppf(alpha / 2, m, sd), "ciUpper": stats.norm.ppf(1 - alpha / 2, m, sd), "chanceToWin": ctw, "risk": risk}

for diff in ("relative", "absolute"):
    for prior in (None, {"mean": 0, "stddev": 0.3}, {"mean": 0.05, "stddev": 0.1}):
        for inverse in (False, True):
            est, se, dof = welch_parts(ya.mean(), ya.var(ddof=1), len(ya), yb.mean(), yb.var(ddof=1), len(yb), diff == "relative")
            cases.append({"name": f"bayesian {diff} prior {prior} inverse {inverse}",
                          "request": request("mean", [{"name": "control", **suff(ya)}, {"name": "b", **suff(yb)}], engine="bayesian", difference=diff, prior=prior, inverse=inverse),
                          "expected": bayes(est, se, ya.mean(), prior, diff, 0.05, inverse)})

# 5. CUPED, absolute: Welch's test on the per-unit adjusted values y − θx (θ from the pooled sample).
x_a = rng.normal(50, 15, 2000); y_a = 0.8 * x_a + rng.normal(0, 10, 2000)
x_b = rng.normal(50, 15, 2100); y_b = 0.8 * x_b + rng.normal(1.5, 10, 2100)
X, Y = np.concatenate([x_a, x_b]), np.concatenate([y_a, y_b])
theta = np.cov(X, Y, ddof=1)[0, 1] / np.var(X, ddof=1)
r = stats.ttest_ind(y_b - theta * x_b, y_a - theta * x_a, equal_var=False)
ci = r.confidence_interval(0.95)
est = float((y_b - theta * x_b).mean() - (y_a - theta * x_a).mean())
cupeds = [{"name": "control", **suff(y_a, x_a)}, {"name": "b", **suff(y_b, x_b)}]
cases.append({"name": "cuped absolute", "request": request("mean", cupeds, cuped=True, difference="absolute"),
              "expected": {"estimate": est, "se": est / r.statistic, "dof": float(r.df), "pValue": float(r.pvalue), "ciLower": float(ci.low), "ciUpper": float(ci.high), "cupedTheta": float(theta)}})
# CUPED relative (reference formula, written out here from raw data).
sa_y, sb_y, sa_x = np.var(y_a, ddof=1), np.var(y_b, ddof=1), np.var(x_a, ddof=1)
c_a = np.cov(x_a, y_a, ddof=1)[0, 1]
adj_b = np.var(y_b - theta * x_b, ddof=1); adj_a = np.var(y_a - theta * x_a, ddof=1)
ma, mb = y_a.mean(), y_b.mean()
est = ((y_b - theta * x_b).mean() - (y_a - theta * x_a).mean()) / abs(ma)
var = adj_b / (len(y_b) * ma ** 2) + (sa_y * mb ** 2 / ma ** 2 - 2 * theta * c_a * mb / ma + theta ** 2 * sa_x) / (len(y_a) * ma ** 2)
Va, Vb = adj_a / len(y_a), adj_b / len(y_b)
dof = (Va + Vb) ** 2 / (Vb ** 2 / (len(y_b) - 1) + Va ** 2 / (len(y_a) - 1))
cases.append({"name": "cuped relative", "request": request("mean", cupeds, cuped=True), "expected": {**freq(est, math.sqrt(var), dof), "cupedTheta": float(theta)}})

# 6. Ratio metric (revenue per order, users randomised): delta method from the raw per-user arrays.
def ratio_arm(n, orders_mean, value):
    d = rng.poisson(orders_mean, n).astype(float)
    m = np.array([rng.gamma(3, value / 3, int(k)).sum() for k in d])
    return m, d
m_a, d_a = ratio_arm(3000, 1.2, 40.0); m_b, d_b = ratio_arm(3100, 1.2, 43.0)
def ratio_moments(m, d):
    n = len(m); mu_m, mu_d = m.mean(), d.mean()
    C = np.cov(m, d, ddof=1)
    v = C[0, 0] / mu_d ** 2 + C[1, 1] * mu_m ** 2 / mu_d ** 4 - 2 * C[0, 1] * mu_m / mu_d ** 3
    return m.sum() / d.sum(), v, n
(Ra, va, nA), (Rb, vb, nB) = ratio_moments(m_a, d_a), ratio_moments(m_b, d_b)
rsuff = lambda m, d: {"n": len(m), "sum": float(m.sum()), "sumSquares": float((m * m).sum()), "denominatorSum": float(d.sum()), "denominatorSumSquares": float((d * d).sum()), "sumProduct": float((m * d).sum())}
for diff in ("relative", "absolute"):
    est, se, dof = welch_parts(Ra, va, nA, Rb, vb, nB, diff == "relative")
    cases.append({"name": f"ratio {diff}", "request": request("ratio", [{"name": "control", **rsuff(m_a, d_a)}, {"name": "b", **rsuff(m_b, d_b)}], difference=diff),
                  "expected": {**freq(est, se, dof), "controlMean": Ra}})

# 7. SRM: chi-square goodness of fit (SciPy).
srm = []
for counts, weights in (([5000, 5100], [0.5, 0.5]), ([4980, 4000], [0.5, 0.5]), ([3300, 3350, 3250], [1, 1, 1]), ([1000, 2100, 950], [0.25, 0.5, 0.25]), ([500, 0, 520], [0.5, 0, 0.5])):
    kept = [(c, w) for c, w in zip(counts, weights) if w > 0]
    total, tw = sum(c for c, _ in kept), sum(w for _, w in kept)
    res = stats.chisquare([c for c, _ in kept], [w / tw * total for _, w in kept])
    srm.append({"counts": counts, "weights": weights, "chiSquare": float(res.statistic), "pValue": float(res.pvalue)})

# 8. Multiple testing: Benjamini & Hochberg (1995)'s 15 p-values; BH by SciPy, Holm written out.
bh_p = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000]
order = np.argsort(bh_p); m = len(bh_p); holm = np.empty(m); run = 0.0
for rank, i in enumerate(order):
    run = max(run, min(1.0, (m - rank) * bh_p[i])); holm[i] = run
correction = {"pValues": bh_p, "bh": [float(v) for v in stats.false_discovery_control(bh_p, method="bh")], "holm": [float(v) for v in holm]}

# 9. Drift tests.
def psi_evidently(ref, cur, bins):
    rp = np.histogram(ref, bins)[0] / len(ref); cp = np.histogram(cur, bins)[0] / len(cur)
    rp = np.where(rp == 0, 1e-4, rp); cp = np.where(cp == 0, 1e-4, cp)
    return float(np.sum((rp - cp) * np.log(rp / cp))), rp, cp

drift = []
def numeric_case(name, ref, cur):
    ref = np.asarray(ref, float); cur = np.asarray(cur, float)
    ks = stats.ks_2samp(ref, cur)
    edges = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
    psi, rp, cp = psi_evidently(ref, cur, edges)
    drift.append({"name": name, "type": "numeric", "reference": ref.tolist(), "current": cur.tolist(),
                  "ks": {"statistic": float(ks.statistic), "pValue": float(ks.pvalue)},
                  "wasserstein": {"distance": float(stats.wasserstein_distance(ref, cur)), "normalized": float(stats.wasserstein_distance(ref, cur) / max(np.std(ref), 0.001))},
                  "psi": {"value": psi, "bins": len(edges) - 1},
                  "jensenShannon": {"distance": float(jensenshannon(np.histogram(ref, edges)[0] / len(ref), np.histogram(cur, edges)[0] / len(cur)))}})
    q_edges = np.concatenate([[-np.inf], np.quantile(ref, np.arange(1, 10) / 10), [np.inf]])
    if len(np.unique(q_edges)) == len(q_edges):
        drift[-1]["psiQuantile"] = {"value": psi_evidently(ref, cur, q_edges)[0], "bins": 10}

numeric_case("small exact unequal n", rng.normal(0, 1, 30).round(4), rng.normal(0.6, 1, 45).round(4))
numeric_case("equal n exact", rng.normal(0, 1, 50).round(4), rng.normal(0.3, 1.2, 50).round(4))
numeric_case("ties", rng.poisson(3, 200).astype(float), rng.poisson(3.4, 260).astype(float))
numeric_case("large asymptotic", rng.normal(0, 1, 12000).round(5), rng.normal(0.03, 1, 15000).round(5))
numeric_case("no drift", rng.exponential(2, 400).round(4), rng.exponential(2, 500).round(4))

def categorical_case(name, ref, cur):
    cats = sorted(set(ref) | set(cur))
    rc = np.array([ref.count(c) for c in cats], float); cc = np.array([cur.count(c) for c in cats], float)
    chi = stats.chi2_contingency(np.array([rc, cc]), correction=False)
    rp = np.where(rc == 0, 1e-4, rc / len(ref)); cp = np.where(cc == 0, 1e-4, cc / len(cur))
    out = {"name": name, "type": "categorical", "reference": ref, "current": cur,
           "chiSquare": {"statistic": float(chi.statistic), "pValue": float(chi.pvalue), "dof": int(chi.dof)},
           "psi": {"value": float(np.sum((rp - cp) * np.log(rp / cp))), "bins": len(cats)},
           "jensenShannon": {"distance": float(jensenshannon(rc / len(ref), cc / len(cur)))}}
    if len(cats) == 2:
        p1, p2 = cc[0] / len(cur), rc[0] / len(ref)
        p = (cc[0] + rc[0]) / (len(cur) + len(ref))
        z = (p1 - p2) / math.sqrt(p * (1 - p) * (1 / len(cur) + 1 / len(ref)))
        out["zTest"] = {"statistic": abs(float(z)), "pValue": float(2 * stats.norm.sf(abs(z)))}
    drift.append(out)

channels = ["email", "search", "social", "display"]
categorical_case("channels shift", list(rng.choice(channels, 600, p=[0.4, 0.3, 0.2, 0.1])), list(rng.choice(channels, 700, p=[0.3, 0.3, 0.3, 0.1])))
categorical_case("new category only in current", list(rng.choice(channels[:3], 500)), list(rng.choice(channels, 500)))
categorical_case("two categories", list(rng.choice(["web", "app"], 800, p=[0.6, 0.4])), list(rng.choice(["web", "app"], 900, p=[0.52, 0.48])))

kolmogorov = [{"n": n, "x": x, "sf": float(stats.kstwo.sf(x, n))} for n, x in
              ((500, 0.03), (500, 0.05), (500, 0.08), (100, 0.12), (100, 0.3), (100, 0.6), (200000, 0.002), (200000, 0.003), (200000, 0.0045), (1000, 0.01), (3000, 0.004))]


# 9. The newer metric kinds, from their own generator so that the cases above keep their data.
rng2 = np.random.default_rng(20261202)

# 9a. CUPED for ratio metrics (section 7), written out from the raw per-user arrays with NumPy's
#     covariance matrix: revenue per order after, adjusted by revenue per order before.
def ratio_users(n, lift):
    activity = rng2.gamma(2.0, 0.6, n)
    d0 = rng2.poisson(activity).astype(float) + 1
    d1 = rng2.poisson(activity).astype(float) + 1
    taste = rng2.normal(40, 8, n)
    m0 = np.array([rng2.normal(t, 6, int(k)).sum() for t, k in zip(taste, d0)])
    m1 = np.array([rng2.normal(t * (1 + lift), 6, int(k)).sum() for t, k in zip(taste, d1)])
    return m1, d1, m0, d0
arms_r = [ratio_users(2500, 0.0), ratio_users(2600, 0.03)]
def rcsuff(m1, d1, m0, d0):
    return {"n": len(m1), "sum": float(m1.sum()), "sumSquares": float((m1 * m1).sum()), "denominatorSum": float(d1.sum()),
            "denominatorSumSquares": float((d1 * d1).sum()), "sumProduct": float((m1 * d1).sum()),
            "covariateSum": float(m0.sum()), "covariateSumSquares": float((m0 * m0).sum()),
            "covariateDenominatorSum": float(d0.sum()), "covariateDenominatorSumSquares": float((d0 * d0).sum()),
            "crossProducts": {"numeratorNumeratorPre": float((m1 * m0).sum()), "denominatorDenominatorPre": float((d1 * d0).sum()),
                              "numeratorPreDenominatorPre": float((m0 * d0).sum()), "numeratorDenominatorPre": float((m1 * d0).sum()),
                              "numeratorPreDenominator": float((m0 * d1).sum())}}
def grad(mu, theta):
    m1, d1, m0, d0 = mu
    return np.array([1 / d1, -m1 / d1 ** 2, -theta / d0, theta * m0 / d0 ** 2])
parts = []
for m1, d1, m0, d0 in arms_r:
    V = np.vstack([m1, d1, m0, d0])
    parts.append({"n": V.shape[1], "mu": V.mean(axis=1), "L": np.cov(V, ddof=1), "sums": V.sum(axis=1)})
num = den = 0.0
for a in parts:
    g = grad(a["mu"], 1.0)
    g1, g0 = g[:2], g[2:]
    num += -(g0 @ a["L"][2:, :2] @ g1)  # Cov(R1, R0), with R0's gradient = -g0
    den += g0 @ a["L"][2:, 2:] @ g0
theta_r = num / den
adj = [a["sums"][0] / a["sums"][1] - theta_r * a["sums"][2] / a["sums"][3] for a in parts]
unit_var = [grad(a["mu"], theta_r) @ a["L"] @ grad(a["mu"], theta_r) for a in parts]
A, B_ = parts
Va, Vb = unit_var[0] / A["n"], unit_var[1] / B_["n"]
dof_r = (Va + Vb) ** 2 / (Vb ** 2 / (B_["n"] - 1) + Va ** 2 / (A["n"] - 1))
cr_req = [{"name": "control", **rcsuff(*arms_r[0])}, {"name": "b", **rcsuff(*arms_r[1])}]
cases.append({"name": "cuped ratio absolute", "request": request("ratio", cr_req, cuped=True, difference="absolute"),
              "expected": {**freq(adj[1] - adj[0], math.sqrt(Va + Vb), dof_r), "cupedTheta": theta_r}})
Bc = A["sums"][0] / A["sums"][1]; D = (adj[1] - adj[0]) * np.sign(Bc)
m1a, d1a, m0a, d0a = A["mu"]
ha = np.array([-(abs(Bc) + D) / (d1a * Bc ** 2), m1a * (abs(Bc) + D) / (d1a ** 2 * Bc ** 2), theta_r / (d0a * abs(Bc)), -theta_r * m0a / (d0a ** 2 * abs(Bc))])
hb = grad(B_["mu"], theta_r) / abs(Bc)
var_rel = ha @ A["L"] @ ha / A["n"] + hb @ B_["L"] @ hb / B_["n"]
cases.append({"name": "cuped ratio relative", "request": request("ratio", cr_req, cuped=True),
              "expected": {**freq((adj[1] - adj[0]) / abs(Bc), math.sqrt(var_rel), dof_r), "cupedTheta": theta_r, "controlMean": Bc}})

# 9b. Quantile metric (section 1): P90 of order values, the bounds from the order statistics at the
#     ranks n·ν ∓ 1.96·√(n·ν(1 − ν)) (the way the SQL takes them), variance from the bounds' width.
def quantile_arm(n, mu, sigma, level):
    x = np.sort(rng2.lognormal(mu, sigma, n))
    z = stats.norm.ppf(0.975)
    half = z * math.sqrt(n * level * (1 - level))
    lo, hi = int(math.floor(n * level - half)), int(math.ceil(n * level + half))
    return {"n": n, "nStar": n, "quantile": float(np.quantile(x, level, method="inverted_cdf")),
            "quantileLower": float(x[max(lo, 1) - 1]), "quantileUpper": float(x[min(hi, n) - 1])}
def quantile_var(a, level):
    z = stats.norm.ppf(0.975)
    s0 = a["nStar"] / a["n"] * (a["n"] - 1) * ((a["quantileUpper"] - a["quantileLower"]) / (2 * z)) ** 2
    return s0 if a["n"] < 100 else max(s0, 1e-5)
for level, (na, nb) in ((0.9, (4000, 4200)), (0.5, (900, 950))):
    qa, qb = quantile_arm(na, 3.4, 0.6, level), quantile_arm(nb, 3.45, 0.6, level)
    for diff in ("relative", "absolute"):
        est, se, dof = welch_parts(qa["quantile"], quantile_var(qa, level), na, qb["quantile"], quantile_var(qb, level), nb, diff == "relative")
        cases.append({"name": f"quantile P{int(level * 100)} {diff}",
                      "request": {"metric": {"type": "quantile", "level": level}, "analysis": {"difference": diff},
                                  "variations": [{"name": "control", **qa}, {"name": "b", **qb}]},
                      "expected": {**freq(est, se, dof), "controlMean": qa["quantile"]}})

# 9c. Post-stratification (section 10): three pre-experiment strata of different order values,
#     the stratified mean and covariance written out with NumPy.
strata_def = [("budget", 0.45, 20.0), ("regular", 0.4, 45.0), ("premium", 0.15, 110.0)]
def strat_arm(n, lift):
    sizes = rng2.multinomial(n, [p for _, p, _ in strata_def])
    return [(name, rng2.normal(mean * (1 + lift), mean * 0.5, k)) for (name, _, mean), k in zip(strata_def, sizes)]
sa_, sb_ = strat_arm(3000, 0.0), strat_arm(3100, 0.04)
def strat_req(arm):
    y = np.concatenate([v for _, v in arm])
    return {**suff(y), "strata": [{"name": nm, "n": len(v), "sum": float(v.sum()), "sumSquares": float((v * v).sum())} for nm, v in arm]}
K = len(strata_def)
nk = np.array([len(a) + len(b) for (_, a), (_, b) in zip(sa_, sb_)], dtype=float); N = nk.sum(); w = nk / N
Amat = np.array([[a.mean() for _, a in sa_], [b.mean() - a.mean() for (_, a), (_, b) in zip(sa_, sb_)]])
Sig = np.zeros((2, 2))
for k, ((_, a), (_, b)) in enumerate(zip(sa_, sb_)):
    va_k, vb_k = a.var(ddof=1) * nk[k] / len(a), b.var(ddof=1) * nk[k] / len(b)
    Sig += w[k] * np.array([[va_k, -va_k], [-va_k, va_k + vb_k]])
mu_s = Amat @ w
Cov_s = (Amat @ (np.diag(w) - np.outer(w, w)) @ Amat.T + Sig) / N
ya_all, yb_all = np.concatenate([v for _, v in sa_]), np.concatenate([v for _, v in sb_])
_, _, dof_s = welch_parts(ya_all.mean(), ya_all.var(ddof=1), len(ya_all), yb_all.mean(), yb_all.var(ddof=1), len(yb_all), False)
plain_rel = welch_parts(ya_all.mean(), ya_all.var(ddof=1), len(ya_all), yb_all.mean(), yb_all.var(ddof=1), len(yb_all), True)
plain_abs = welch_parts(ya_all.mean(), ya_all.var(ddof=1), len(ya_all), yb_all.mean(), yb_all.var(ddof=1), len(yb_all), False)
st_req = [{"name": "control", **strat_req(sa_)}, {"name": "b", **strat_req(sb_)}]
g_rel = np.array([-mu_s[1] / mu_s[0] ** 2, 1 / mu_s[0]]); g_abs = np.array([0.0, 1.0])
for diff, g, est, plain in (("relative", g_rel, mu_s[1] / abs(mu_s[0]), plain_rel), ("absolute", g_abs, mu_s[1], plain_abs)):
    se = math.sqrt(g @ Cov_s @ g)
    cases.append({"name": f"post-stratified {diff}", "request": request("mean", st_req, difference=diff),
                  "expected": {**freq(est, se, dof_s), "varianceReduction": 1 - se ** 2 / plain[1] ** 2}})

def clean(o):
    if isinstance(o, dict): return {k: clean(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)): return [clean(v) for v in o]
    if isinstance(o, (np.floating,)): return float(o)
    if isinstance(o, (np.integer,)): return int(o)
    if isinstance(o, np.str_): return str(o)
    return o

OUT.parent.mkdir(parents=True, exist_ok=True)
OUT.write_text(json.dumps(clean({"generatedBy": "scripts/reference/stats_reference.py", "scipy": __import__("scipy").__version__, "cases": cases, "srm": srm, "correction": correction, "drift": drift, "kolmogorov": kolmogorov}), indent=1) + "\n")
print(f"wrote {OUT} ({len(cases)} engine cases, {len(srm)} SRM, {len(drift)} drift)")
