"""scikit-learn's side of `npm run bench -- propensity`: the same train/test CSVs, the same label.

Usage: /usr/bin/python3 scripts/bench/propensity_sklearn.py TRAIN.csv TEST.csv LABEL [DROP,COLUMNS] [KIND,...]
Prints JSON {version, models: [{kind, auc, fitSeconds}]}. Encoding mirrors Attune's: numeric columns
median-imputed and standardised, categorical ones one-hot. Fit times cover the model fit only
(for logistic-cv, its penalty search and refit, as Attune's logistic does).
"""
import json
import sys
import time

import numpy as np
import pandas as pd
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, LogisticRegressionCV
from sklearn.model_selection import ShuffleSplit
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

train_file, test_file, label = sys.argv[1:4]
drop = [c for c in (sys.argv[4] if len(sys.argv) > 4 else "").split(",") if c]
only = [k for k in (sys.argv[5] if len(sys.argv) > 5 else "").split(",") if k]
train = pd.read_csv(train_file).drop(columns=drop)
test = pd.read_csv(test_file).drop(columns=drop)
y_train = train.pop(label).astype(int).to_numpy()
y_test = test.pop(label).astype(int).to_numpy()
numeric = [c for c in train.columns if pd.api.types.is_numeric_dtype(train[c])]
categorical = [c for c in train.columns if c not in numeric]
prep = ColumnTransformer([
    ("num", make_pipeline(SimpleImputer(strategy="median", add_indicator=True), StandardScaler()), numeric),
    ("cat", make_pipeline(SimpleImputer(strategy="constant", fill_value="(missing)"), OneHotEncoder(handle_unknown="ignore")), categorical),
])
X_train = prep.fit_transform(train)
X_test = prep.transform(test)
if hasattr(X_train, "toarray"):
    X_train, X_test = X_train.toarray(), X_test.toarray()

models = [
    ("logistic", LogisticRegression(max_iter=1000)),
    # Attune's logistic picks its penalty among 5 on one 80/20 split, then refits: the same search here.
    ("logistic-cv", LogisticRegressionCV(Cs=5, cv=ShuffleSplit(n_splits=1, test_size=0.2, random_state=0),
                                         scoring="roc_auc", max_iter=1000)),
    ("forest", RandomForestClassifier(n_estimators=100, n_jobs=1, random_state=0)),
    ("hist-gradient-boosting", HistGradientBoostingClassifier(random_state=0)),
]
out = []
for kind, model in models:
    if only and kind not in only:
        continue
    t0 = time.perf_counter()
    model.fit(X_train, y_train)
    seconds = time.perf_counter() - t0
    p = model.predict_proba(X_test)[:, 1]
    out.append({"kind": kind, "auc": float(roc_auc_score(y_test, p)), "fitSeconds": seconds})
print(json.dumps({"version": sklearn.__version__, "models": out}))
