"""External check on any tabular churn file (`python -m scoring benchmark --csv PATH --target COLUMN ...`).

The same model family as the bank model (`scoring.model.make_booster`, same parameters) under stratified k-fold
cross-validation, with a logistic-regression baseline for scale. Text columns become categorical features (the
booster's native categorical support); integer columns with 3-5 distinct values are treated as categorical too
(product counts behave like categories, not quantities). No resampling anywhere: folds see the data as it is.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from scoring.model import make_booster, one_thread

TRUE_WORDS = {"1", "yes", "y", "true", "t", "churn", "churned", "exited"}
MAX_CATEGORIES = 250  # the booster bins categories into at most 255 bins; more looks like an identifier


@dataclass
class Table:
    X: np.ndarray
    y: np.ndarray
    columns: list[str]
    categorical: np.ndarray  # bool per column
    dropped: list[str]


@dataclass
class CvResult:
    model: str
    roc_auc: list[float]
    pr_auc: list[float]

    @property
    def roc_mean(self) -> float:
        return float(np.mean(self.roc_auc))

    @property
    def roc_std(self) -> float:
        return float(np.std(self.roc_auc))

    @property
    def pr_mean(self) -> float:
        return float(np.mean(self.pr_auc))

    def line(self) -> str:
        return (
            f"{self.model:<7} ROC AUC {self.roc_mean:.4f} ± {self.roc_std:.4f}   PR AUC {self.pr_mean:.4f} "
            f"± {float(np.std(self.pr_auc)):.4f}"
        )


def sha256_of(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def load_table(path: str | Path, target: str, positive: str | None = None, drop: list[str] | None = None) -> Table:
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        raise ValueError(f"{path} has no rows")
    if target not in rows[0]:
        raise ValueError(f"target column {target!r} not in {list(rows[0])}")
    y = _target(np.array([r[target].strip() for r in rows], dtype=object), positive)
    skip = {target, *(drop or [])}
    columns, values, categorical, dropped = [], [], [], []
    for name in rows[0]:
        if name in skip:
            continue
        raw = [r[name].strip() for r in rows]
        numeric = _as_float(raw)
        if numeric is not None:
            distinct = np.unique(numeric[~np.isnan(numeric)])
            is_cat = 3 <= len(distinct) <= 5 and np.all(distinct == np.round(distinct)) and distinct.min() >= 0
            columns.append(name)
            values.append(numeric)
            categorical.append(bool(is_cat))
            continue
        cats = sorted({v for v in raw if v})
        if len(cats) > MAX_CATEGORIES:
            dropped.append(name)  # free text or an identifier
            continue
        code = {c: float(i) for i, c in enumerate(cats)}
        columns.append(name)
        values.append(np.array([code.get(v, np.nan) for v in raw]))
        categorical.append(True)
    return Table(np.column_stack(values), y, columns, np.array(categorical), dropped)


def _as_float(raw: list[str]) -> np.ndarray | None:
    try:
        return np.array([float(v) if v != "" else np.nan for v in raw])
    except ValueError:
        return None


def _target(values: np.ndarray, positive: str | None) -> np.ndarray:
    if positive is not None:
        y = values == positive
        if not y.any():
            raise ValueError(f"no row has target value {positive!r}")
        return y.astype(np.int64)
    distinct = set(values.tolist())
    if len(distinct) != 2:
        raise ValueError(f"target has {len(distinct)} distinct values; pass --positive VALUE")
    hits = [v for v in distinct if v.lower() in TRUE_WORDS]
    if len(hits) != 1:
        raise ValueError(f"cannot tell which of {sorted(distinct)} means churn; pass --positive VALUE")
    return (values == hits[0]).astype(np.int64)


def cross_validate(table: Table, folds: int = 5, seed: int = 0) -> list[CvResult]:
    """Stratified k-fold ROC AUC and PR AUC of the booster and the logistic baseline."""
    cat = table.categorical
    makers = {
        "gbm": lambda: make_booster(categorical_features=cat if cat.any() else None),
        "logreg": lambda: _baseline(cat),
    }
    results = {name: CvResult(name, [], []) for name in makers}
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(table.X, table.y):
        for name, make in makers.items():
            with one_thread():
                model = make().fit(table.X[train], table.y[train])
                p = model.predict_proba(table.X[test])[:, 1]
            results[name].roc_auc.append(float(roc_auc_score(table.y[test], p)))
            results[name].pr_auc.append(float(average_precision_score(table.y[test], p)))
    return list(results.values())


def _baseline(categorical: np.ndarray):
    num = np.flatnonzero(~categorical)
    cat = np.flatnonzero(categorical)
    steps = []
    if len(num):
        steps.append(("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), num))
    if len(cat):
        steps.append(
            ("cat", make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")), cat)
        )
    return make_pipeline(ColumnTransformer(steps), LogisticRegression(max_iter=2000))
