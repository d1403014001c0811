from __future__ import annotations

from datetime import date

import joblib
import numpy as np
import pytest

from scoring.features import FEATURES
from scoring.model import ModelMismatchError, ModelNotFoundError, fit_platt, load_model, model_path, save_model
from tests.scoring.builders import synthetic_training_set


def test_saved_model_records_version_date_features_and_metrics(synthetic_model, tmp_path):
    synthetic_model.metrics = {"gbm": {"roc_auc": 0.8}}
    path = save_model(synthetic_model, tmp_path / "m.joblib")
    raw = joblib.load(path)
    assert raw["version"] == synthetic_model.version and raw["version"].startswith("gbm-20261101-")
    assert len(raw["version"]) <= 32  # churn_scores.model_version
    assert raw["trained_on"] == "2026-11-01"
    assert raw["features"] == list(FEATURES)
    assert raw["metrics"] == {"gbm": {"roc_auc": 0.8}}
    loaded = load_model(path)
    X, _ = synthetic_training_set(50, seed=9)
    np.testing.assert_allclose(loaded.predict_proba(X), synthetic_model.predict_proba(X))


def test_model_trained_on_another_feature_list_is_refused(synthetic_model, tmp_path):
    path = save_model(synthetic_model, tmp_path / "m.joblib")
    raw = joblib.load(path)
    raw["features"] = list(FEATURES[:-1])  # the code has gained a feature since
    joblib.dump(raw, path)
    with pytest.raises(ModelMismatchError, match="different feature list"):
        load_model(path)


def test_model_with_reordered_features_is_refused(synthetic_model, tmp_path):
    path = save_model(synthetic_model, tmp_path / "m.joblib")
    raw = joblib.load(path)
    raw["features"] = list(reversed(FEATURES))
    joblib.dump(raw, path)
    with pytest.raises(ModelMismatchError):
        load_model(path)


def test_missing_model_file_says_how_to_make_one(tmp_path):
    with pytest.raises(ModelNotFoundError, match="python -m scoring train"):
        load_model(tmp_path / "absent.joblib")


def test_model_path_honours_env_override(monkeypatch, tmp_path):
    monkeypatch.delenv("BOT_CHURN_MODEL", raising=False)
    assert str(model_path()) == "var/churn/model.joblib"
    monkeypatch.setenv("BOT_CHURN_MODEL", str(tmp_path / "x.joblib"))
    assert model_path() == tmp_path / "x.joblib"


@pytest.mark.parametrize("fixture", ["synthetic_model", "synthetic_baseline"])
def test_contributions_add_up_to_the_models_raw_score(fixture, request):
    model = request.getfixturevalue(fixture)
    X, _ = synthetic_training_set(300, seed=5)
    bias, contrib = model.contributions(X)
    np.testing.assert_allclose(bias + contrib.sum(axis=1), model.raw_score(X), atol=1e-9)


def test_calibration_never_reverses_the_ranking():
    raw = np.array([-3.0, -1.0, 0.0, 2.0, 4.0])
    y = np.array([1, 1, 0, 0, 0])  # a calibration slice that disagrees with the ranking
    a, _b = fit_platt(raw, y)
    assert a > 0


def test_calibrated_probabilities_track_observed_rates(synthetic_model):
    X, y = synthetic_training_set(4000, seed=7)
    p = synthetic_model.predict_proba(X)
    assert abs(p.mean() - y.mean()) < 0.02
    assert p[y == 1].mean() > 2 * p[y == 0].mean()


def test_version_is_a_fingerprint_of_the_fit(synthetic_model):
    from scoring.model import fit_model

    X_fit, y_fit = synthetic_training_set(1000, seed=11)
    X_cal, y_cal = synthetic_training_set(500, seed=12)
    other = fit_model(
        "gbm", X_fit, y_fit, X_cal, y_cal, trained_on=date(2026, 11, 1), booster_overrides={"max_iter": 10}
    )
    assert other.version != synthetic_model.version
