"""Same-day alerts from new transactions and scores: who gets what, once, and from where a restart resumes."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.store.db import session_scope
from tests.alerts.conftest import run
from tests.alerts.rows import TODAY, score, small_bank, txn

NOON = datetime(2026, 11, 18, 12, 0)


def _bank(db):
    with session_scope(db) as s:
        people = small_bank(s)
    return people


async def test_a_large_outflow_of_a_client_of_50wan_alerts_the_rm_and_the_branch_head(db, fake_wecom):
    people = _bank(db)
    with session_scope(db) as s:
        txn(s, people["rich"], 12, other_bank=True, counterparty="招商银行")
        txn(s, people["rich"], 10, at=datetime(2026, 11, 18, 11, 0))  # 22万 out on the day in all
    summary = await run(db, fake_wecom, NOON, briefing="never")
    (to_rm,) = fake_wecom.drain("LiMing")
    (to_head,) = fake_wecom.drain("WangJianhua")
    assert to_rm.startswith("【大额资金异动】陈建国（贵宾）今天转出22万（其中转他行12万）")
    assert "报告网点负责人" in to_rm
    assert to_head.startswith("【大额资金异动】李明的客户陈建国（贵宾）今天转出22万")
    assert fake_wecom.drain("ZhangLi") == []
    assert summary.queued == summary.sent == 2  # the other-bank alert is folded into the movement


async def test_no_movement_alert_under_the_floor_or_under_20wan(db, fake_wecom):
    people = _bank(db)
    with session_scope(db) as s:
        txn(s, people["small"], 25, direction="in")  # a 30万 client: under the 50万 floor
        txn(s, people["other"], 19.9, direction="in")  # a 120万 client, 19.9万 in on the day
        txn(s, people["other"], 19.9, direction="in", at=datetime(2026, 11, 17, 9, 0))  # and as much yesterday
    await run(db, fake_wecom, NOON, briefing="never")
    assert fake_wecom.all_delivered() == []


async def test_the_floor_counts_the_assets_before_an_outflow(db, fake_wecom):
    people = _bank(db)
    with session_scope(db) as s:
        txn(s, people["small"], 25)  # 30万 left after 25万 went out: 55万 before the day
    await run(db, fake_wecom, NOON, briefing="never")
    assert sorted(m.touser for m in fake_wecom.all_delivered()) == ["LiMing", "WangJianhua"]


async def test_money_to_another_bank_alerts_the_rm_only(db, fake_wecom):
    people = _bank(db)
    with session_scope(db) as s:
        txn(s, people["other"], 8, other_bank=True, counterparty="工商银行")
    await run(db, fake_wecom, NOON, briefing="never")
    (text,) = fake_wecom.drain("ZhangLi")
    assert text.startswith("【他行转出】王秀颖（贵宾）今天转往工商银行8万。")
    assert fake_wecom.drain("WangJianhua") == []


async def test_a_risk_rise_to_high_alerts_the_rm_with_the_first_reason(db, fake_wecom):
    people = _bank(db)
    with session_scope(db) as s:
        score(s, people["rich"], 0.12, TODAY - timedelta(days=7))
        score(s, people["small"], 0.45, TODAY)  # first score ever: nothing to rise from, left to the briefing
    await run(db, fake_wecom, NOON, briefing="never")
    assert fake_wecom.all_delivered() == []
    with session_scope(db) as s:
        score(s, people["rich"], 0.36, TODAY, reason="300万理财下周到期，已比较他行收益")
    await run(db, fake_wecom, NOON + timedelta(minutes=1), briefing="never")
    (text,) = fake_wecom.drain("LiMing")
    assert text.startswith("【流失风险升高】陈建国（贵宾）风险升为高（12%→36%）：300万理财下周到期，已比较他行收益。")


async def test_new_high_risk_clients_head_the_briefing_with_their_reason(db, fake_wecom):
    people = _bank(db)
    with session_scope(db) as s:
        score(s, people["rich"], 0.12, TODAY - timedelta(days=7))
        score(s, people["rich"], 0.36, TODAY - timedelta(days=1), reason="近30天转他行50万")
        score(s, people["small"], 0.40, TODAY - timedelta(days=8))  # high for a week: not new
    await run(db, fake_wecom, datetime(2026, 11, 18, 8, 30), briefing="auto", detectors=False)
    (text,) = fake_wecom.drain("LiMing")
    assert "【新增高风险】1位\n· 陈建国：近30天转他行50万" in text


async def test_a_restart_resumes_from_the_watermark_and_alerts_only_on_new_data(db, fake_wecom):
    people = _bank(db)
    with session_scope(db) as s:
        txn(s, people["rich"], 30)
    first = await run(db, fake_wecom, NOON, briefing="never")
    assert first.sent == 2 and first.examined["transactions"] == 1
    again = await run(db, fake_wecom, NOON + timedelta(minutes=1), briefing="never")
    assert again.examined["transactions"] == 0 and again.queued == 0 and again.sent == 0
    with session_scope(db) as s:
        txn(s, people["rich"], 5, at=datetime(2026, 11, 18, 13, 0))  # same day, same direction: already told
        txn(s, people["other"], 25, direction="in", at=datetime(2026, 11, 18, 13, 0))
    third = await run(db, fake_wecom, NOON + timedelta(hours=2), briefing="never")
    assert third.examined["transactions"] == 2 and third.sent == 2
    assert fake_wecom.drain("ZhangLi")[0].startswith("【大额资金异动】王秀颖（贵宾）今天转入25万")
    assert len(fake_wecom.delivered_to("LiMing")) == 1


async def test_old_rows_arriving_late_and_a_first_run_over_history_stay_quiet(db, fake_wecom):
    people = _bank(db)
    with session_scope(db) as s:
        txn(s, people["rich"], 90, at=datetime(2026, 10, 2, 10, 0))
    summary = await run(db, fake_wecom, NOON, briefing="never")
    assert summary.examined["transactions"] == 1 and fake_wecom.all_delivered() == []


async def test_a_salary_that_stopped_alerts_the_rm_once(db, fake_wecom):
    people = _bank(db)
    with session_scope(db) as s:
        for month in (6, 7, 8, 9, 10):
            day = date(2026, month, 5) if month < 10 else date(2026, 10, 5)
            txn(
                s,
                people["small"],
                1.2,
                "in",
                datetime.combine(day, datetime.min.time()),
                purpose="salary",
                channel="payroll",
            )
    # Last salary on 10-05: 44 days before 11-18, past the 40-day gap.
    await run(db, fake_wecom, NOON, briefing="never")
    (text,) = fake_wecom.drain("LiMing")
    assert text.startswith("【代发停发】李静（金卡）的代发工资已44天未到账（上次10月5日，约1.2万）")
    await run(db, fake_wecom, datetime(2026, 11, 19, 12, 0), briefing="never")
    assert fake_wecom.drain("LiMing") == []


async def test_risk_rises_found_overnight_are_told_in_the_briefing_not_twice(db, fake_wecom):
    people = _bank(db)
    with session_scope(db) as s:
        score(s, people["rich"], 0.12, TODAY - timedelta(days=7))
        score(s, people["rich"], 0.36, TODAY, reason="近30天转他行50万")
    night = await run(db, fake_wecom, datetime(2026, 11, 18, 2, 30), briefing="never")  # the nightly scoring
    assert night.left_to_briefing == 1 and night.queued == 0
    await run(db, fake_wecom, datetime(2026, 11, 18, 8, 30))
    (text,) = fake_wecom.drain("LiMing")
    assert "【新增高风险】1位\n· 陈建国：近30天转他行50万" in text


async def test_risk_rises_found_on_a_saturday_night_wait_for_the_morning_as_alerts(db, fake_wecom):
    people = _bank(db)
    saturday = date(2026, 11, 21)
    with session_scope(db) as s:
        score(s, people["rich"], 0.12, saturday - timedelta(days=7))
        score(s, people["rich"], 0.36, saturday)
    night = await run(db, fake_wecom, datetime(2026, 11, 21, 2, 30))
    assert night.held == 1 and night.sent == 0
    await run(db, fake_wecom, datetime(2026, 11, 21, 8, 0))
    (text,) = fake_wecom.drain("LiMing")
    assert text.startswith("【流失风险升高】陈建国（贵宾）")
