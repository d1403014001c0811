"""A withdrawal asked about at the counter reaches the client's RM, once a day."""

from __future__ import annotations

from datetime import datetime

from bot.answers.script import ScriptRequest, script
from bot.store.db import session_scope
from tests.alerts.conftest import run
from tests.alerts.rows import TODAY, small_bank
from tests.factories import staff

# The answer stamps the push with BOT_TODAY and the real time of day: the sender runs at the day's last minute.
LATE = datetime(2026, 11, 18, 23, 59)
ASKED = ScriptRequest(
    said="陈建国", text="客户陈建国要取五十万说是买房", focus_id=None, purpose="house", amount_span="五十万"
)


async def test_a_counter_withdrawal_alerts_the_rm_once(db, fake_wecom):
    with session_scope(db) as s:
        small_bank(s)
        staff(s, "ct01", "孙倩", role="counter")
    answer = script("ct01", ASKED, TODAY)
    assert answer.script is not None  # the counter still gets its interception script
    script("ct01", ASKED, TODAY)  # asked again: one alert a day
    summary = await run(db, fake_wecom, LATE, briefing="never")
    (text,) = fake_wecom.drain("LiMing")
    assert (
        text
        == "【柜面取款】陈建国（贵宾）正在柜台取款约50万，说是买房（柜员孙倩报告）。客户还在网点，建议马上电话联系。"
    )
    assert summary.sent == 1 and fake_wecom.all_delivered()[0].touser == "LiMing"


async def test_an_rm_asking_for_a_script_alerts_nobody(db, fake_wecom):
    with session_scope(db) as s:
        small_bank(s)
    script("rm01", ASKED, TODAY)
    await run(db, fake_wecom, LATE, briefing="never")
    assert fake_wecom.all_delivered() == []


async def test_a_store_without_the_outbox_still_answers_the_counter(db):
    from sqlalchemy import text

    from bot.store.db import engine_for

    with session_scope(db) as s:
        small_bank(s)
        staff(s, "ct01", "孙倩", role="counter")
    with engine_for(db).begin() as conn:
        conn.execute(text("DROP TABLE alert_outbox"))
    assert script("ct01", ASKED, TODAY).script is not None
