"""Handing clients from one RM to another (an RM leaves, books are rebalanced).

All or nothing: every check runs before the first write, and the caller's unit of work commits the
moves, the handover rows and the audit rows together (any error rolls all of them back).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.store.audit import record_lookups
from bot.store.models import Customer, Handover, Staff
from bot.store.staff_directory import StaffMember

AUDIT_INTENT = "handover"


class HandoverRefused(ValueError):
    """The handover cannot be done as asked; `reason` is a code the replies word."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason  # unknown_rm | other_branch | same_rm | no_clients | not_in_book
        self.detail = detail


@dataclass(frozen=True)
class HandoverPlan:
    from_rm: str
    from_name: str
    to_rm: str
    to_name: str
    customer_ids: tuple[int, ...]
    names: tuple[str, ...]  # the first few, for the confirmation


@dataclass(frozen=True)
class HandoverDone:
    plan: HandoverPlan
    batch: str
    moved: int


def _rm(session: Session, staff_id: str, by: StaffMember) -> Staff:
    row = session.get(Staff, staff_id)
    if row is None or row.role != "rm" or not row.active:
        raise HandoverRefused("unknown_rm", staff_id)
    if row.branch_id != by.branch_id:
        raise HandoverRefused("other_branch", staff_id)
    return row


def plan_handover(
    session: Session, by: StaffMember, from_rm: str, to_rm: str, customer_ids: Sequence[int] | None = None
) -> HandoverPlan:
    """What would move: the whole open book of from_rm, or the named clients of it. Writes nothing."""
    source, target = _rm(session, from_rm, by), _rm(session, to_rm, by)
    if source.id == target.id:
        raise HandoverRefused("same_rm", from_rm)
    q = select(Customer.id, Customer.name).where(Customer.rm_id == source.id, Customer.closed_on.is_(None))
    if customer_ids is not None:
        wanted = sorted({int(c) for c in customer_ids})
        rows = session.execute(q.where(Customer.id.in_(wanted)).order_by(Customer.id)).all()
        if len(rows) != len(wanted):
            missing = sorted(set(wanted) - {r.id for r in rows})
            raise HandoverRefused("not_in_book", ",".join(map(str, missing)))
    else:
        rows = session.execute(q.order_by(Customer.id)).all()
    if not rows:
        raise HandoverRefused("no_clients", from_rm)
    return HandoverPlan(
        source.id, source.name, target.id, target.name, tuple(r.id for r in rows), tuple(r.name for r in rows[:5])
    )


def hand_over(
    session: Session,
    by: StaffMember,
    from_rm: str,
    to_rm: str,
    customer_ids: Sequence[int] | None,
    at: datetime,
    channel: str | None = None,
) -> HandoverDone:
    """Move the clients, one handover row per client (who, from, to, when, batch), audited per client."""
    plan = plan_handover(session, by, from_rm, to_rm, customer_ids)
    batch = uuid.uuid4().hex
    ids = list(plan.customer_ids)
    result = session.execute(
        update(Customer)
        .where(Customer.id.in_(ids), Customer.rm_id == plan.from_rm)
        .values(rm_id=plan.to_rm)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != len(ids):  # someone moved a client meanwhile: nothing of this handover stays
        raise HandoverRefused("not_in_book", "changed during the handover")
    session.add_all(
        Handover(customer_id=cid, from_rm=plan.from_rm, to_rm=plan.to_rm, by_staff=by.id, at=at, batch=batch)
        for cid in ids
    )
    record_lookups(session, by.id, ids, AUDIT_INTENT, channel)
    session.flush()
    return HandoverDone(plan, batch, len(ids))
