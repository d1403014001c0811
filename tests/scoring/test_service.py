from __future__ import annotations

import json
import os
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.store.models import ChurnScore
from scoring import service
from scoring.model import save_model
from scoring.service import get_model, risk_for_customers, top_risk
from tests.scoring import builders as b

AS_OF = date(2026, 11, 18)


def at_risk_and_calm(s):
    b.bank(s)
    risky = b.customer(s, "陈建国", aum_wan=40)
    for month, wan in [(7, 100), (8, 90), (9, 60), (10, 40)]:
        b.snapshot(s, risky, date(2026, month, 1), wan)
    b.complaint(s, risky, date(2026, 9, 1), "服务态度")
    b.contact(s, risky, AS_OF - timedelta(days=120))
    calm = b.customer(s, "李静", aum_wan=40)
    for month in (7, 8, 9, 10):
        b.snapshot(s, calm, date(2026, month, 1), 40)
    b.contact(s, calm, AS_OF - timedelta(days=5))
    return risky, calm


def no_model(*_args, **_kwargs):
    raise AssertionError("the model was needed although a score was stored")


def test_unscored_customer_gets_a_score_on_demand_and_it_is_stored(session, synthetic_model, monkeypatch):
    risky, _calm = at_risk_and_calm(session)
    first = risk_for_customers(session, [risky.id], AS_OF, model=synthetic_model)[risky.id]
    assert first.model_version == synthetic_model.version and first.as_of == AS_OF
    assert first.band == "high" and first.churn_type == "service"
    assert first.reasons and first.type_evidence
    assert session.execute(select(func.count()).select_from(ChurnScore)).scalar_one() == 1

    monkeypatch.setattr(service, "get_model", no_model)
    again = risk_for_customers(session, [risky.id], AS_OF)[risky.id]
    assert again == first


def test_stored_score_is_returned_without_the_model(session, monkeypatch):
    _risky, calm = at_risk_and_calm(session)
    reasons = [
        {"code": "maturing", "text": "30万理财5天后到期", "contribution": 0.8},
        {"code": "churn_type_evidence", "evidence": ["30万理财5天后到期"]},
    ]
    session.add(
        ChurnScore(
            customer_id=calm.id,
            as_of=AS_OF - timedelta(days=3),
            score=0.42,
            churn_type="product",
            reasons=json.dumps(reasons, ensure_ascii=False),
            model_version="gbm-x",
            scored_at=datetime(2026, 11, 15, 2, 0),
        )
    )
    session.flush()
    monkeypatch.setattr(service, "get_model", no_model)
    r = risk_for_customers(session, [calm.id], AS_OF)[calm.id]
    assert (r.score, r.band, r.churn_type, r.model_version) == (0.42, "high", "product", "gbm-x")
    assert [x.text for x in r.reasons] == ["30万理财5天后到期"] and r.type_evidence == ["30万理财5天后到期"]
    assert r.as_of == AS_OF - timedelta(days=3) and r.churn_type_label == "产品导向型"


def test_a_stale_stored_score_is_recomputed(session, synthetic_model):
    _risky, calm = at_risk_and_calm(session)
    session.add(
        ChurnScore(
            customer_id=calm.id,
            as_of=AS_OF - timedelta(days=60),
            score=0.9,
            churn_type="product",
            reasons="[]",
            model_version="gbm-old",
            scored_at=datetime(2026, 9, 19),
        )
    )
    session.flush()
    r = risk_for_customers(session, [calm.id], AS_OF, model=synthetic_model)[calm.id]
    assert r.model_version == synthetic_model.version and r.as_of == AS_OF


def test_top_risk_ranks_the_riskiest_first_and_skips_unknown_ids(session, synthetic_model):
    risky, calm = at_risk_and_calm(session)
    ranked = top_risk(session, [calm.id, risky.id, 999_999], AS_OF, n=5, model=synthetic_model)
    assert [r.customer_id for r in ranked] == [risky.id, calm.id]
    assert ranked[0].score > ranked[1].score
    assert [r.customer_id for r in top_risk(session, [calm.id, risky.id], AS_OF, n=1)] == [risky.id]


def test_model_is_loaded_once_and_reloaded_when_retrained(synthetic_model, tmp_path, monkeypatch):
    path = tmp_path / "model.joblib"
    save_model(synthetic_model, path)
    monkeypatch.setenv("BOT_CHURN_MODEL", str(path))
    first = get_model()
    assert get_model() is first
    save_model(synthetic_model, path)
    os.utime(path, (1_900_000_000, 1_900_000_000))  # a retrained file has a new modification time
    assert get_model() is not first


def test_missing_model_is_a_clear_error_not_a_crash_deep_inside(session, tmp_path, monkeypatch):
    from scoring.model import ModelNotFoundError

    risky, _calm = at_risk_and_calm(session)
    monkeypatch.setenv("BOT_CHURN_MODEL", str(tmp_path / "none.joblib"))
    with pytest.raises(ModelNotFoundError):
        risk_for_customers(session, [risky.id], AS_OF)
