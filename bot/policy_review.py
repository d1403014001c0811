"""When a bancassurance policy (银保) is worth a review call: judged against its own stated return and its age.

In a policy's first years its cash value sits below the premiums paid (costs are taken up front), so nearly every
young policy looks low-yield by its realised return, and prompting a surrender then costs the client money. A
policy is flagged only once it is REVIEW_MIN_YEARS old and its realised yearly return falls short of the return
the product stated (products.expected_yield_bp) by more than SHORTFALL_POINTS. A policy that states no return is
never flagged by this rule. The store (the RM's next steps and scripts) and the scorer use this one rule.
"""

from __future__ import annotations

from datetime import date

REVIEW_MIN_YEARS = 5
MIN_HELD_DAYS = REVIEW_MIN_YEARS * 365 + 1  # a day for the leap year within any five
SHORTFALL_POINTS = 1.0  # percentage points under the stated yearly return


def realised_yearly_pct(premium_fen: int, value_fen: int, bought_on: date, today: date) -> float | None:
    """Simple yearly return since purchase, in percent; None for a premium of 0 or a policy bought today."""
    days = (today - bought_on).days
    if premium_fen <= 0 or days <= 0:
        return None
    return (value_fen - premium_fen) * 100 / premium_fen * 365 / days


def shortfall_points(
    premium_fen: int, value_fen: int, bought_on: date, today: date, stated_yield_bp: int | None
) -> float | None:
    """How far (percentage points) an old enough policy trails its stated return when it trails by more than
    SHORTFALL_POINTS; None when the policy is young, states no return or is on track."""
    if stated_yield_bp is None or (today - bought_on).days < MIN_HELD_DAYS:
        return None
    realised = realised_yearly_pct(premium_fen, value_fen, bought_on, today)
    if realised is None:
        return None
    gap = stated_yield_bp / 100 - realised
    return gap if gap > SHORTFALL_POINTS else None


def needs_review(premium_fen: int, value_fen: int, bought_on: date, today: date, stated_yield_bp: int | None) -> bool:
    return shortfall_points(premium_fen, value_fen, bought_on, today, stated_yield_bp) is not None
