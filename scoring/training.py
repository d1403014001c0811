"""Training data from the bank's own history, split by time, and the training run behind `python -m scoring train`.

As-of dates are laid every `step_days` backwards from the newest date whose label window is fully observed.
The newest is the test snapshot. Training uses only snapshots whose label window has closed by the test date
(as_of + horizon <= test as_of): a model trained then could not have seen the test period's outcomes. Of those,
the newest quarter calibrates (Platt), the rest fit the estimators. No as-of date appears in two parts.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import sklearn
from sqlalchemy import func, select

from bot import risk_bands as bands
from bot.store.models import AumSnapshot
from scoring.evaluation import metrics
from scoring.features import FEATURES, build_features, month_end
from scoring.model import ChurnModel, fit_model
from scoring.outcomes import HORIZON_DAYS, churn_labels

log = logging.getLogger(__name__)

STEP_DAYS = 14
MIN_HISTORY_DAYS = 90


class NotEnoughHistory(ValueError):
    pass


@dataclass(frozen=True)
class TimeSplit:
    fit: tuple[date, ...]
    calibrate: tuple[date, ...]
    test: date
    gap_days: int  # days between the newest training as-of date and the test as-of date


@dataclass
class Snapshot:
    as_of: date
    ids: np.ndarray
    X: np.ndarray
    y: np.ndarray


def history_range(conn: Any) -> tuple[date, date]:
    """First and last complete month end covered by the AUM snapshots (the newest row is the current,
    unfinished month, measured today)."""
    first, last = conn.execute(select(func.min(AumSnapshot.month), func.max(AumSnapshot.month))).one()
    if first is None:
        raise NotEnoughHistory("the store has no AUM snapshots")
    return month_end(_as_date(first)), _as_date(last) - timedelta(days=1)


def snapshot_dates(
    first: date,
    last: date,
    step_days: int = STEP_DAYS,
    horizon: int = HORIZON_DAYS,
    min_history: int = MIN_HISTORY_DAYS,
) -> list[date]:
    """As-of dates, oldest first: each has a month end at least `min_history` days before it and its whole label
    window (as_of .. as_of + horizon) inside the data (`first`, `last`: first and last month end)."""
    newest = last - timedelta(days=horizon)
    oldest = first + timedelta(days=min_history + 1)
    out = []
    d = newest
    while d >= oldest:
        out.append(d)
        d -= timedelta(days=step_days)
    return sorted(out)


def time_split(dates: list[date], horizon: int = HORIZON_DAYS) -> TimeSplit:
    dates = sorted(dates)
    if len(dates) < 3:
        raise NotEnoughHistory(f"need at least 3 as-of dates, the history gives {len(dates)}")
    test = dates[-1]
    train = [d for d in dates if d + timedelta(days=horizon) <= test]
    if len(train) < 2:
        # Short history: keep the newest snapshots out of training anyway, accept overlapping label windows.
        log.warning("history too short for a full %d-day gap before the test snapshot", horizon)
        train = dates[:-1]
    n_cal = max(1, len(train) // 4)
    return TimeSplit(tuple(train[:-n_cal]), tuple(train[-n_cal:]), test, (test - train[-1]).days)


def build_snapshot(conn: Any, as_of: date) -> Snapshot:
    ids, X, _facts = build_features(conn, as_of)
    aum_now_fen = X[:, FEATURES.index("aum_wan")] * 10_000 * 100
    return Snapshot(as_of, ids, X, churn_labels(conn, as_of, ids, np.round(aum_now_fen)))


def _stack(snaps: list[Snapshot]) -> tuple[np.ndarray, np.ndarray]:
    return np.vstack([s.X for s in snaps]), np.concatenate([s.y for s in snaps])


def train_from_store(conn: Any, trained_on: date, kind: str = "gbm", step_days: int = STEP_DAYS) -> ChurnModel:
    """Build snapshots from the store, fit the served model and the baseline, evaluate both on the test snapshot.
    Returns the served model with metrics and held-out predictions attached."""
    t0 = time.perf_counter()
    first, last = history_range(conn)
    split = time_split(snapshot_dates(first, last, step_days))
    snaps = {d: build_snapshot(conn, d) for d in (*split.fit, *split.calibrate, split.test)}
    t_features = time.perf_counter() - t0
    X_fit, y_fit = _stack([snaps[d] for d in split.fit])
    X_cal, y_cal = _stack([snaps[d] for d in split.calibrate])
    X_test, y_test = snaps[split.test].X, snaps[split.test].y
    if len(np.unique(y_fit)) < 2:
        raise NotEnoughHistory("no churners in the training snapshots")

    models = {k: fit_model(k, X_fit, y_fit, X_cal, y_cal, trained_on) for k in ("gbm", "logreg")}
    served = models[kind]
    served.metrics = {k: metrics(y_test, m.predict_proba(X_test)) for k, m in models.items()}
    served.metrics["served"] = kind
    _bias, contrib = served.contributions(X_test)
    importance = np.abs(contrib).mean(axis=0)
    served.evaluation = {
        "horizon_days": HORIZON_DAYS,
        "fit_as_of": [d.isoformat() for d in split.fit],
        "calibrate_as_of": [d.isoformat() for d in split.calibrate],
        "test_as_of": split.test.isoformat(),
        "gap_days": split.gap_days,
        "rows": [len(y_fit), len(y_cal), len(y_test)],
        "positives": [int(y_fit.sum()), int(y_cal.sum()), int(y_test.sum())],
        "y_test": y_test.astype(np.int8),
        "p_test": {k: m.predict_proba(X_test).astype(np.float32) for k, m in models.items()},
        "top_features": sorted(zip(FEATURES, importance.round(4).tolist()), key=lambda kv: -kv[1])[:10],
        "bands": dict(bands.BANDS),
        "seconds": {"features": round(t_features, 1), "total": round(time.perf_counter() - t0, 1)},
    }
    served.evaluation["sklearn_version"] = sklearn.__version__
    return served


def _as_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
