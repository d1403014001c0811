"""Business readings of a `ClientSituation` shared by scripts, next steps and the daily plan."""

from __future__ import annotations

from datetime import date, timedelta

from bot import purposes, tiers
from bot.store.segments import is_demand_only
from bot.store.situation import ClientSituation, MaturingHolding

MATURING_SOON_DAYS = 7  # a maturity this close outranks what the client said about the money
FUND_LOSS_REVIEW_PCT = 10.0  # a fund down this much is worth a diagnosis call
LONG_SILENCE_DAYS = 90  # reconnect after this long even when the tier sets no schedule
BIRTHDAY_LOOKAHEAD_DAYS = 6  # birthdays are a weekly batch: today .. six days ahead
PURPOSES = purposes.PURPOSES


def tier_rank(s: ClientSituation) -> int:
    return tiers.TIER_RANK.get(s.tier, len(tiers.TIER_RANK))


def maturing_on(s: ClientSituation, day: date) -> MaturingHolding | None:
    return next((m for m in s.maturing if m.maturity_date == day), None)


def next_maturing(s: ClientSituation) -> MaturingHolding | None:
    return s.maturing[0] if s.maturing else None


def stated_purpose(s: ClientSituation) -> str | None:
    """The purpose the client gave at the last contact, when it is one the playbook knows."""
    if s.last_contact is None:
        return None
    purpose = s.last_contact.stated_purpose
    return purpose if purpose in PURPOSES else None


def effective_churn_type(s: ClientSituation) -> str:
    """The scorer's churn type, overridden by what the client said at a contact newer than the score.

    The purpose's churn type comes from bot.purposes (house, car, school, business, medical: consumption-driven;
    another bank: product-driven).
    """
    scored = s.latest_score.churn_type if s.latest_score else "none"
    purpose = stated_purpose(s)
    if purpose is None:
        return scored
    if s.latest_score is not None and s.last_contact.contacted_on < s.latest_score.as_of:
        return scored
    return purposes.churn_type_for(purpose) or scored


def large_outflow(s: ClientSituation) -> bool:
    return s.outflow_30d_fen >= tiers.LARGE_MOVEMENT_FEN


def large_inflow(s: ClientSituation) -> bool:
    return s.net_flow_30d_fen >= tiers.LARGE_MOVEMENT_FEN


def large_movement(s: ClientSituation) -> bool:
    """A ±200,000 movement in the last 30 days: reported to the branch head (seed 002)."""
    return large_outflow(s) or large_inflow(s)


def movement_followed_up(s: ClientSituation) -> bool:
    """Contacted on or after the latest notable outflow (or within the window when there is none)."""
    if s.last_contact is None:
        return False
    since = s.last_notable_outflow_on or (s.as_of - timedelta(days=30))
    return s.last_contact.contacted_on >= since


def days_to_birthday(s: ClientSituation) -> int:
    today = s.as_of
    for year in (today.year, today.year + 1):
        try:
            birthday = s.birth_date.replace(year=year)
        except ValueError:  # born on 29 February: celebrate on 28 February
            birthday = date(year, 2, 28)
        if birthday >= today:
            return (birthday - today).days
    return 366  # unreachable


def birthday_soon(s: ClientSituation) -> bool:
    return days_to_birthday(s) <= BIRTHDAY_LOOKAHEAD_DAYS


def fund_loss_worth_review(s: ClientSituation) -> bool:
    return s.fund_loss_pct is not None and s.fund_loss_pct >= FUND_LOSS_REVIEW_PCT


def demand_only(s: ClientSituation) -> bool:
    return is_demand_only(s)  # the same rule as the segment


def near_upgrade(s: ClientSituation) -> bool:
    return tiers.is_near_upgrade(s.aum_fen)


def needs_first_contact(s: ClientSituation) -> bool:
    """The assigned RM has never contacted this client (new assignment or never served)."""
    return s.rm_id is not None and not s.contacted_by_rm


def long_silence(s: ClientSituation) -> bool:
    return s.contact_overdue or s.days_since_contact is None or s.days_since_contact >= LONG_SILENCE_DAYS
