"""The one door every answer builder goes through.

    with question(staff_id, "query_maturing", channel) as q:
        page = maturing_holdings(q.session, q.staff, ...)
        q.shown(item.customer_id for item in page.items)

opens one session, resolves the asking staff member (`NotStaff` when unknown or inactive), checks the
role may use the capability (`NotAllowed`), and on success writes one audit row per customer shown —
the client asked about, or None when a name matched nobody or the answer names no client.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from bot.store.audit import record_lookups
from bot.store.db import session_scope
from bot.store.scope import NotStaff, require
from bot.store.staff_directory import StaffMember, staff_by_id


@dataclass
class Question:
    session: Session
    staff: StaffMember
    _shown: list[int | None] = field(default_factory=list)

    def shown(self, customer_ids: Iterable[int | None]) -> None:
        """Customers the answer shows (audited when the question completes)."""
        self._shown.extend(customer_ids)

    def shown_one(self, customer_id: int | None) -> None:
        """The one client asked about; None when nobody (or nobody visible) was found."""
        self._shown.append(customer_id)


@contextmanager
def question(staff_id: str, capability: str, channel: str | None = None) -> Iterator[Question]:
    with session_scope() as session:
        staff = staff_by_id(session, staff_id)
        if staff is None:
            raise NotStaff(staff_id)
        require(staff, capability)
        q = Question(session, staff)
        yield q
        record_lookups(session, staff.id, q._shown, capability, channel)
