"""Known answers for src/ml/classifiers/logistic.ts from scikit-learn's LogisticRegression.

Run: /usr/bin/python3 scripts/reference/ml_logistic.py  -> fixtures/ml/logistic-sklearn.json
Ours minimises sum(weighted log loss) + l2/2 * |w|^2 with an unpenalised intercept, which is
scikit-learn's objective with C = 1/l2 (lbfgs, tight tolerance).
"""
import json
import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression

rng = np.random.default_rng(11)
n = 300
X = rng.normal(size=(n, 4))
X[:, 3] = X[:, 3] * 5 + 2  # a column on another scale
logit = -1.0 + 1.2 * X[:, 0] - 0.7 * X[:, 1] + 0.1 * X[:, 3]
y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
cases = []
for l2, pw in [(1.0, 1.0), (10.0, 1.0), (0.01, 1.0), (1.0, 3.0)]:
    m = LogisticRegression(C=1 / l2, solver="lbfgs", tol=1e-12, max_iter=10000)
    m.fit(X, y, sample_weight=np.where(y == 1, pw, 1.0))
    cases.append({"l2": l2, "positiveWeight": pw, "intercept": float(m.intercept_[0]), "coef": [float(c) for c in m.coef_[0]]})
with open("fixtures/ml/logistic-sklearn.json", "w") as f:
    json.dump({"generator": f"scikit-learn {sklearn.__version__} via scripts/reference/ml_logistic.py", "X": X.tolist(), "y": y.tolist(), "cases": cases}, f)
    f.write("\n")
print("wrote", len(cases), "cases")
