"""网点整体预警情况: the branch head's overview per RM; other roles are refused."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.answers import NotAllowed, NotStaff
from bot.store.audit import record_lookups
from bot.store.branch_overview import BranchOverview, branch_overview
from bot.store.db import session_scope
from bot.store.models import Branch
from bot.store.staff_directory import staff_by_id


@dataclass(frozen=True)
class BranchAnswer:
    branch_name: str
    overview: BranchOverview


def branch_overview_for(staff_id: str, today: date, channel: str | None = None) -> BranchAnswer | NotStaff | NotAllowed:
    with session_scope() as session:
        staff = staff_by_id(session, staff_id)
        if staff is None:
            return NotStaff(staff_id)
        if staff.role != "branch_head":
            return NotAllowed(staff.role)
        overview = branch_overview(session, staff.branch_id, today)
        branch = session.get(Branch, staff.branch_id)
        # Aggregates name no client; the entry records that the branch's book was looked at.
        record_lookups(session, staff.id, [None], "branch_overview", channel)
    return BranchAnswer(branch.name if branch else "", overview)
