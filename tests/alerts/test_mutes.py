"""Muting a kind of push for oneself (#14): said in the chat, kept in `alert_mutes`, respected by every
pass against the fake WeCom API; the duties (large movements, counter withdrawals) are never muted."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from actions.mutes import ActionAlertMutes
from bot import replies
from bot.alerts.briefing import briefing_text
from bot.store import mutes
from bot.store.db import session_scope
from bot.store.models import AlertMute
from bot.store.staff_directory import staff_by_id
from tests.actions.trackers import run as run_action
from tests.actions.trackers import tracker
from tests.alerts.conftest import run
from tests.alerts.rows import TODAY, score, small_bank, txn
from tests.factories import staff
from tests.playbook.rows import pg_schema_engine

NOON = datetime(2026, 11, 18, 12, 0)
MORNING = datetime(2026, 11, 18, 8, 30)


async def _say(staff_id: str, text: str) -> str:
    messages, events = await run_action(ActionAlertMutes(), tracker(staff_id, text, "alert_mutes"))
    assert events == [] and len(messages) == 1
    return messages[0]


def _bank(db):
    with session_scope(db) as s:
        return small_bank(s)


async def test_a_muted_kind_is_not_sent_and_sent_again_once_unmuted(db, fake_wecom):
    people = _bank(db)
    assert "不再给您推送他行转出提醒" in await _say("rm01", "别再推送他行转出的提醒了")
    with session_scope(db) as s:
        txn(s, people["rich"], 8, other_bank=True, counterparty="工商银行")
    summary = await run(db, fake_wecom, NOON, briefing="never")
    assert fake_wecom.drain("LiMing") == [] and summary.muted == 1 and summary.queued == 0

    assert "已恢复他行转出提醒" in await _say("rm01", "恢复他行转出提醒")
    with session_scope(db) as s:
        txn(s, people["small"], 6, other_bank=True, counterparty="建设银行", at=datetime(2026, 11, 18, 13, 0))
    await run(db, fake_wecom, NOON + timedelta(hours=2), briefing="never")
    (text,) = fake_wecom.drain("LiMing")
    assert text.startswith("【他行转出】李静")


async def test_a_push_held_for_the_morning_is_not_sent_once_its_kind_is_muted(db, fake_wecom):
    people = _bank(db)
    with session_scope(db) as s:
        txn(s, people["rich"], 8, other_bank=True, counterparty="工商银行", at=datetime(2026, 11, 18, 21, 40))
        txn(s, people["other"], 8, other_bank=True, at=datetime(2026, 11, 18, 21, 45))  # rm02's: not muted
    night = await run(db, fake_wecom, datetime(2026, 11, 18, 22, 0), briefing="never")
    assert night.queued == 2 and night.held == 2 and night.sent == 0
    await _say("rm01", "别再推送他行转出的提醒了")
    morning = await run(db, fake_wecom, datetime(2026, 11, 19, 8, 1), briefing="never")
    assert fake_wecom.drain("LiMing") == [] and len(fake_wecom.drain("ZhangLi")) == 1 and morning.sent == 1
    await _say("rm01", "恢复他行转出提醒")  # the moment has passed: a withdrawn push stays withdrawn
    await run(db, fake_wecom, datetime(2026, 11, 19, 9, 0), briefing="never")
    assert fake_wecom.drain("LiMing") == []


async def test_one_members_mute_leaves_the_others_pushes_alone(db, fake_wecom):
    people = _bank(db)
    await _say("rm01", "转出提醒关掉")
    with session_scope(db) as s:
        txn(s, people["other"], 8, other_bank=True)  # rm02's client
    await run(db, fake_wecom, NOON, briefing="never")
    assert len(fake_wecom.drain("ZhangLi")) == 1


async def test_the_list_shows_the_mutes_and_what_can_be_muted(db):
    _bank(db)
    assert "您没有关闭任何推送" in await _say("rm01", "我关了哪些推送")
    await _say("rm01", "生日提醒关掉")
    await _say("rm01", "晨报以后别发给我了")
    listed = await _say("rm01", "看看我屏蔽了哪些提醒")
    assert "您已关闭：生日提醒、早报。" in listed and "可以关闭的有：" in listed
    assert "之前已经关闭了" in await _say("rm01", "屏蔽生日提醒")
    assert "本来就开着" in await _say("rm01", "恢复回访提醒")


async def test_the_duties_are_refused_with_their_reason_and_still_sent(db, fake_wecom):
    people = _bank(db)
    large = await _say("rm01", "大额异动提醒关掉")
    assert large.startswith("大额资金异动提醒不能关闭：50万以上客户单日进出20万")
    assert "柜面取款提醒不能关闭" in await _say("rm01", "柜台取款的提醒别推了")
    with session_scope(db) as s:
        assert s.execute(select(AlertMute)).first() is None
        s.add(AlertMute(staff_id="rm01", kind="large_movement", muted_at=NOON))  # however it got there
    with session_scope(db) as s:
        txn(s, people["rich"], 30)
    await run(db, fake_wecom, NOON, briefing="never")
    assert fake_wecom.drain("LiMing")[0].startswith("【大额资金异动】陈建国")


async def test_an_unknown_kind_or_none_is_told_which_can_be_muted(db):
    _bank(db)
    unknown = await _say("rm01", "天气提醒关掉")
    assert unknown.startswith("没有“天气”这类推送。") and "可以关闭的有：早报、到期提醒" in unknown
    assert (await _say("rm01", "推送太多了，帮我关掉一些")).startswith("想关闭或恢复哪类推送？")
    with session_scope(db) as s:
        assert s.execute(select(AlertMute)).first() is None


async def test_counter_staff_get_no_pushes_and_have_none_to_mute(db):
    with session_scope(db) as s:
        small_bank(s)
        staff(s, "ct01", "周倩", role="counter")
    assert await _say("ct01", "别再推送生日提醒了") == replies._NOT_ALLOWED_FOR["alert_mutes"]


async def test_a_muted_section_leaves_the_briefing_and_the_rest_is_sent(demo_copy, fake_wecom, monkeypatch):
    monkeypatch.setenv("BOT_DB_URL", demo_copy)
    await _say("rm01", "到期提醒先关一下")
    await run(demo_copy, fake_wecom, MORNING, detectors=False)
    (text,) = fake_wecom.drain("LiMing")
    assert text.startswith("李明，早上好。") and "【今明到期】" not in text and "【该联系了】" in text
    (head,) = fake_wecom.drain("WangJianhua")  # the branch head's own briefing keeps the maturities
    assert "到期3" in head


async def test_a_muted_briefing_is_not_sent_and_its_overnight_risk_rises_come_as_alerts(db, fake_wecom):
    people = _bank(db)
    await _say("rm01", "早报不用推了")
    with session_scope(db) as s:
        score(s, people["rich"], 0.12, TODAY - timedelta(days=7))
        score(s, people["rich"], 0.36, TODAY, reason="近30天转他行50万")
    night = await run(db, fake_wecom, datetime(2026, 11, 18, 2, 30), briefing="never")
    assert night.left_to_briefing == 0 and night.held == 1
    morning = await run(db, fake_wecom, MORNING)
    (text,) = fake_wecom.drain("LiMing")
    assert text.startswith("【流失风险升高】陈建国") and morning.muted == 1
    with session_scope(db) as s:  # and the chat's start (make run) shows no briefing either
        assert briefing_text(s, staff_by_id(s, "rm01"), TODAY) is None


def test_mutes_are_kept_once_on_postgresql():
    with pg_schema_engine() as engine, Session(engine, future=True) as s:
        small_bank(s)
        assert mutes.mute(s, "rm01", "birthday", NOON) is True
        assert mutes.mute(s, "rm01", "birthday", NOON) is False
        assert mutes.mute(s, "rm01", "briefing", NOON + timedelta(minutes=1)) is True
        assert mutes.mutes_of(s, "rm01") == ["birthday", "briefing"]
        assert mutes.mutes_by_staff(s) == {"rm01": frozenset({"birthday", "briefing"})}
        assert mutes.unmute(s, "rm01", "birthday") is True and mutes.unmute(s, "rm01", "birthday") is False
        s.commit()
