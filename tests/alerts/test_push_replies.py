"""A reply to a push in the same chat (#14): the briefing or alert just sent through the fake WeCom API is
what "第一个", "他" and 还有吗 refer to, until the conversation shows a list or names a client of its own.

Each test sends a real push (tests/alerts/conftest.run) and then answers a reply with the actions, from a
tracker built from a dict whose event timestamps say what happened before and after the push."""

from __future__ import annotations

import time
from datetime import datetime

from sqlalchemy import select, update

from actions.paging import ActionMore
from actions.playbook import ActionAskScript
from actions.profile import ActionCustomerProfile
from bot.answers.pushes import newest_push
from bot.store.db import session_scope
from bot.store.models import Customer, OutboxMessage, PushClients
from tests.actions.trackers import run as run_action
from tests.actions.trackers import slot, slot_event, tracker
from tests.alerts.conftest import run
from tests.alerts.rows import TODAY, small_bank, txn

MORNING = datetime(2026, 11, 18, 8, 30)
NOON = datetime(2026, 11, 18, 12, 0)


def _named_in_order(briefing: str) -> list[str]:
    """The clients of a briefing's bullet lines, in the order the text names them."""
    names = []
    for line in briefing.split("\n"):
        if line.startswith("· ") and not line.startswith("· 另有"):
            names.append(line[2:].split(" ")[0].split("（")[0].split("：")[0])
    return names


def _id_of(url: str, staff: str, name: str) -> int:
    with session_scope(url) as s:
        return s.execute(select(Customer.id).where(Customer.name == name, Customer.rm_id == staff)).scalar_one()


async def _briefing(url, fake, monkeypatch) -> str:
    monkeypatch.setenv("BOT_DB_URL", url)
    await run(url, fake, MORNING, detectors=False)
    (text,) = fake.drain("LiMing")
    return text


async def test_after_the_briefing_ordinals_point_at_its_clients_in_the_order_shown(demo_copy, fake_wecom, monkeypatch):
    names = _named_in_order(await _briefing(demo_copy, fake_wecom, monkeypatch))
    assert names[0] == "李静"  # her 15万 matures today (tools/demo/showcase.py)
    messages, events = await run_action(
        ActionCustomerProfile(), tracker("rm01", "第一个的情况", "customer_profile", at=time.time() + 1)
    )
    assert "李静" in messages[0]
    assert slot(events, "focus_customer_id") == _id_of(demo_copy, "rm01", "李静")
    assert slot(events, "last_list")["kind"] == "push"
    messages, _ = await run_action(ActionAskScript(), tracker("rm01", "第二个的话术", "ask_script", at=time.time() + 1))
    assert names[1] in messages[0] and "李静" not in messages[0]


async def test_he_after_a_briefing_is_asked_back_not_guessed(demo_copy, fake_wecom, monkeypatch):
    await _briefing(demo_copy, fake_wecom, monkeypatch)
    before = time.time() - 60  # the client the conversation discussed before the push
    earlier = [slot_event("focus_customer_id", _id_of(demo_copy, "rm01", "陈建国"), before)]
    _, events = await run_action(
        ActionAskScript(),
        tracker(
            "rm01", "给他打电话怎么说", "ask_script",
            slots={"focus_customer_id": _id_of(demo_copy, "rm01", "陈建国")}, earlier=earlier, at=time.time() + 1,
        ),
    )  # fmt: skip
    taken_in = [e for e in events if e.get("name") == "focus_customer_id"]
    assert taken_in[0]["value"] is None  # many clients in the briefing: "他" is nobody in particular


async def test_a_list_shown_after_the_push_wins_over_it(demo_copy, fake_wecom, monkeypatch):
    await _briefing(demo_copy, fake_wecom, monkeypatch)
    chen = _id_of(demo_copy, "rm01", "陈建国")
    own = {"kind": "risk", "request": {}, "offset": 1, "shown": [chen]}
    after = time.time() + 1
    messages, events = await run_action(
        ActionCustomerProfile(),
        tracker(
            "rm01", "第一个的情况", "customer_profile",
            slots={"last_list": own}, earlier=[slot_event("last_list", own, after)], at=after + 1,
        ),
    )  # fmt: skip
    assert "陈建国" in messages[0] and slot(events, "focus_customer_id") == chen
    assert slot(events, "last_list") is None  # the conversation's own list stays


