"""The one list mechanism of the conversation: every list kind the assistant shows, registered once, serves
both the first answer and 还有吗 / 下一页 / 前面的 from the same `last_list` state
({"kind", "request", "offset", "shown"}: what was asked, where the next page starts, and who was on the
page shown — customer ids, or RM ids for the branch overview — so "第三个" / "最后那个" point at them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import blocking, channel, focus_on, staff_id, text
from bot.answers.branch import RMS_PER_PAGE, branch_overview_for
from bot.answers.daily_plan import DailyPlanRequest, daily_plan_for
from bot.answers.maturing import MaturingRequest, maturing
from bot.answers.outflow import OutflowRequest, outflows
from bot.answers.product_match import match_product
from bot.answers.pushes import push_page
from bot.answers.risk import risk_list
from bot.answers.segment import SegmentQuery, segment_for
from bot.clock import today
from bot.nlu.totals import asks_count, asks_sum
from bot.nlu.weekly import ProductOffer
from bot.pages import PAGE_SIZE, Page
from bot.replies.alerts import push_clients_reply
from bot.replies.lists import figure_line
from bot.replies.maturing import maturing_list
from bot.replies.outflow import outflow_list
from bot.replies.playbook import branch_reply, daily_plan_reply, segment_reply
from bot.replies.risk import risk_list as risk_list_text
from bot.replies.weekly import product_match_reply


@dataclass(frozen=True)
class ListKind:
    build: Callable[[str, dict, Any, int, str | None], Any]  # (staff, request, today, offset, channel)
    word: Callable[[Any], str]
    page: Callable[[Any], Page]
    client_of: Callable[[Any], int] | None = None  # an item's customer id: a one-item page puts it in focus
    key_of: Callable[[Any], Any] | None = None  # what "第三个" points at when items are not clients
    page_size: int = PAGE_SIZE
    unit: str = "位"
    total_fen: Callable[[Any], tuple[int, str]] | None = None  # (sum, its label) for "总共多少钱"


KINDS: dict[str, ListKind] = {
    "maturing": ListKind(
        lambda s, r, d, o, c: maturing(s, MaturingRequest.from_dict(r), d, o, c),
        maturing_list,
        lambda a: a.page,
        lambda item: item.customer_id,
        unit="笔",
        total_fen=lambda a: (a.page.total_amount_fen, "到期合计"),
    ),
    "risk": ListKind(
        lambda s, r, d, o, c: risk_list(s, d, r.get("top_n"), r.get("tier"), o, PAGE_SIZE, c),
        risk_list_text,
        lambda a: a.page,
        lambda item: item.risk.customer_id,
    ),
    "daily_plan": ListKind(
        lambda s, r, d, o, c: daily_plan_for(s, DailyPlanRequest.from_dict(r), d, o, c),
        daily_plan_reply,
        lambda a: a.page,
        lambda item: item.customer_id,
    ),
    "segment": ListKind(
        lambda s, r, d, o, c: segment_for(s, SegmentQuery.from_dict(r), d, o, c),
        segment_reply,
        lambda a: a.page,
        lambda item: item.customer_id,
        total_fen=lambda a: (a.aum_total_fen, "资产合计"),
    ),
    "outflow": ListKind(
        lambda s, r, d, o, c: outflows(s, OutflowRequest.from_dict(r), d, o, c),
        outflow_list,
        lambda a: a.page,
        lambda item: item.customer_id,
    ),
    "product_match": ListKind(
        lambda s, r, d, o, c: match_product(s, ProductOffer.from_dict(r), d, o, c),
        product_match_reply,
        lambda a: a.page,
        lambda item: item.customer_id,
    ),
    # The clients of a push the staff member got (actions/pushes.py): its first page is the push itself.
    "push": ListKind(
        lambda s, r, d, o, c: push_page(s, int(r.get("outbox_id") or 0), d, o, c),
        push_clients_reply,
        lambda a: a.page,
        lambda item: item.customer_id,
    ),
    "branch": ListKind(
        lambda s, r, d, o, c: branch_overview_for(s, d, o, c),
        branch_reply,
        lambda a: a.rms,
        key_of=lambda row: row.rm_id,
        page_size=RMS_PER_PAGE,
    ),
}


async def show_list(
    dispatcher: CollectingDispatcher, tracker: Tracker, kind: str, request: dict, offset: int = 0
) -> list[dict[str, Any]]:
    """Answer one page of a list and remember how to continue it."""
    k = KINDS[kind]
    said = text(tracker)
    answer = await blocking(k.build, staff_id(tracker), request, today(), offset, channel(tracker))
    page = k.page(answer)
    dispatcher.utter_message(text=_figure_first(k, answer, page, said) + k.word(answer))
    key = k.client_of or k.key_of
    shown = [key(item) for item in page.items] if key is not None else []
    events: list[dict[str, Any]] = [
        SlotSet("last_list", {"kind": kind, "request": request, "offset": page.next_offset, "shown": shown})
    ]
    if k.client_of is not None and len(page.items) == 1:
        events += focus_on(k.client_of(page.items[0]))
    return events


def _figure_first(k: ListKind, answer: Any, page: Page, said: str) -> str:
    """ "有几个" / "总共多少钱" on a first page: the count or the sum, then the list."""
    if page.offset or not page.total or k.page_size != PAGE_SIZE:
        return ""
    if asks_sum(said) and k.total_fen is not None:
        fen, label = k.total_fen(answer)
        return figure_line(page.total, k.unit, fen, label) + "\n"
    if asks_count(said) or asks_sum(said):
        return figure_line(page.total, k.unit) + "\n"
    return ""


def previous_page_offset(state: dict) -> int | None:
    """Where the page before the one last shown starts; None when the first page was the last one shown.

    Pages start at multiples of the kind's page size, so the page shown is known from the next offset."""
    k = KINDS[state["kind"]]
    shown_from = ((max(1, int(state.get("offset") or 0)) - 1) // k.page_size) * k.page_size
    return None if shown_from == 0 else shown_from - k.page_size
