"""Business readings of a `ClientSituation` shared by scripts, next steps and the daily plan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot import purposes, tiers
from bot.store.segments import is_demand_only
from bot.store.situation import ClientSituation, DayMovement, MaturingHolding

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


# The ±20万 rule (seed 002): for clients with assets of 50万 and more, money in or out on one day reaching 20万 is
# reported to the branch head. Days come from the situation's flow window (30 days).


def movement_rule_applies(s: ClientSituation, m: DayMovement) -> bool:
    """The client had 50万 or more: now, at the month end 90 days ago, or just before the day's money left."""
    before = s.aum_fen + m.amount_fen if m.direction == "out" else s.aum_fen
    return max(before, s.aum_90d_ago_fen or 0) >= tiers.LARGE_MOVEMENT_MIN_AUM_FEN


def large_outflow(s: ClientSituation) -> DayMovement | None:
    """The day (and amount) a 50万+ client moved 20万 or more out, or None."""
    m = s.largest_day_outflow
    return m if m is not None and m.amount_fen >= tiers.LARGE_MOVEMENT_FEN and movement_rule_applies(s, m) else None


def large_inflow(s: ClientSituation) -> DayMovement | None:
    """The day (and amount) a 50万+ client received 20万 or more, or None."""
    m = s.largest_day_inflow
    return m if m is not None and m.amount_fen >= tiers.LARGE_MOVEMENT_FEN and movement_rule_applies(s, m) else None


ANNOUNCED_MIN_FEN = 5 * tiers.WAN  # the store's notable-outflow size: smaller sums are everyday spending
ANNOUNCED_UNDATED_DAYS = 14  # "近日要取": an undated announcement stays live this long after the contact


@dataclass(frozen=True)
class Announcement:
    amount_fen: int
    on: date | None  # the day the client said; None: soon ("近日")
    purpose: str | None


def announced_withdrawal(s: ClientSituation) -> Announcement | None:
    """Money the client told their RM will go out, still ahead of us (today or later, or undated and recent)."""
    c = s.last_contact
    if c is None or (c.announced_fen or 0) < ANNOUNCED_MIN_FEN:
        return None
    if c.announced_on is not None:
        live = c.announced_on >= s.as_of
    else:
        live = (s.as_of - c.contacted_on).days <= ANNOUNCED_UNDATED_DAYS
    return Announcement(int(c.announced_fen or 0), c.announced_on, stated_purpose(s)) if live else None


def large_movement(s: ClientSituation) -> DayMovement | None:
    """A ±20万 day for a 50万+ client, outflow first: reported to the branch head."""
    return large_outflow(s) or large_inflow(s)


def movement_followed_up(s: ClientSituation) -> bool:
    """Contacted on or after the day of the large movement."""
    m = large_movement(s)
    if s.last_contact is None:
        return False
    since = m.day if m is not None else s.as_of - timedelta(days=30)
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