async def test_a_list_shown_before_the_push_gives_way_to_it(demo_copy, fake_wecom, monkeypatch):
    chen = _id_of(demo_copy, "rm01", "陈建国")
    own = {"kind": "risk", "request": {}, "offset": 1, "shown": [chen]}
    before = time.time()
    await _briefing(demo_copy, fake_wecom, monkeypatch)
    messages, events = await run_action(
        ActionCustomerProfile(),
        tracker(
            "rm01", "第一个的情况", "customer_profile",
            slots={"last_list": own}, earlier=[slot_event("last_list", own, before)], at=time.time() + 1,
        ),
    )  # fmt: skip
    assert "李静" in messages[0] and slot(events, "focus_customer_id") == _id_of(demo_copy, "rm01", "李静")


async def test_more_after_the_briefing_lists_the_clients_it_only_counted(demo_copy, fake_wecom, monkeypatch):
    text = await _briefing(demo_copy, fake_wecom, monkeypatch)
    assert "· 另有" in text
    shown = len(_named_in_order(text))
    messages, events = await run_action(ActionMore(), tracker("rm01", "还有吗", "more", at=time.time() + 1))
    assert messages[0].startswith(f"续上（第{shown + 1}–")
    assert slot(events, "last_list")["kind"] == "push"


async def test_after_an_alert_he_is_its_client(db, fake_wecom):
    with session_scope(db) as s:
        people = small_bank(s)
        txn(s, people["rich"], 8, other_bank=True, counterparty="工商银行")
        li = people["small"].id
    before = time.time()
    await run(db, fake_wecom, NOON, briefing="never")
    assert fake_wecom.drain("LiMing")[0].startswith("【他行转出】陈建国")
    messages, events = await run_action(
        ActionAskScript(),
        tracker(
            "rm01", "给他打电话怎么说", "ask_script",
            slots={"focus_customer_id": li}, earlier=[slot_event("focus_customer_id", li, before)],
            at=time.time() + 1,
        ),
    )  # fmt: skip
    assert "陈" in messages[0] and "李静" not in messages[0]
    assert slot(events, "focus_customer_id") == people["rich"].id


async def test_a_push_to_someone_else_or_of_another_day_is_not_taken_in(db, fake_wecom):
    with session_scope(db) as s:
        people = small_bank(s)
        txn(s, people["rich"], 8, other_bank=True, at=datetime(2026, 11, 17, 10, 0))
    await run(db, fake_wecom, datetime(2026, 11, 17, 12, 0), briefing="never")  # rm01's alert, yesterday
    with session_scope(db) as s:
        txn(s, people["other"], 8, other_bank=True)  # rm02's client: today's alert goes to rm02
    await run(db, fake_wecom, NOON, briefing="never")
    assert fake_wecom.drain("ZhangLi") and fake_wecom.drain("LiMing")
    assert newest_push("rm01", 0.0, None, TODAY) is None
    assert newest_push("rm02", 0.0, None, TODAY) is not None


async def test_a_client_the_rm_may_no_longer_see_is_never_answered_about(db, fake_wecom):
    with session_scope(db) as s:
        people = small_bank(s)
        txn(s, people["rich"], 8, other_bank=True)
    await run(db, fake_wecom, NOON, briefing="never")
    with session_scope(db) as s:  # handed over to rm02 after the alert
        s.execute(update(Customer).where(Customer.id == people["rich"].id).values(rm_id="rm02"))
    messages, events = await run_action(
        ActionAskScript(), tracker("rm01", "给他打电话怎么说", "ask_script", at=time.time() + 1)
    )
    assert "陈建国" not in messages[0]
    assert slot(events, "focus_customer_id") is None


async def test_the_outbox_keeps_the_clients_with_the_real_delivery_time(db, fake_wecom):
    with session_scope(db) as s:
        people = small_bank(s)
        txn(s, people["rich"], 30)  # a large movement: the RM and the branch head, both about 陈建国
    started = time.time()
    await run(db, fake_wecom, NOON, briefing="never")
    with session_scope(db) as s:
        rows = s.execute(
            select(OutboxMessage.staff_id, PushClients.clients, PushClients.shown, PushClients.delivered_epoch).join(
                PushClients, PushClients.outbox_id == OutboxMessage.id
            )
        ).all()
    assert sorted(r.staff_id for r in rows) == ["bh01", "rm01"]
    for r in rows:
        assert r.clients == f'[[{people["rich"].id}, "large_movement"]]' and r.shown == 1
        assert started <= r.delivered_epoch <= time.time()
