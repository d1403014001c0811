"""今天先联系谁: the asker's clients with a reason to be contacted on the day, most urgent first, a page at a time."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.answers import NotAllowed, NotStaff
from bot.nlu.counts import parse_top_n
from bot.nlu.timerange import parse_time_range
from bot.playbook import PlanItem, daily_plan
from bot.store.audit import record_lookups
from bot.store.db import session_scope
from bot.store.scope import clients_in_scope
from bot.store.situation import situations
from bot.store.staff_directory import staff_by_id

PAGE_SIZE = 10
PLANNING_ROLES = frozenset({"rm", "branch_head"})  # counter staff serve walk-ins and have no book to plan


@dataclass(frozen=True)
class DailyPlanRequest:
    """As asked, in raw spans: kept in the conversation so '还有吗' can rerun it."""

    time_span: str | None = None
    top_n_span: str | None = None

    def to_dict(self) -> dict:
        return {"time_span": self.time_span, "top_n_span": self.top_n_span}

    @classmethod
    def from_dict(cls, d: dict) -> DailyPlanRequest:
        return cls(d.get("time_span"), d.get("top_n_span"))


@dataclass(frozen=True)
class DailyPlanAnswer:
    day: date
    today: date
    total: int
    offset: int
    items: tuple[PlanItem, ...]
    limited_to: int | None = None  # 前五个: only that many were asked for

    @property
    def remaining(self) -> int:
        shown_to = self.offset + len(self.items)
        end = min(self.total, self.limited_to) if self.limited_to else self.total
        return max(0, end - shown_to)


def plan_day(request: DailyPlanRequest, today: date) -> date:
    """The day asked about: 明天 when the question names a single later day, otherwise today."""
    if request.time_span:
        asked = parse_time_range(request.time_span, today, "forward")
        if asked is not None and asked.start == asked.end and asked.start > today:
            return asked.start
    return today


def daily_plan_for(
    staff_id: str, request: DailyPlanRequest, today: date, offset: int = 0, channel: str | None = None
) -> DailyPlanAnswer | NotStaff | NotAllowed:
    day = plan_day(request, today)
    limit = parse_top_n(request.top_n_span) if request.top_n_span else None
    with session_scope() as session:
        staff = staff_by_id(session, staff_id)
        if staff is None:
            return NotStaff(staff_id)
        if staff.role not in PLANNING_ROLES:
            return NotAllowed(staff.role)
        ids = [cid for cid, _name, _gender in clients_in_scope(session, staff)]
        plan = daily_plan(situations(session, ids, day), day)
        end = offset + PAGE_SIZE if limit is None else min(offset + PAGE_SIZE, limit)
        page = tuple(plan[offset:end])
        record_lookups(session, staff.id, [item.customer_id for item in page], "daily_plan", channel)
    return DailyPlanAnswer(day, today, len(plan), offset, page, limit)
