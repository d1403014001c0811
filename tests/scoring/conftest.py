from __future__ import annotations

from datetime import date

import pytest

from scoring.model import fit_model
from tests.scoring.builders import synthetic_training_set

FAST = {"max_iter": 80, "learning_rate": 0.15}  # same family, fewer trees: tests share 2 busy cores


@pytest.fixture(scope="session")
def synthetic_model():
    """A gradient-boosted churn model fitted on synthetic feature rows with a known mechanism (builders.py)."""
    X_fit, y_fit = synthetic_training_set(6000, seed=1)
    X_cal, y_cal = synthetic_training_set(2000, seed=2)
    return fit_model("gbm", X_fit, y_fit, X_cal, y_cal, trained_on=date(2026, 11, 1), booster_overrides=FAST)


@pytest.fixture(scope="session")
def synthetic_baseline():
    X_fit, y_fit = synthetic_training_set(6000, seed=1)
    X_cal, y_cal = synthetic_training_set(2000, seed=2)
    return fit_model("logreg", X_fit, y_fit, X_cal, y_cal, trained_on=date(2026, 11, 1))
