"""Today's contact list for an RM (domain.md, seed 002), ranked by what is at stake.

Each client gets one line, its most urgent reason: group 1, act now (money the client said they will take
out, products maturing today or tomorrow, large movements not yet followed up, clients just handed over to
the RM: a first contact); group 2 (open complaints,
high churn risk, contacts due or overdue); group 3, relationship (birthdays, maturities later this week).
Clients not worth chasing appear only when a large movement must be reported.

Money the client said is going out, and large sums maturing today, come first: they cannot wait. The rest
goes by expected loss (bot/playbook/stake.py): how likely the client is to leave × the money the reason puts
at stake × how soon it can go — so a high-risk private-banking client's 300万 comes before a 5万 birthday,
whatever its group. An RM can do about PLAN_LIMIT calls in a day: the answer shows that many and counts
the rest.
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
from bot.playbook.stake import expected_loss
from bot.store.situation import ClientSituation

WEEK_AHEAD_DAYS = 7
PLAN_LIMIT = 15  # calls an RM can make in a day; the rest are counted, not listed


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
    stake: float = 0.0  # expected loss in fen (bot/playbook/stake.py): the plan's order
    large: bool = False  # the sum at stake reaches the ±20万 reporting size (tiers.LARGE_MOVEMENT_FEN)


def daily_plan(situations: Iterable[ClientSituation] | Mapping[int, ClientSituation], today: date) -> list[PlanItem]:
    """Every client with a reason to be contacted today, the most at stake first; callers cap and page."""
    items = situations.values() if isinstance(situations, Mapping) else situations
    lines = [line for line in (_plan_line(s, today) for s in items) if line is not None]
    # Money going today or tomorrow by the client's own word, and large sums maturing today, come first
    # whatever else is at stake: they cannot wait. Ties go by group, tier, then id (never the input order).
    return sorted(
        lines, key=lambda i: (not _cannot_wait(i), -i.stake, i.group, tiers.TIER_RANK.get(i.tier, 9), i.customer_id)
    )


def _cannot_wait(item: PlanItem) -> bool:
    return item.reason == "announced_withdrawal" or (item.reason == "maturing_today" and item.large)


def _plan_line(s: ClientSituation, today: date) -> PlanItem | None:
    words = advice_library()["plan"]
    chase = retention_priority(s) != "do_not_chase"
    score = s.latest_score.score if s.latest_score else None

    def item(group: int, reason: str, occasion: str, purpose: str | None, at_stake: int, due: date | None, /, **values):
        why = words[reason].format(**values)
        stake = expected_loss(reason, score, at_stake, due, today)
        large = at_stake >= tiers.LARGE_MOVEMENT_FEN
        return PlanItem(s.customer_id, s.name, group, reason, why, occasion, occasion_title(occasion), purpose,
                        s.tier, stake, large)  # fmt: skip

    # Group 1: act now.
    announced = sig.announced_withdrawal(s) if chase else None
    if announced is not None:
        when = fmt.relative_day(announced.on, today) if announced.on else "近日"
        purpose_label = labels.PURPOSE.get(announced.purpose or "", "用途未说")
        return item(
            1, "announced_withdrawal", "large_withdrawal", announced.purpose, announced.amount_fen,
            announced.on or today, when=when, amount=fmt.money(announced.amount_fen), purpose=purpose_label,
        )  # fmt: skip
    if chase:
        for when_day, reason in ((today, "maturing_today"), (today + timedelta(days=1), "maturing_tomorrow")):
            m = sig.maturing_on(s, when_day)
            if m is not None:
                occasion = "maturing_today" if when_day == today else "maturing_before"
                return item(
                    1, reason, occasion, None, m.amount_fen, when_day,
                    product=m.product_name, amount=fmt.money(m.amount_fen),
                )  # fmt: skip
    moved = sig.large_movement(s)
    if moved is not None and not sig.movement_followed_up(s):
        if moved.direction == "out":
            reason = "large_outflow" if chase else "large_outflow_report"
        else:
            reason = "large_inflow" if chase else "large_inflow_report"
        if reason == "large_outflow":
            occasion, purpose = "large_withdrawal", _withdrawal_purpose(s)
        elif reason == "large_inflow":
            occasion, purpose = choose_occasion(s)
        else:  # not chased: the movement is reported, the call stays neutral
            occasion, purpose = "account_safety", None
        # Out: what is left may follow within days. In: the new money is the opportunity.
        at_stake = s.aum_fen if moved.direction == "out" else moved.amount_fen
        return item(
            1, reason, occasion, purpose, at_stake, None,
            day=fmt.short_day(moved.day), amount=fmt.money(moved.amount_fen),
        )  # fmt: skip
    # A client just received from another RM (who may take clients along when leaving): the new RM calls
    # them soon, whatever their value.
    if s.handed_over_on is not None and not s.contacted_by_rm:
        return item(
            1, "handed_over", "first_contact", None, s.aum_fen, None, day=fmt.short_day(s.handed_over_on)
        )  # fmt: skip
    if not chase:
        return None

    # Group 2: complaint > high risk > due contact; what is at stake is the client's whole relationship.
    if s.open_complaint is not None:
        return item(
            2, "complaint", "service_recovery", None, s.aum_fen, None,
            category=complaint_label(s.open_complaint.category) or labels.UNCATEGORISED,
            filed_on=fmt.day(s.open_complaint.filed_on),
        )  # fmt: skip
    if s.is_high_risk:
        occasion, purpose = choose_occasion(s)
        reason = "high_risk" if s.latest_score.top_reason else "high_risk_no_reason"
        soon = sig.next_maturing(s)
        return item(
            2, reason, occasion, purpose, s.aum_fen, soon.maturity_date if soon else None,
            reason=s.latest_score.top_reason or "",
            churn_type=labels.CHURN_TYPE.get(sig.effective_churn_type(s), labels.CHURN_TYPE["none"]),
        )  # fmt: skip
    band = tiers.band_for(s.aum_fen)
    if s.contact_overdue:
        occasion = "first_contact" if sig.needs_first_contact(s) else "reconnect"
        tier = labels.TIER.get(band.tier, "")
        if s.last_contact is None:
            return item(2, "never_contacted", occasion, None, s.aum_fen, None, tier=tier, frequency=band.frequency_text)
        return item(
            2, "overdue", occasion, None, s.aum_fen, None,
            days=s.days_since_contact, tier=tier, frequency=band.frequency_text,
        )  # fmt: skip

    # Group 3: relationship and what is coming this week.
    if sig.birthday_soon(s):
        until = sig.days_to_birthday(s)
        on = today + timedelta(days=until)
        return item(3, "birthday", "birthday", None, s.aum_fen, on, when=fmt.relative_day(on, today))
    week_end = today + timedelta(days=WEEK_AHEAD_DAYS)
    upcoming = [m for m in s.maturing if today + timedelta(days=1) < m.maturity_date <= week_end]
    if upcoming:
        m = upcoming[0]
        return item(
            3, "maturing_this_week", "maturing_before", None, m.amount_fen, m.maturity_date,
            product=m.product_name, amount=fmt.money(m.amount_fen), maturity_date=fmt.day(m.maturity_date),
        )  # fmt: skip
    return None


def _withdrawal_purpose(s: ClientSituation) -> str:
    return sig.stated_purpose(s) or ("other_bank" if s.outflow_30d_other_bank_fen > 0 else "unknown")
