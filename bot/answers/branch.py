"""网点整体预警情况: the branch head's overview per RM; other roles are refused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.answers.complete_scores import ensure_scores
from bot.answers.question import question
from bot.pages import Page, page_of
from bot.store.branch_overview import BranchOverview, RmOverview, branch_overview
from bot.store.models import Branch
from bot.store.scope import customer_ids_in_scope

RMS_PER_PAGE = 6  # per-RM rows under the branch totals: one phone screen (WeCom caps a message at 2048 bytes)


@dataclass(frozen=True)
class BranchAnswer:
    branch_name: str
    overview: BranchOverview
    rms: Page[RmOverview]  # the page of per-RM rows shown


def branch_overview_for(staff_id: str, today: date, offset: int = 0, channel: str | None = None) -> BranchAnswer:
    with question(staff_id, "branch_overview", channel) as q:
        ensure_scores(q.session, customer_ids_in_scope(q.session, q.staff), today)  # count every client's risk
        overview = branch_overview(q.session, q.staff.branch_id, today)  # only a branch head may ask: their branch
        branch = q.session.get(Branch, q.staff.branch_id)
        q.shown_one(None)  # aggregates name no client; the entry records that the branch's book was looked at
    return BranchAnswer(branch.name if branch else "", overview, page_of(overview.rms, offset, RMS_PER_PAGE))


@dataclass(frozen=True)
class RmPartAnswer:
    """李明那边呢: one RM's row of the branch overview; rm None when nobody of the branch was named."""

    branch_name: str
    as_of: date
    said: str
    rm: RmOverview | None


def rm_named(rows: tuple[RmOverview, ...], text: str) -> RmOverview | None:
    """The RM of the overview whose name the text holds (李明那边呢), or whose given name it holds (明那边)."""
    named = [r for r in rows if r.rm_name and r.rm_name in text]
    if not named:
        named = [r for r in rows if r.rm_name and len(r.rm_name) > 2 and r.rm_name[1:] in text]
    return named[0] if len(named) == 1 else None


def rm_part_for(
    staff_id: str, said: str, text: str, today: date, channel: str | None = None, rm_id: str | None = None
) -> RmPartAnswer:
    """By the name in the text, or by `rm_id` (a row of the overview pointed at: "第二个呢")."""
    with question(staff_id, "branch_overview", channel) as q:
        overview = branch_overview(q.session, q.staff.branch_id, today)
        branch = q.session.get(Branch, q.staff.branch_id)
        q.shown_one(None)
    if rm_id is not None:
        rm = next((r for r in overview.rms if r.rm_id == rm_id), None)
    else:
        rm = rm_named(overview.rms, text)
    return RmPartAnswer(branch.name if branch else "", today, said, rm)
