from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import pytest
from sqlalchemy import update

from bot.store.models import Complaint
from scoring import features
from scoring.features import FEATURE_INDEX, FEATURES, build_features
from tests.scoring import builders as b

AS_OF = date(2026, 11, 18)


def value(X: np.ndarray, row: int, name: str) -> float:
    return float(X[row, FEATURE_INDEX[name]])


def rich_customer(s):
    """A customer with a bit of everything dated before AS_OF."""
    b.bank(s)
    c = b.customer(s, "王秀英", aum_wan=50, birth=date(1966, 1, 10), opened=date(2016, 11, 1))
    for month, wan in [(4, 100), (5, 100), (6, 100), (7, 90), (8, 80), (9, 70), (10, 50)]:
        b.snapshot(s, c, date(2026, month, 1), wan)
    b.txn(s, c, date(2026, 9, 10), 1.2, "in", purpose="salary", channel="payroll")
    b.txn(s, c, date(2026, 11, 10), 20, "out", other_bank=True)
    b.txn(s, c, date(2026, 9, 1), 5, "out", other_bank=True)
    b.txn(s, c, date(2026, 11, 2), 30, "out", purpose="house", channel="counter")
    b.holding(s, c, "wealth", 30, buy=date(2026, 5, 22), maturity=date(2026, 11, 23))
    b.holding(s, c, "term_deposit", 10, buy=date(2026, 6, 1), maturity=date(2026, 12, 10))
    b.holding(s, c, "fund", 10, buy=date(2025, 1, 1), maturity=None, value_wan=8.8)
    b.holding(s, c, "wealth", 40, buy=date(2026, 2, 1), maturity=date(2026, 8, 1), status="matured")
    b.complaint(s, c, date(2026, 10, 1), "排队时间长")
    b.contact(s, c, date(2026, 9, 1), stated_purpose="house")
    return c


def test_features_ignore_everything_dated_on_or_after_as_of(session):
    c = rich_customer(session)
    ids_before, X_before, facts_before = build_features(session, AS_OF)

    b.snapshot(session, c, date(2026, 11, 1), 5)  # this month's row: its month end is after AS_OF
    b.txn(session, c, datetime.combine(AS_OF, datetime.min.time()), 40, "out", other_bank=True)
    b.txn(session, c, AS_OF + timedelta(days=3), 25, "out", purpose="car")
    b.txn(session, c, AS_OF, 1.2, "in", purpose="salary", channel="payroll")
    b.txn(session, c, AS_OF, 200, "in", other_bank=True)
    b.contact(session, c, datetime.combine(AS_OF, datetime.min.time()), stated_purpose="other_bank")
    b.complaint(session, c, AS_OF, "手续费")
    b.holding(session, c, "cd", 50, buy=AS_OF, maturity=AS_OF + timedelta(days=2))
    session.execute(update(Complaint).values(resolved=True, resolved_on=AS_OF))
    ids_after, X_after, facts_after = build_features(session, AS_OF)

    assert ids_after.tolist() == ids_before.tolist() == [c.id]
    np.testing.assert_array_equal(X_after, X_before)
    assert facts_after == facts_before


def test_asset_change_compares_month_ends_known_before_as_of(session):
    rich_customer(session)
    _, X, facts = build_features(session, AS_OF)
    assert value(X, 0, "aum_wan") == pytest.approx(50)  # October's month end, not November's row
    assert value(X, 0, "aum_change_30d") == pytest.approx((50 - 70) / 70)
    assert value(X, 0, "aum_change_90d") == pytest.approx((50 - 90) / 90)
    assert value(X, 0, "aum_change_180d") == pytest.approx((50 - 100) / 100)
    assert facts[0]["aum_90d_ago_fen"] == 90 * b.WAN


def test_maturities_count_products_held_on_as_of(session):
    rich_customer(session)
    _, X, facts = build_features(session, AS_OF)
    assert value(X, 0, "maturing_7d_wan") == 30
    assert value(X, 0, "maturing_30d_wan") == 40
    assert value(X, 0, "days_to_maturity") == 5
    assert (facts[0]["next_maturity_on"], facts[0]["next_maturity_fen"], facts[0]["next_maturity_type"]) == (
        date(2026, 11, 23),
        30 * b.WAN,
        "wealth",
    )
    assert value(X, 0, "product_count") == 3  # wealth, term deposit, fund; the matured one is gone
    assert value(X, 0, "fund_pnl_pct") == pytest.approx(-12.0)


def test_flows_split_other_bank_transfers_and_purchases(session):
    rich_customer(session)
    _, X, facts = build_features(session, AS_OF)
    assert value(X, 0, "other_bank_out_30d_wan") == 20
    assert value(X, 0, "other_bank_out_90d_wan") == 25
    assert value(X, 0, "purchase_out_90d_wan") == 30
    assert value(X, 0, "largest_out_30d_wan") == 30
    assert facts[0]["largest_out_30d_purpose"] == "house" and facts[0]["largest_out_30d_other_bank"] is False
    assert value(X, 0, "net_flow_90d_wan") == pytest.approx(1.2 - 55)


