"""Known answers for src/ml/calibration from scikit-learn, written to fixtures/ml/calibration-sklearn.json.

Run: /usr/bin/python3 scripts/reference/ml_calibration.py   (Debian's python3-sklearn)
Platt: sklearn.calibration._sigmoid_calibration on logit(p) (Platt's smoothed targets; sklearn's
P = 1/(1 + exp(A·f + B)), so Attune's a = -A, b = -B). Isotonic: IsotonicRegression with
out_of_bounds="clip", predicted on a grid (linear interpolation between its thresholds).
Cases: overconfident scores, underconfident scores, tied scores.
"""
import json
import numpy as np
import sklearn
from sklearn.calibration import _sigmoid_calibration
from sklearn.isotonic import IsotonicRegression

rng = np.random.default_rng(20261203)
cases = []
for i, (n, scale, ties) in enumerate([(400, 2.5, False), (300, 0.4, False), (500, 1.0, True)]):
    true_logit = rng.normal(-1.0, 1.2, size=n)
    y = (rng.random(n) < 1 / (1 + np.exp(-true_logit))).astype(int)
    p = 1 / (1 + np.exp(-(scale * true_logit + 0.3)))  # miscalibrated scores of the right ranking
    if ties:
        p = np.round(p, 2)
    p = np.clip(p, 1e-6, 1 - 1e-6)
    f = np.log(p / (1 - p))
    A, B = _sigmoid_calibration(f, y)
    iso = IsotonicRegression(out_of_bounds="clip").fit(p, y)
    grid = np.linspace(0.0, 1.0, 41)
    cases.append({
        "name": f"case{i}_n{n}_scale{scale}{'_ties' if ties else ''}",
        "y": y.tolist(),
        "p": [float(v) for v in p],
        "platt": {"a": float(-A), "b": float(-B)},
        "grid": [float(g) for g in grid],
        "isotonic": [float(v) for v in iso.predict(grid)],
    })
print(json.dumps({"sklearn": sklearn.__version__, "cases": cases}, indent=None), file=open("fixtures/ml/calibration-sklearn.json", "w"))
print(f"wrote {len(cases)} cases with scikit-learn {sklearn.__version__}")
