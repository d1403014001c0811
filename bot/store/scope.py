"""Which customers a staff member may see: an RM their own book, branch staff their branch."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from bot.store.models import Customer
from bot.store.staff_directory import StaffMember


def visible(staff: StaffMember) -> ColumnElement:
    """The WHERE clause that limits a query on `customers` to what `staff` may see."""
    if staff.role == "rm":
        return Customer.rm_id == staff.id
    # Branch heads and counter/lobby staff work on their own branch's clients.
    return Customer.branch_id == staff.branch_id


def can_see(session: Session, staff: StaffMember, customer_id: int) -> bool:
    row = session.execute(select(Customer.id).where(Customer.id == customer_id, visible(staff))).first()
    return row is not None


def clients_in_scope(session: Session, staff: StaffMember) -> list[tuple[int, str, str]]:
    """(id, name, gender) of open clients in the asker's scope: the only candidates a name may resolve to."""
    rows = session.execute(
        select(Customer.id, Customer.name, Customer.gender)
        .where(visible(staff), Customer.closed_on.is_(None))
        .order_by(Customer.id)
    )
    return [(r.id, r.name, r.gender) for r in rows]


def name_exists_outside_scope(session: Session, staff: StaffMember, name: str) -> bool:
    """True when the name belongs to a client the asker may not see (to answer 'not yours', not 'unknown')."""
    row = session.execute(select(Customer.id).where(Customer.name == name, ~visible(staff)).limit(1)).first()
    return row is not None


def customer_ids_in_scope(session: Session, staff: StaffMember, tier: str | None = None) -> list[int]:
    """Open clients the asker may see, optionally of one tier."""
    q = select(Customer.id).where(visible(staff), Customer.closed_on.is_(None))
    if tier:
        q = q.where(Customer.tier == tier)
    return list(session.execute(q.order_by(Customer.id)).scalars())


def names_of(session: Session, customer_ids: list[int]) -> dict[int, tuple[str, str]]:
    """id -> (name, tier) for display."""
    if not customer_ids:
        return {}
    rows = session.execute(select(Customer.id, Customer.name, Customer.tier).where(Customer.id.in_(customer_ids)))
    return {r.id: (r.name, r.tier) for r in rows}
