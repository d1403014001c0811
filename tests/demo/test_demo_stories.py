"""Churn stories leave the signals domain.md lists, and their ground truth is kept."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from bot.store.models import AumSnapshot, Complaint, Contact, Customer, DemoTruth, Holding, Transaction
from bot.tiers import WAN
from tests.demo.conftest import DEMO_CUSTOMERS, DEMO_TODAY
from tools.demo.dates import month_end

TODAY = DEMO_TODAY
STORIES = {"yield", "service", "consumption", "intermediary", "none"}


@pytest.fixture(scope="module")
def truth(demo_engine) -> dict[int, DemoTruth]:
    with demo_engine.connect() as conn:
        return {r.customer_id: r for r in conn.execute(select(DemoTruth)).all()}


@pytest.fixture(scope="module")
def snapshots(demo_engine) -> dict[int, list[tuple[date, int]]]:
    """Per customer: (day the figure was measured, AUM), oldest first."""
    out: dict[int, list[tuple[date, int]]] = defaultdict(list)
    with demo_engine.connect() as conn:
        for cid, month, aum in conn.execute(
            select(AumSnapshot.customer_id, AumSnapshot.month, AumSnapshot.aum_fen).order_by(
                AumSnapshot.customer_id, AumSnapshot.month
            )
        ):
            out[cid].append((min(month_end(month), TODAY), aum))
    return out


def settled(truth, story: str) -> list[DemoTruth]:
    """Stories of that kind whose 90-day aftermath lies inside the history."""
    rows = [
        t
        for t in truth.values()
        if t.story == story
        and t.event_date <= TODAY - timedelta(days=90)
        and t.event_date >= TODAY - timedelta(days=330)
    ]
    assert len(rows) >= 10, story
    return rows


def fell_by_half(series, event: date) -> bool:
    before = [a for d, a in series if d < event]
    after = [a for d, a in series if event < d <= event + timedelta(days=90)]
    return bool(before and after) and min(after) <= 0.5 * before[-1]


def test_stories_touch_twelve_to_fifteen_percent_of_customers(truth):
    assert set(t.story for t in truth.values()) == STORIES
    assert 0.11 <= len(truth) / DEMO_CUSTOMERS <= 0.16


def test_story_events_spread_over_the_year_and_into_the_coming_weeks(truth):
    quarters = {(TODAY - t.event_date).days // 91 for t in truth.values() if t.event_date < TODAY}
    assert {0, 1, 2, 3} <= quarters
    coming = [t for t in truth.values() if t.event_date >= TODAY]
    assert len(coming) >= 0.04 * len(truth)
    assert {t.story for t in coming} >= {"yield", "service", "consumption"}


def test_yield_story_moves_money_to_another_bank_before_its_product_matures(demo, truth):
    for t in (t for t in truth.values() if t.story == "yield"):
        maturing = demo.execute(
            select(func.count()).where(Holding.customer_id == t.customer_id, Holding.maturity_date == t.event_date)
        ).scalar_one()
        moved = demo.execute(
            select(func.count()).where(
                Transaction.customer_id == t.customer_id,
                Transaction.other_bank.is_(True),
                Transaction.direction == "out",
                Transaction.occurred_at < t.event_date,
            )
        ).scalar_one()
        assert maturing >= 1 and moved >= 1, t.customer_id


@pytest.mark.parametrize("story", ["yield", "service", "consumption", "none"])
def test_churners_lose_at_least_half_their_assets_within_90_days_of_the_event(truth, snapshots, story):
    failed = [t.customer_id for t in settled(truth, story) if not fell_by_half(snapshots[t.customer_id], t.event_date)]
    assert failed == []


def test_service_story_leaves_an_open_complaint_and_months_without_contact(demo, truth):
    for t in (t for t in truth.values() if t.story == "service"):
        open_complaint = demo.execute(
            select(func.count()).where(
                Complaint.customer_id == t.customer_id,
                Complaint.resolved.is_(False),
                Complaint.filed_on <= t.event_date,
            )
        ).scalar_one()
        quiet_since = min(t.event_date, TODAY) - timedelta(days=90)
        recent_contact = demo.execute(
            select(func.count()).where(
                Contact.customer_id == t.customer_id,
                Contact.contacted_at >= quiet_since,
                Contact.contacted_at < min(t.event_date, TODAY),
            )
        ).scalar_one()
        assert open_complaint >= 1 and recent_contact == 0, t.customer_id


def test_consumption_story_has_a_large_withdrawal_tagged_with_its_purpose(demo, truth):
    past = [t for t in truth.values() if t.story == "consumption" and t.event_date < TODAY]
    assert past
    for t in past:
        amount = demo.execute(
            select(func.max(Transaction.amount_fen)).where(
                Transaction.customer_id == t.customer_id,
                Transaction.purpose.in_(("house", "car", "school")),
                func.date(Transaction.occurred_at) == t.event_date.isoformat(),
            )
        ).scalar_one()
        assert amount is not None and amount >= 3 * WAN, t.customer_id


def test_intermediary_story_moves_round_sums_in_and_out_around_quarter_ends(demo, truth, snapshots):
    for t in (t for t in truth.values() if t.story == "intermediary"):
        rows = (
            demo.execute(
                select(Transaction).where(Transaction.customer_id == t.customer_id, Transaction.amount_fen >= 50 * WAN)
            )
            .scalars()
            .all()
        )
        ins = [r for r in rows if r.direction == "in" and r.amount_fen % (50 * WAN) == 0]
        outs = {(r.amount_fen, r.occurred_at.date()) for r in rows if r.direction == "out"}
        assert ins, t.customer_id
        for r in ins:
            day = r.occurred_at.date()
            quarter_end = month_end(date(day.year, day.month, 1))
            assert r.other_bank and day.month in (3, 6, 9, 12) and 0 < (quarter_end - day).days <= 7
            assert any(a == r.amount_fen and 0 < (d - r.occurred_at.date()).days <= 14 for a, d in outs)
        spike = dict(snapshots[t.customer_id])[t.event_date]
        after = [a for d, a in snapshots[t.customer_id] if t.event_date < d <= t.event_date + timedelta(days=40)]
        assert after and max(after) <= 0.5 * spike


def test_healthy_clients_never_lose_half_their_assets_within_90_days(truth, snapshots):
    dropped = []
    for cid, series in snapshots.items():
        if cid in truth:
            continue
        for k, (day, aum) in enumerate(series):
            later = [a for d, a in series[k + 1 :] if d <= day + timedelta(days=90)]
            if aum >= 5000 * 100 and later and min(later) <= 0.5 * aum:
                dropped.append(cid)
                break
    assert dropped == []


def test_some_healthy_clients_carry_a_warning_signal_without_leaving(demo, truth):
    healthy_open = demo.execute(select(Complaint.customer_id).where(Complaint.resolved.is_(False))).scalars().all()
    big_spenders = (
        demo.execute(
            select(Transaction.customer_id).where(Transaction.purpose.in_(("house", "car", "school", "business")))
        )
        .scalars()
        .all()
    )
    assert len(set(healthy_open) - set(truth)) >= 10
    assert len(set(big_spenders) - set(truth)) >= 10


def test_some_churned_accounts_are_closed_after_their_story(demo, truth):
    closed = demo.execute(select(Customer.id, Customer.closed_on).where(Customer.closed_on.is_not(None))).all()
    assert len(closed) >= 20
    assert all(cid in truth and on > truth[cid].event_date for cid, on in closed)
    assert all(
        aum == 0 for aum in demo.execute(select(Customer.aum_fen).where(Customer.closed_on.is_not(None))).scalars()
    )


def test_truth_notes_are_short_chinese_texts(truth):
    assert all(t.note and len(t.note) <= 60 for t in truth.values())
