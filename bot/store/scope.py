"""The one scope rule — which customers a staff member may see — which roles may use which capability, and
what of a client each role sees.

An RM sees their own book; branch heads and counter/lobby staff see their branch. Every query, write and
answer applies the rule through `visible` (SQL) or `covers` (a loaded row); nothing else decides it.

Least privilege: counter staff serve the client in front of them. They get what that moment needs — whether
the client is at risk, the churn type, what to say, who the client's RM is — and no lists over the branch's
money, no holdings, no phone numbers (`ROLES_FOR`, `view_of`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from bot.store.models import Customer
from bot.store.staff_directory import StaffMember


class NotStaff(PermissionError):
    """The sender is not a known, active staff member."""

    def __init__(self, sender_id: str) -> None:
        super().__init__(f"{sender_id!r} is not an active staff member")
        self.sender_id = sender_id


class NotAllowed(PermissionError):
    """The asker's role may not use this capability (an RM asking for the branch overview)."""

    def __init__(self, role: str, capability: str) -> None:
        super().__init__(f"a {role} may not use {capability}")
        self.role = role
        self.capability = capability


BOOK_ROLES = frozenset({"rm", "branch_head"})

# Capabilities open to some roles only; every other capability is open to every staff member.
ROLES_FOR = {
    "branch_overview": frozenset({"branch_head"}),
    "daily_plan": BOOK_ROLES,  # counter staff serve walk-ins and have no book to plan
    # Lists over many clients' money are for the people who manage them.
    "query_maturing": BOOK_ROLES,
    "query_churn_risk": BOOK_ROLES,
    "query_outflow": BOOK_ROLES,
    "query_segment": BOOK_ROLES,
    # The week's bookkeeping (#15): a book moves only by the branch head's hand; matching products and
    # updating a client's record are the RMs' work. Complaints are logged by whoever hears them (counter too).
    "handover_clients": frozenset({"branch_head"}),
    "match_product": BOOK_ROLES,
    "update_client_info": BOOK_ROLES,
    # Pushes (#14) reach RMs and branch heads only, so only they have any to mute.
    "alert_mutes": BOOK_ROLES,
}


@dataclass(frozen=True)
class ClientView:
    """What of one client's card a role sees."""

    holdings: bool  # products, balances, assets
    phone: bool
    contact_history: bool
    risk: bool  # the risk band and churn type on the card itself


FULL_VIEW = ClientView(holdings=True, phone=True, contact_history=True, risk=False)
VIEWS = {"counter": ClientView(holdings=False, phone=False, contact_history=False, risk=True)}


def view_of(staff: StaffMember) -> ClientView:
    return VIEWS.get(staff.role, FULL_VIEW)


def may_use(staff: StaffMember, capability: str) -> bool:
    roles = ROLES_FOR.get(capability)
    return roles is None or staff.role in roles


def require(staff: StaffMember, capability: str) -> None:
    if not may_use(staff, capability):
        raise NotAllowed(staff.role, capability)


@dataclass(frozen=True)
class Scope:
    """The part of the bank a staff member works on: an RM's book or a whole branch."""

    rm_id: str | None
    branch_id: int | None

    @property
    def is_book(self) -> bool:
        return self.rm_id is not None


def scope_of(staff: StaffMember) -> Scope:
    """The rule itself."""
    if staff.role == "rm":
        return Scope(rm_id=staff.id, branch_id=None)
    return Scope(rm_id=None, branch_id=staff.branch_id)


def visible(staff: StaffMember) -> ColumnElement:
    """The WHERE clause that limits a query on `customers` to what `staff` may see."""
    scope = scope_of(staff)
    return Customer.rm_id == scope.rm_id if scope.is_book else Customer.branch_id == scope.branch_id


def covers(staff: StaffMember, customer: Customer) -> bool:
    """The same rule on a customer row already loaded (before a write)."""
    scope = scope_of(staff)
    return customer.rm_id == scope.rm_id if scope.is_book else customer.branch_id == scope.branch_id


def clients_in_scope(session: Session, staff: StaffMember) -> list[tuple[int, str, str]]:
    """(id, name, gender) of open clients in the asker's scope: the only candidates a name may resolve to."""
    rows = session.execute(
        select(Customer.id, Customer.name, Customer.gender)
        .where(visible(staff), Customer.closed_on.is_(None))
        .order_by(Customer.id)
    )
    return [(r.id, r.name, r.gender) for r in rows]


def names_outside_scope(session: Session, staff: StaffMember, names: Iterable[str]) -> set[str]:
    """Which of `names` belong to a client the asker may not see: such a name is refused, never swapped
    for a similar-sounding client the asker may see."""
    wanted = sorted(set(names))
    if not wanted:
        return set()
    rows = session.execute(select(Customer.name).where(Customer.name.in_(wanted), ~visible(staff)).distinct())
    return set(rows.scalars())


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


def visible_among(session: Session, staff: StaffMember, customer_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """id -> (name, tier) of those of `customer_ids` the asker may see (open clients only)."""
    wanted = sorted({int(cid) for cid in customer_ids})
    if not wanted:
        return {}
    rows = session.execute(
        select(Customer.id, Customer.name, Customer.tier).where(
            Customer.id.in_(wanted), visible(staff), Customer.closed_on.is_(None)
        )
    )
    return {r.id: (r.name, r.tier) for r in rows}
