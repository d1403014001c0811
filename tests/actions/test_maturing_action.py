from datetime import date

from sqlalchemy import select

from actions.maturing import ActionQueryMaturing
from actions.paging import ActionMore
from bot import replies
from bot.store.db import session_scope
from bot.store.models import AuditEntry
from tests import factories as f
from tests.actions.trackers import entity, run, slot, tracker


def _book(db, n_this_week=12):
    with session_scope(db) as s:
        f.branch(s, 1)
        f.staff(s, "rm01", "王丽")
        f.staff(s, "rm02", "赵强")
        p = f.product(s, "wealth", "稳享6个月")
        for i in range(n_this_week):
            c = f.customer(s, f"客户{i:02d}", "rm01")
            f.holding(s, c, p, 10 + i, date(2026, 11, 16 + i % 7))
        other = f.customer(s, "李娜", "rm02")
        f.holding(s, other, p, 99, date(2026, 11, 18))


async def test_maturing_this_week_lists_first_ten_of_own_clients_and_counts_the_rest(db):
    _book(db)
    text = "本周哪些客户理财到期"
    trk = tracker(
        "rm01",
        text,
        "query_maturing",
        [entity(text, "time_range", "本周"), entity(text, "product_type", "理财", "wealth")],
    )
    messages, events = await run(ActionQueryMaturing(), trk)
    reply = messages[0]
    assert "共12笔" in reply and "还有2笔" in reply
    assert reply.count("\n1") >= 1 and "李娜" not in reply
    assert slot(events, "last_list")["offset"] == 10


async def test_more_shows_the_next_page_of_the_same_question(db):
    _book(db)
    text = "本周哪些客户理财到期"
    first_events = (
        await run(ActionQueryMaturing(), tracker("rm01", text, "query_maturing", [entity(text, "time_range", "本周")]))
    )[1]
    messages, events = await run(
        ActionMore(), tracker("rm01", "还有吗", "more", slots={"last_list": slot(first_events, "last_list")})
    )
    numbers = [line.split(".")[0] for line in messages[0].splitlines()[1:]]
    assert numbers == ["11", "12"]
    assert slot(events, "last_list")["offset"] == 12


async def test_more_after_the_last_page_says_the_list_is_complete(db):
    _book(db, n_this_week=3)
    state = {"kind": "maturing", "request": {"time_span": "本周"}, "offset": 3}
    messages, _ = await run(ActionMore(), tracker("rm01", "还有吗", "more", slots={"last_list": state}))
    assert "全部列出" in messages[0]


async def test_nothing_due_says_so(db):
    _book(db, n_this_week=0)
    text = "明天哪些客户理财到期"
    messages, _ = await run(
        ActionQueryMaturing(), tracker("rm01", text, "query_maturing", [entity(text, "time_range", "明天")])
    )
    assert "没有" in messages[0]


async def test_unknown_sender_is_refused_without_data(db):
    _book(db)
    messages, _ = await run(ActionQueryMaturing(), tracker("intruder", "本周哪些客户理财到期", "query_maturing"))
    assert messages == [replies.NOT_STAFF]


async def test_listed_customers_are_audited(db):
    _book(db, n_this_week=3)
    text = "本周哪些客户理财到期"
    await run(ActionQueryMaturing(), tracker("rm01", text, "query_maturing", [entity(text, "time_range", "本周")]))
    with session_scope(db) as s:
        rows = s.execute(select(AuditEntry).where(AuditEntry.staff_id == "rm01")).scalars().all()
    assert len(rows) == 3 and {r.intent for r in rows} == {"query_maturing"}


async def test_follow_up_reuses_the_previous_filters_for_a_new_period(db):
    _book(db)
    with session_scope(db) as s:
        c = f.customer(s, "下周客户", "rm01")
        f.holding(s, c, f.product(s, "cd", "大额存单"), 60, date(2026, 11, 25))
    text = "本周大额存单到期的"
    _, events = await run(
        ActionQueryMaturing(),
        tracker(
            "rm01",
            text,
            "query_maturing",
            [entity(text, "time_range", "本周"), entity(text, "product_type", "大额存单", "cd")],
        ),
    )
    follow = "那下周呢"
    messages, _ = await run(
        ActionQueryMaturing(),
        tracker(
            "rm01",
            follow,
            "query_maturing",
            [entity(follow, "time_range", "下周")],
            slots={"last_list": slot(events, "last_list")},
        ),
    )
    assert "下周客户" in messages[0] and "大额存单" in messages[0] and "共1笔" in messages[0]
