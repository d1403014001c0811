"""今天先联系谁: the asker's clients with a reason to be contacted on the day, most urgent first, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.answers.complete_scores import ensure_scores
from bot.answers.question import question
from bot.nlu.counts import parse_top_n
from bot.nlu.timerange import parse_time_range
from bot.pages import PAGE_SIZE, Page
from bot.playbook import PlanItem, daily_plan
from bot.playbook.daily_plan import PLAN_LIMIT
from bot.store.scope import clients_in_scope
from bot.store.situation import situations

RECEIVED_NAMES = 3  # clients just handed over named in the plan's first-page note


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
    page: Page[PlanItem]  # total: the day's list (at most PLAN_LIMIT), or as many as were asked for (前五个)
    plan_size: int  # every client with a reason: the rest beyond the day's list are counted, not listed
    received: tuple[str, ...] = ()  # names of clients just handed over to the asker, not yet contacted (first few)
    received_count: int = 0


def plan_day(request: DailyPlanRequest, today: date) -> date:
    """The day asked about: 明天 when the question names a single later day, otherwise today."""
    if request.time_span:
        asked = parse_time_range(request.time_span, today, "forward")
        if asked is not None and asked.start == asked.end and asked.start > today:
            return asked.start
    return today


def daily_plan_for(
    staff_id: str, request: DailyPlanRequest, today: date, offset: int = 0, channel: str | None = None
) -> DailyPlanAnswer:
    day = plan_day(request, today)
    limit = parse_top_n(request.top_n_span) if request.top_n_span else None
    with question(staff_id, "daily_plan", channel) as q:
        ids = [cid for cid, _name, _gender in clients_in_scope(q.session, q.staff)]
        ensure_scores(q.session, ids, today)
        plan = daily_plan(situations(q.session, ids, day), day)
        wanted = plan[: min(limit, PLAN_LIMIT) if limit else PLAN_LIMIT]
        page = Page(tuple(wanted[offset : offset + PAGE_SIZE]), offset, len(wanted))
        q.shown(item.customer_id for item in page.items)
    received = [item.name for item in plan if item.reason == "handed_over"]
    return DailyPlanAnswer(day, today, page, len(plan), tuple(received[:RECEIVED_NAMES]), len(received))
