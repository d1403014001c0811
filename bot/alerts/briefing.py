"""The morning briefing: each RM's day, and the branch's per-RM version for the branch head.

Built from the daily plan's parts: the store's `situations`, the plan's signals (maturing on a day, contact
overdue by the AUM band, birthday) and its retention priority (clients not worth chasing are left out, as in
the plan), and ranked in the plan's own order (`daily_plan`), so the briefing and "今天先联系谁" agree.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased

from bot import tiers
from bot.alerts.detectors import new_high_risk
from bot.alerts.facts import BranchBriefing, Maturity, Named, NewHighRisk, Overdue, RmBriefing
from bot.playbook import daily_plan
from bot.playbook import signals as sig
from bot.playbook.priorities import retention_priority
from bot.store.models import Branch, Contact
from bot.store.scope import clients_in_scope
from bot.store.situation import ClientSituation, situations
from bot.store.staff_directory import StaffMember


def callbacks_due(session: Session, staff_id: str, ids: list[int], today: date) -> set[int]:
    """Clients this RM promised to call back today (contacts.next_contact_on) with no contact logged since."""
    later = aliased(Contact)
    out: set[int] = set()
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        newer = (
            select(later.id)
            .where(later.customer_id == Contact.customer_id, later.contacted_at > Contact.contacted_at)
            .exists()
        )
        rows = session.execute(
            select(Contact.customer_id).where(
                and_(
                    Contact.staff_id == staff_id,
                    Contact.customer_id.in_(chunk),
                    Contact.next_contact_on == today,
                    ~newer,
                )
            )
        ).scalars()
        out.update(rows)
    return out


def rm_briefing(session: Session, rm: StaffMember, today: date) -> RmBriefing:
    ids = [cid for cid, _name, _gender in clients_in_scope(session, rm)]
    sits = situations(session, ids, today)
    plan = daily_plan(sits, today)
    rank = {item.customer_id: n for n, item in enumerate(plan)}

    def order(s: ClientSituation) -> tuple:
        return (rank.get(s.customer_id, len(rank)), sig.tier_rank(s), -s.aum_fen, s.customer_id)

    chased = sorted((s for s in sits.values() if retention_priority(s) != "do_not_chase"), key=order)
    maturities: list[Maturity] = []
    overdue: list[Overdue] = []
    by_tier: dict[str, int] = {}
    birthdays: list[Named] = []
    for s in chased:
        for when in (today, today + timedelta(days=1)):
            m = sig.maturing_on(s, when)
            if m is not None:
                maturities.append(Maturity(s.customer_id, s.name, m.product_name, m.amount_fen, when))
                break
        if s.contact_overdue:
            band = tiers.band_for(s.aum_fen).tier
            overdue.append(Overdue(s.customer_id, s.name, band, s.days_since_contact if s.last_contact else None))
            by_tier[band] = by_tier.get(band, 0) + 1
        if sig.days_to_birthday(s) == 0:
            birthdays.append(Named(s.customer_id, s.name))
    maturities.sort(key=lambda m: m.on)  # today's first, each day in the plan's order (a stable sort)
    overdue.sort(key=lambda o: tiers.TIER_RANK.get(o.tier, len(tiers.TIER_RANK)))  # by tier, as the plan's group 2
    risky = new_high_risk(session, ids, today)
    high = [
        NewHighRisk(s.customer_id, s.name, risky[s.customer_id])
        for s in sorted(sits.values(), key=order)
        if s.customer_id in risky
    ]
    promised = callbacks_due(session, rm.id, ids, today)
    callbacks = [Named(s.customer_id, s.name) for s in sorted(sits.values(), key=order) if s.customer_id in promised]
    return RmBriefing(
        rm.id,
        rm.name,
        today,
        tuple(maturities),
        tuple(high),
        tuple(overdue),
        by_tier,
        tuple(callbacks),
        tuple(birthdays),
    )


def branch_briefing(session: Session, head: StaffMember, rms: list[RmBriefing], today: date) -> BranchBriefing:
    name = session.execute(select(Branch.name).where(Branch.id == head.branch_id)).scalar_one_or_none() or ""
    return BranchBriefing(head.id, head.name, name, today, tuple(b for b in rms if not b.empty))


def briefing_text(session: Session, member: StaffMember, today: date) -> str | None:
    """The morning briefing `member` gets pushed, as text, without what they muted; None when there is
    nothing to say (or a counter, or the briefing muted)."""
    from bot.alerts.mutes import is_muted, without_muted_sections
    from bot.alerts.outbox import BRIEFING
    from bot.replies import alerts as words
    from bot.store.mutes import mutes_of
    from bot.store.staff_directory import active_staff_of_branch

    mutes = frozenset(mutes_of(session, member.id))
    if is_muted(mutes, BRIEFING):
        return None
    if member.role == "rm":
        b = without_muted_sections(rm_briefing(session, member, today), mutes)
        return None if b.empty else words.rm_briefing(b)
    if member.role == "branch_head":
        rms = [
            without_muted_sections(rm_briefing(session, m, today), mutes)
            for m in active_staff_of_branch(session, member.branch_id, "rm")
        ]
        bb = branch_briefing(session, member, rms, today)
        return None if bb.empty else words.branch_briefing(bb)
    return None
