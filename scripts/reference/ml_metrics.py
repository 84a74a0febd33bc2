"""Known answers for src/ml/metrics from scikit-learn, written to fixtures/ml/metrics-sklearn.json.

Run: /usr/bin/python3 scripts/reference/ml_metrics.py   (Debian's python3-sklearn)
Cases cover ties in scores, rare and common positives, and probabilities at the clip limits.
"""
import json
import numpy as np
from sklearn.metrics import roc_auc_score, average_precision_score, log_loss, brier_score_loss
import sklearn

rng = np.random.default_rng(20261203)
cases = []
for i, (n, rate, ties) in enumerate([(50, 0.3, False), (200, 0.05, False), (500, 0.5, True), (1000, 0.12, True), (37, 0.6, True)]):
    y = (rng.random(n) < rate).astype(int)
    if y.sum() == 0:
        y[0] = 1
    logits = 1.5 * y + rng.normal(size=n)
    p = 1 / (1 + np.exp(-logits))
    if ties:
        p = np.round(p, 1)  # many tied scores
    p[0] = 0.0 if y[0] == 1 else p[0]  # a confident miss at the clip limit
    cases.append({
        "name": f"case{i}_n{n}_rate{rate}{'_ties' if ties else ''}",
        "y": y.tolist(),
        "p": [float(v) for v in p],
        "rocAuc": float(roc_auc_score(y, p)),
        "averagePrecision": float(average_precision_score(y, p)),
        "logLoss": float(log_loss(y, np.clip(p, 1e-15, 1 - 1e-15))),
        "brier": float(brier_score_loss(y, p)),
    })
with open("fixtures/ml/metrics-sklearn.json", "w") as f:
    json.dump({"generator": f"scikit-learn {sklearn.__version__} via scripts/reference/ml_metrics.py", "cases": cases}, f)
    f.write("\n")
print(f"wrote {len(cases)} cases")
