from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from sqlalchemy import update

from bot.store.models import AumSnapshot
from scoring.features import FEATURE_INDEX, build_features
from scoring.reasons import REASON_CODES, top_reasons
from scoring.service import assess
from tests.scoring import builders as b
from tests.scoring.builders import synthetic_training_set

AS_OF = date(2026, 11, 18)


def neglected_client_losing_assets(s):
    """金卡 client whose month-end AUM fell from 100万 to 40万 in 90 days and whom nobody called for 100 days."""
    b.bank(s)
    c = b.customer(s, "陈建国", aum_wan=40)
    for month, wan in [(7, 100), (8, 95), (9, 60), (10, 40)]:
        b.snapshot(s, c, date(2026, month, 1), wan)
    b.contact(s, c, AS_OF - timedelta(days=100))
    for k in range(6):
        b.txn(s, c, AS_OF - timedelta(days=5 + 10 * k), 0.3, "out", purpose="spending", channel="pos")
    return c


def explain(session, model):
    ids, X, facts = build_features(session, AS_OF)
    (result,) = assess(model, AS_OF, ids, X, facts)
    return result, {r.code: r for r in result.reasons}


def test_reasons_name_the_customers_own_numbers(session, synthetic_model):
    neglected_client_losing_assets(session)
    result, reasons = explain(session, synthetic_model)
    assert result.reasons[0].code == "aum_drop"
    assert reasons["aum_drop"].text == "近90天资产下降60%（100万→40万）"
    assert reasons["no_contact"].text == "已100天未联系（金卡客户应每月联系一次）"
    assert all(r.contribution > 0 for r in result.reasons)
    assert [r.contribution for r in result.reasons] == sorted((r.contribution for r in result.reasons), reverse=True)


def test_a_recent_contact_removes_the_contact_reason_and_lowers_the_score(session, synthetic_model):
    c = neglected_client_losing_assets(session)
    before, reasons_before = explain(session, synthetic_model)
    assert "no_contact" in reasons_before

    b.contact(session, c, AS_OF - timedelta(days=2))
    after, reasons_after = explain(session, synthetic_model)
    assert "no_contact" not in reasons_after
    assert after.score < before.score
    assert reasons_after["aum_drop"].text == reasons_before["aum_drop"].text  # the other reason is untouched


def test_assets_holding_steady_remove_the_asset_reason_and_lower_the_score(session, synthetic_model):
    neglected_client_losing_assets(session)
    before, reasons_before = explain(session, synthetic_model)
    assert "aum_drop" in reasons_before

    session.execute(update(AumSnapshot).values(aum_fen=40 * b.WAN))
    after, reasons_after = explain(session, synthetic_model)
    assert "aum_drop" not in reasons_after
    assert after.score < before.score


def test_each_reason_points_the_way_its_features_move_the_score(synthetic_model):
    """For every reason given to a sample of customers, undoing that reason's features (setting them to the
    value of a customer without that signal) must lower the raw score."""
    X, _ = synthetic_training_set(400, seed=21)
    calm = {  # values of an unremarkable customer
        "aum_drop": {"aum_change_30d": 0.0, "aum_change_90d": 0.0, "aum_change_180d": 0.0},
        "no_contact": {"days_since_contact": 3, "contact_overdue_ratio": 0.1},
        "complaint": {"open_complaints": 0, "complaints_180d": 0},
        "other_bank": {"other_bank_out_30d_wan": 0, "other_bank_out_90d_wan": 0},
        "maturing": {"maturing_7d_wan": 0, "maturing_30d_wan": 0, "days_to_maturity": 90},
    }
    _bias, contrib = synthetic_model.contributions(X)
    raw = synthetic_model.raw_score(X)
    rows, undone = [], []
    for i in range(len(X)):
        for reason in top_reasons(contrib[i], _facts_saying_everything()):
            if reason.code not in calm or reason.contribution < 0.3:
                continue
            x = X[i].copy()
            for name, v in calm[reason.code].items():
                x[FEATURE_INDEX[name]] = v
            rows.append((i, reason.code))
            undone.append(x)
    assert len(rows) >= 50
    raw_undone = synthetic_model.raw_score(np.array(undone))
    lowered = [raw_undone[k] < raw[i] for k, (i, _code) in enumerate(rows)]
    assert all(lowered), [rows[k] for k, ok in enumerate(lowered) if not ok]


def _facts_saying_everything() -> dict:
    """Facts under which every reason group has something to say (so that selection is by weight alone)."""
    return {
        "as_of": AS_OF,
        "aum_fen": 40 * b.WAN,
        "aum_30d_ago_fen": 80 * b.WAN,
        "aum_90d_ago_fen": 80 * b.WAN,
        "aum_180d_ago_fen": 80 * b.WAN,
        "maturing_30d_fen": b.WAN,
        "maturing_30d_count": 1,
        "next_maturity_on": AS_OF,
        "next_maturity_fen": b.WAN,
        "next_maturity_type": "wealth",
        "other_bank_out_30d_fen": b.WAN,
        "other_bank_out_90d_fen": b.WAN,
        "stated_purpose": "other_bank",
        "stated_purpose_on": AS_OF,
        "largest_out_30d_fen": b.WAN,
        "inflow_90d_fen": 0,
        "outflow_90d_fen": b.WAN,
        "purchase_out_90d_fen": b.WAN,
        "salary_stopped": True,
        "days_since_txn": None,
        "fund_cost_fen": 2,
        "fund_value_fen": 1,
        "low_yield_insurance_fen": b.WAN,
        "open_complaints": 1,
        "days_since_contact": None,
        "contact_every_days": 14,
        "round_trip_fen": b.WAN,
        "round_trip_in_on": AS_OF,
        "round_trip_out_on": AS_OF,
        "round_trip_out_fen": b.WAN,
        "product_count": 0,
    }


def test_reasons_never_exceed_three_and_only_raise_risk(synthetic_model):
    X, _ = synthetic_training_set(200, seed=3)
    _bias, contrib = synthetic_model.contributions(X)
    for row in contrib:
        reasons = top_reasons(row, _facts_saying_everything())
        assert len(reasons) <= 3
        assert all(r.contribution > 0 and r.code in REASON_CODES for r in reasons)


def test_reasons_for_one_customer_take_under_five_milliseconds(session, synthetic_model):
    import time

    neglected_client_losing_assets(session)
    ids, X, facts = build_features(session, AS_OF)
    assess(synthetic_model, AS_OF, ids, X, facts)  # warm up (explainer tables are built once)
    t = time.perf_counter()
    for _ in range(50):
        assess(synthetic_model, AS_OF, ids, X, facts)
    assert (time.perf_counter() - t) / 50 < 0.005


def test_profile_features_are_never_given_as_reasons(synthetic_model):
    contrib = np.zeros(len(FEATURE_INDEX))
    contrib[FEATURE_INDEX["age"]] = 2.0
    contrib[FEATURE_INDEX["tenure_years"]] = 1.0
    assert top_reasons(contrib, _facts_saying_everything()) == []