def test_salary_counts_as_stopped_when_payroll_credits_cease(session):
    b.bank(session)
    stopped = b.customer(session, "停薪")
    steady = b.customer(session, "在职")
    for day in (date(2026, 8, 25), date(2026, 9, 25)):
        b.txn(session, stopped, day, 1, "in", purpose="salary", channel="payroll")
    for day in (date(2026, 8, 25), date(2026, 9, 25), date(2026, 10, 25)):
        b.txn(session, steady, day, 1, "in", purpose="salary", channel="payroll")
    ids, X, facts = build_features(session, AS_OF)
    by_id = dict(zip(ids.tolist(), range(len(ids))))
    assert value(X, by_id[stopped.id], "salary_stopped") == 1
    assert facts[by_id[stopped.id]]["last_salary_on"] == date(2026, 9, 25)
    assert value(X, by_id[steady.id], "salary_stopped") == 0


def test_complaint_stays_open_until_resolved_before_as_of(session):
    b.bank(session)
    c = b.customer(session)
    b.complaint(session, c, date(2026, 9, 1), "服务态度", resolved_on=date(2026, 11, 20))
    b.complaint(session, c, date(2026, 8, 1), "手续费", resolved_on=date(2026, 8, 15))
    _, X, facts = build_features(session, AS_OF)
    assert value(X, 0, "open_complaints") == 1
    assert value(X, 0, "complaints_180d") == 2
    assert facts[0]["open_complaint_category"] == "服务态度"


def test_contact_gap_is_measured_against_the_tier_interval(session):
    b.bank(session)
    c = b.customer(session, aum_wan=60)
    b.snapshot(session, c, date(2026, 10, 1), 60)  # 贵宾: every 14 days
    b.contact(session, c, AS_OF - timedelta(days=70))
    b.contact(session, c, AS_OF - timedelta(days=42), stated_purpose="car")
    _, X, facts = build_features(session, AS_OF)
    assert value(X, 0, "days_since_contact") == 42
    assert value(X, 0, "contact_overdue_ratio") == pytest.approx(42 / 14)
    assert value(X, 0, "stated_purchase") == 1 and value(X, 0, "stated_other_bank") == 0
    assert facts[0]["tier"] == "vip" and facts[0]["contact_every_days"] == 14


def test_round_trip_flags_large_money_parked_briefly(session):
    b.bank(session)
    c = b.customer(session, aum_wan=3)
    b.txn(session, c, date(2026, 9, 27), 100, "in", other_bank=True)
    b.txn(session, c, date(2026, 10, 3), 100, "out", other_bank=True)
    b.txn(session, c, date(2026, 10, 5), 30, "in", other_bank=True)  # stays: not a round trip
    _, X, facts = build_features(session, AS_OF)
    assert value(X, 0, "round_trip_90d_wan") == 100
    assert (facts[0]["round_trip_in_on"], facts[0]["round_trip_out_on"]) == (date(2026, 9, 27), date(2026, 10, 3))


def test_population_leaves_out_customers_not_open_on_as_of(session):
    b.bank(session)
    open_ = b.customer(session, "在册")
    b.customer(session, "已销户", closed=date(2026, 10, 1))
    b.customer(session, "新开户", opened=AS_OF)
    closing_later = b.customer(session, "将销户", closed=date(2026, 12, 1))
    ids, _, _ = build_features(session, AS_OF)
    assert ids.tolist() == [open_.id, closing_later.id]


def test_requested_ids_get_the_same_rows_as_the_whole_bank(session, monkeypatch):
    c = rich_customer(session)
    other = b.customer(session, "李静", aum_wan=5)
    b.txn(session, other, date(2026, 11, 1), 2, "out", other_bank=True)
    ids_all, X_all, facts_all = build_features(session, AS_OF)
    ids_one, X_one, facts_one = build_features(session, AS_OF, [c.id])
    monkeypatch.setattr(features, "_IN_LIST_MAX", 0)  # long lists are fetched by id range
    ids_range, X_range, _ = build_features(session, AS_OF, [other.id, c.id])
    row = ids_all.tolist().index(c.id)
    np.testing.assert_array_equal(X_one[0], X_all[row])
    assert facts_one[0] == facts_all[row]
    np.testing.assert_array_equal(X_range, X_all)
    assert ids_range.tolist() == ids_all.tolist()


def test_feature_matrix_has_one_column_per_feature_name(session):
    rich_customer(session)
    _, X, _ = build_features(session, AS_OF)
    assert X.shape == (1, len(FEATURES)) and len(set(FEATURES)) == len(FEATURES)
