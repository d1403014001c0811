"""Today's prioritised contact list for an RM (domain.md, seed 002).

Group 1, act now: products maturing today or tomorrow, large fund movements not yet followed up, clients
just handed over to the RM (first contact).
Group 2, by tier: open complaints, high churn risk, contacts due or overdue.
Group 3, relationship: birthdays this week, products maturing later this week.
One line per client (its most urgent reason), deterministic order. Clients not worth chasing
appear only when a large movement must be reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from bot import formatting as fmt
from bot import labels, tiers
from bot.playbook import signals as sig
from bot.playbook.library import advice_library
from bot.playbook.priorities import retention_priority
from bot.playbook.scripts import choose_occasion, complaint_label, occasion_title
from bot.store.situation import ClientSituation

WEEK_AHEAD_DAYS = 7


@dataclass(frozen=True)
class PlanItem:
    customer_id: int
    name: str
    group: int  # 1 act now · 2 risk and due contacts · 3 relationship
    reason: str  # code of the main reason (maturing_today, high_risk, birthday, ...)
    why: str  # short Chinese line
    occasion: str  # script occasion to use (bot.playbook.scripts)
    occasion_title: str
    purpose: str | None  # large_withdrawal only
    tier: str


_REASON_RANK = {
    "maturing_today": 0,
    "maturing_tomorrow": 1,
    "large_outflow": 2,
    "large_outflow_report": 2,
    "large_inflow": 3,
    "large_inflow_report": 3,
    "handed_over": 4,
    "complaint": 0,
    "high_risk": 1,
    "overdue": 2,
    "never_contacted": 2,
    "birthday": 0,
    "maturing_this_week": 1,
}


def daily_plan(situations: Iterable[ClientSituation] | Mapping[int, ClientSituation], today: date) -> list[PlanItem]:
    """Every client with a reason to be contacted today, most urgent first; callers page by ten."""
    items = situations.values() if isinstance(situations, Mapping) else situations
    ranked = []
    for s in items:
        found = _plan_line(s, today)
        if found is not None:
            item, key = found
            ranked.append((key, item))
    ranked.sort(key=lambda pair: pair[0])
    return [item for _, item in ranked]


def _plan_line(s: ClientSituation, today: date):
    words = advice_library()["plan"]
    chase = retention_priority(s) != "do_not_chase"
    tier_rank = sig.tier_rank(s)
    score = s.latest_score.score if s.latest_score else 0.0

    def item(group: int, reason: str, occasion: str, purpose: str | None, order: tuple, /, **values):
        why = words[reason].format(**values)
        title = occasion_title(occasion)
        line = PlanItem(s.customer_id, s.name, group, reason, why, occasion, title, purpose, s.tier)
        return line, (group, *order, s.customer_id)

    # Group 1: act now.
    if chase:
        for when, reason in ((today, "maturing_today"), (today + timedelta(days=1), "maturing_tomorrow")):
            m = sig.maturing_on(s, when)
            if m is not None:
                occasion = "maturing_today" if when == today else "maturing_before"
                return item(
                    1, reason, occasion, None,
                    (_REASON_RANK[reason], tier_rank, -m.amount_fen),
                    product=m.product_name, amount=fmt.money(m.amount_fen),
                )  # fmt: skip
    moved = sig.large_movement(s)
    if moved is not None and not sig.movement_followed_up(s):
        if moved.direction == "out":
            reason = "large_outflow" if chase else "large_outflow_report"
        else:
            reason = "large_inflow" if chase else "large_inflow_report"
        amount = moved.amount_fen
        if reason == "large_outflow":
            occasion, purpose = "large_withdrawal", _withdrawal_purpose(s)
        elif reason == "large_inflow":
            occasion, purpose = choose_occasion(s)
        else:  # not chased: the movement is reported, the call stays neutral
            occasion, purpose = "account_safety", None
        order = (_REASON_RANK[reason], tier_rank, -amount)
        return item(1, reason, occasion, purpose, order, day=fmt.short_day(moved.day), amount=fmt.money(amount))
    # A client just received from another RM (who may take clients along when leaving): the new RM calls
    # them now, whatever their value, after the maturities and movements of the day.
    if s.handed_over_on is not None and not s.contacted_by_rm:
        return item(
            1, "handed_over", "first_contact", None,
            (_REASON_RANK["handed_over"], tier_rank, -score),
            day=fmt.short_day(s.handed_over_on),
        )  # fmt: skip
    if not chase:
        return None

    # Group 2: by tier, then complaint > high risk > due contact.
    if s.open_complaint is not None:
        return item(
            2, "complaint", "service_recovery", None,
            (tier_rank, _REASON_RANK["complaint"], -score),
            category=complaint_label(s.open_complaint.category) or labels.UNCATEGORISED,
            filed_on=fmt.day(s.open_complaint.filed_on),
        )  # fmt: skip
    if s.is_high_risk:
        occasion, purpose = choose_occasion(s)
        reason = "high_risk" if s.latest_score.top_reason else "high_risk_no_reason"
        return item(
            2, reason, occasion, purpose,
            (tier_rank, _REASON_RANK["high_risk"], -score),
            reason=s.latest_score.top_reason or "",
            churn_type=labels.CHURN_TYPE.get(sig.effective_churn_type(s), labels.CHURN_TYPE["none"]),
        )  # fmt: skip
    band = tiers.band_for(s.aum_fen)
    if s.contact_overdue:
        occasion = "first_contact" if sig.needs_first_contact(s) else "reconnect"
        tier = labels.TIER.get(band.tier, "")
        if s.last_contact is None:
            return item(
                2, "never_contacted", occasion, None,
                (tier_rank, _REASON_RANK["never_contacted"], -score, 0),
                tier=tier, frequency=band.frequency_text,
            )  # fmt: skip
        return item(
            2, "overdue", occasion, None,
            (tier_rank, _REASON_RANK["overdue"], -score, -s.days_since_contact),
            days=s.days_since_contact, tier=tier, frequency=band.frequency_text,
        )  # fmt: skip

    # Group 3: relationship and what is coming this week.
    if sig.birthday_soon(s):
        until = sig.days_to_birthday(s)
        when = fmt.relative_day(today + timedelta(days=until), today)
        return item(3, "birthday", "birthday", None, (_REASON_RANK["birthday"], until, tier_rank), when=when)
    week_end = today + timedelta(days=WEEK_AHEAD_DAYS)
    upcoming = [m for m in s.maturing if today + timedelta(days=1) < m.maturity_date <= week_end]
    if upcoming:
        m = upcoming[0]
        return item(
            3, "maturing_this_week", "maturing_before", None,
            (_REASON_RANK["maturing_this_week"], (m.maturity_date - today).days, tier_rank),
            product=m.product_name, amount=fmt.money(m.amount_fen), maturity_date=fmt.day(m.maturity_date),
        )  # fmt: skip
    return None


def _withdrawal_purpose(s: ClientSituation) -> str:
    return sig.stated_purpose(s) or ("other_bank" if s.outflow_30d_other_bank_fen > 0 else "unknown")
