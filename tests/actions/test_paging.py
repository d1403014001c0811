"""还有吗 / 前面的 after every list kind: one mechanism (actions/lists.py), the same header, footer and end."""

from __future__ import annotations

import json
import re
from datetime import date, datetime

import pytest

from actions.lists import KINDS
from actions.maturing import ActionQueryMaturing
from actions.outflow import ActionQueryOutflow
from actions.paging import ActionMore
from actions.playbook import ActionBranchOverview, ActionDailyPlan, ActionQuerySegment
from actions.risk import ActionQueryChurnRisk
from actions.weekly import ActionMatchProduct
from bot import replies
from bot.store.db import session_scope
from bot.store.models import ChurnScore, Transaction
from bot.tiers import WAN
from tests import factories as f
from tests.actions.trackers import entity, run, slot, tracker

N = 12  # two pages of ten for every client list
RMS = 8  # two pages of six RM rows for the branch overview


def _bank(db) -> None:
    """rm01 owns N clients that are on every list; rm02 one that is on none of rm01's; bh01 heads the branch."""
    with session_scope(db) as s:
        f.branch(s, 1)
        f.staff(s, "rm01", "王丽")
        f.staff(s, "bh01", "周敏", role="branch_head")
        for k in range(2, RMS + 1):
            f.staff(s, f"rm{k:02d}", f"经理{k:02d}")
        p = f.product(s, "wealth", "稳享6个月")
        for i in range(N):
            c = f.customer(s, f"客户{i:02d}", "rm01")
            f.holding(s, c, p, 10 + i, date(2026, 11, 19))  # tomorrow: this week's maturities and today's plan
            s.add(
                ChurnScore(
                    customer_id=c.id, as_of=date(2026, 11, 18), score=0.5 + i / 100, churn_type="product",
                    reasons=json.dumps([{"code": "maturing", "text": "理财明天到期", "contribution": 0.5}]),
                    model_version="test-1", scored_at=datetime(2026, 11, 18, 6),
                )
            )  # fmt: skip
            s.add(
                Transaction(
                    customer_id=c.id, occurred_at=datetime(2026, 11, 10, 10), amount_fen=30 * WAN, direction="out",
                    channel="mobile", other_bank=True, counterparty=None, purpose="other_bank",
                )
            )  # fmt: skip
        f.customer(s, "李娜", "rm02")


def _ask(text: str, intent: str, entities=()):
    return lambda staff: tracker(staff, text, intent, list(entities))


MATURING = "本周哪些客户理财到期"
FIRST_ASKS = {
    "maturing": (
        ActionQueryMaturing(),
        "rm01",
        _ask(MATURING, "query_maturing", [entity(MATURING, "time_range", "本周")]),
    ),
    "risk": (ActionQueryChurnRisk(), "rm01", _ask("我的客户里谁最可能流失", "query_churn_risk")),
    "daily_plan": (ActionDailyPlan(), "rm01", _ask("今天先联系谁", "daily_plan")),
    "segment": (ActionQuerySegment(), "rm01", _ask("三个月没联系的客户", "query_segment")),
    "outflow": (ActionQueryOutflow(), "rm01", _ask("最近谁把钱转到他行了", "query_outflow")),
    "branch": (ActionBranchOverview(), "bh01", _ask("网点整体预警情况", "branch_overview")),
    "product_match": (ActionMatchProduct(), "rm01", _ask("新发了一款R2的一年期理财，哪些客户合适", "match_product")),
}


def test_every_list_kind_is_paged_by_the_one_registry():
    # "push": its first page is a push sent through WeCom, not an answer (tests/actions/test_push_replies.py).
    assert set(FIRST_ASKS) | {"push"} == set(KINDS)


async def _more(staff: str, said: str, state: dict) -> tuple[str, dict]:
    messages, events = await run(ActionMore(), tracker(staff, said, "more", slots={"last_list": state}))
    return messages[0], slot(events, "last_list")


def _numbers(reply: str) -> list[int]:
    return [int(m) for m in re.findall(r"^(\d+)\. ", reply, flags=re.M)]


@pytest.mark.parametrize("kind", [k for k in FIRST_ASKS if k != "branch"])
async def test_more_then_back_then_past_the_end(db, kind):
    _bank(db)
    action, staff, ask = FIRST_ASKS[kind]
    messages, events = await run(action, ask(staff))
    first, state = messages[0], slot(events, "last_list")
    unit = "笔" if kind == "maturing" else "位"
    assert _numbers(first) == list(range(1, 11)), first
    assert f"还有2{unit}，{replies.MORE_HINT}" in first and "李娜" not in first
    assert state["kind"] == kind and state["offset"] == 10

    second, state = await _more(staff, "还有吗", state)
    assert second.splitlines()[0] == f"续上（第11–12{unit}，共12{unit}）", second
    assert _numbers(second) == [11, 12] and "还有" not in second.replace("还有吗", "")
    assert state["offset"] == 12

    back, back_state = await _more(staff, "前面的", state)
    assert _numbers(back) == list(range(1, 11)) and back.splitlines()[0] == first.splitlines()[0], back
    assert back_state["offset"] == 10

    end, _ = await _more(staff, "下一页", state)
    assert "已经全部列出了" in end and _numbers(end) == [], end


async def test_the_branch_overview_pages_its_rm_rows(db):
    _bank(db)
    action, staff, ask = FIRST_ASKS["branch"]
    messages, events = await run(action, ask(staff))
    first, state = messages[0], slot(events, "last_list")
    assert "按客户经理：" in first and f"还有{RMS - 6}位客户经理，{replies.MORE_HINT}" in first, first
    second, state = await _more(staff, "还有吗", state)
    assert second.splitlines()[0] == f"续上（第7–{RMS}位客户经理，共{RMS}位客户经理）", second
    assert len(second.splitlines()) == 1 + RMS - 6
    back, _ = await _more(staff, "上一页", state)
    assert back.splitlines()[0] == first.splitlines()[0]


async def test_back_from_the_first_page_shows_it_again(db):
    _bank(db)
    action, staff, ask = FIRST_ASKS["risk"]
    messages, events = await run(action, ask(staff))
    again, state = await _more(staff, "前面的", slot(events, "last_list"))
    assert again == messages[0] and state["offset"] == 10


async def test_paging_a_list_of_another_staff_member_keeps_the_askers_scope(db):
    """The state names what was asked, never whose list it was: rm02 paging rm01's state sees rm02's book."""
    _bank(db)
    action, staff, ask = FIRST_ASKS["maturing"]
    _, events = await run(action, ask(staff))
    reply, _ = await _more("rm02", "还有吗", slot(events, "last_list"))
    assert reply.startswith("本周") and reply.endswith("没有产品到期。") and "客户0" not in reply
