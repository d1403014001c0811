"""Low-yield bancassurance is judged against the policy's own stated return and its age (bot.policy_review),
in the scorer as in the store: a young policy is never flagged by its realised return."""

from __future__ import annotations

from datetime import date, timedelta

from bot import policy_review
from scoring.features import build_features
from tests.scoring import builders as b

AS_OF = date(2026, 11, 18)
SIX_YEARS_AGO = AS_OF - timedelta(days=6 * 365)


def test_a_policy_in_its_first_five_years_is_never_flagged():
    bought = AS_OF - timedelta(days=4 * 365)
    assert not policy_review.needs_review(10 * b.WAN, 9 * b.WAN, bought, AS_OF, 350)  # under its premium, but young


def test_an_old_policy_trailing_its_stated_return_by_more_than_a_point_is_flagged():
    assert policy_review.needs_review(10 * b.WAN, 10 * b.WAN + 6 * 1000_00, SIX_YEARS_AGO, AS_OF, 350)  # 1% vs 3.5%


def test_an_old_policy_close_to_its_stated_return_is_not_flagged():
    assert not policy_review.needs_review(10 * b.WAN, 10 * b.WAN + 6 * 3000_00, SIX_YEARS_AGO, AS_OF, 350)  # 3%


def test_a_policy_without_a_stated_return_is_not_flagged():
    assert not policy_review.needs_review(10 * b.WAN, 10 * b.WAN, SIX_YEARS_AGO, AS_OF, None)


def test_the_scorer_uses_the_same_rule(session):
    b.bank(session)
    old = b.customer(session, "老保单", aum_wan=40)
    b.holding(session, old, "insurance", 10, buy=SIX_YEARS_AGO, maturity=None, value_wan=10.6, yield_bp=350)
    young = b.customer(session, "新保单", aum_wan=40)
    b.holding(session, young, "insurance", 10, buy=AS_OF - timedelta(days=400), maturity=None, value_wan=9.5)
    ids, _X, facts = build_features(session, AS_OF, [old.id, young.id])
    by_id = dict(zip(ids.tolist(), facts))
    assert by_id[old.id]["low_yield_insurance_fen"] == 10 * b.WAN
    assert by_id[old.id]["low_yield_insurance_bp"] == 100  # realised 1% a year, what the reason text quotes
    assert by_id[young.id]["low_yield_insurance_fen"] == 0
