"""The assistant's answers on the demo bank, checked against independent SQL (sqlite3, not the product's queries)."""

import re
import sqlite3

import pytest

from actions.maturing import ActionQueryMaturing
from actions.paging import ActionMore
from actions.profile import ActionCustomerProfile
from tests.actions.trackers import entity, run, slot, tracker

LINE = re.compile(r"^\d+\. (\S+?)（")


def _sql(url: str, query: str, *args) -> list[tuple]:
    with sqlite3.connect(url.split("///", 1)[1]) as conn:
        return conn.execute(query, args).fetchall()


async def _all_pages(staff: str, text: str, entities: list[dict]) -> list[str]:
    messages, events = await run(ActionQueryMaturing(), tracker(staff, text, "query_maturing", entities))
    replies = [messages[0]]
    while "还有吗" in replies[-1]:
        messages, events = await run(
            ActionMore(), tracker(staff, "还有吗", "more", slots={"last_list": slot(events, "last_list")})
        )
        replies.append(messages[0])
    return [m.group(1) for reply in replies for line in reply.splitlines() if (m := LINE.match(line))]


@pytest.mark.parametrize("staff", ["rm01", "rm02", "bh01"])
async def test_this_weeks_maturities_are_exactly_the_independent_query(demo_bank, staff):
    text = "本周哪些客户理财到期"
    names = await _all_pages(staff, text, [entity(text, "time_range", "本周")])
    scope = "c.rm_id = ?" if staff.startswith("rm") else "c.branch_id = (SELECT branch_id FROM staff WHERE id = ?)"
    expected = _sql(
        demo_bank,
        f"""SELECT c.name FROM holdings h JOIN customers c ON c.id = h.customer_id
            WHERE {scope} AND h.maturity_date BETWEEN '2026-11-16' AND '2026-11-22' AND h.status != 'redeemed'
            ORDER BY h.maturity_date, h.amount_fen DESC, h.id""",
        staff,
    )
    assert names == [n for (n,) in expected] and names


async def test_large_term_deposits_next_week_filter_matches_sql(demo_bank):
    text = "下周50万以上的大额存单"
    ents = [
        entity(text, "time_range", "下周"),
        entity(text, "amount", "50万以上"),
        entity(text, "product_type", "大额存单", "cd"),
    ]
    names = await _all_pages("rm01", text, ents)
    expected = _sql(
        demo_bank,
        """SELECT c.name FROM holdings h JOIN customers c ON c.id = h.customer_id JOIN products p ON p.id = h.product_id
           WHERE c.rm_id = 'rm01' AND p.type = 'cd' AND h.amount_fen >= 50 * 10000 * 100
             AND h.maturity_date BETWEEN '2026-11-23' AND '2026-11-29' AND h.status != 'redeemed'
           ORDER BY h.maturity_date, h.amount_fen DESC, h.id""",
    )
    assert names == [n for (n,) in expected]
    assert "张伟" in names  # the planted 50万 CD of the second 张伟 matures on Friday next week


async def test_demo_rm_sees_the_showcase_client_and_not_rm02s(demo_bank):
    text = "看一下陈总的情况"
    messages, _ = await run(
        ActionCustomerProfile(), tracker("rm01", text, "customer_profile", [entity(text, "customer_name", "陈总")])
    )
    assert messages[0].startswith("陈建国") and "私行" in messages[0]
    text = "李娜的资产"
    messages, _ = await run(
        ActionCustomerProfile(), tracker("rm01", text, "customer_profile", [entity(text, "customer_name", "李娜")])
    )
    assert "在您可查看的客户里没有“李娜”" in messages[0]
