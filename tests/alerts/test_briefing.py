"""The morning briefing on the demo bank: one per RM and branch head, once, with the day's items."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot.store.db import session_scope
from bot.store.models import OutboxMessage, Staff
from tests.alerts.conftest import run
from tests.factories import branch, customer, staff

MORNING = datetime(2026, 11, 18, 8, 30)  # DEMO_TODAY, a Wednesday


def _recipients(url: str, role: str) -> dict[str, str]:
    with session_scope(url) as s:
        rows = s.execute(select(Staff.wecom_userid, Staff.id).where(Staff.role == role, Staff.active.is_(True)))
        return {userid: staff_id for userid, staff_id in rows}


async def test_every_rm_and_branch_head_gets_exactly_one_briefing_and_a_second_run_sends_none(demo_copy, fake_wecom):
    rms, heads = _recipients(demo_copy, "rm"), _recipients(demo_copy, "branch_head")
    assert len(rms) == 12 and len(heads) == 3

    first = await run(demo_copy, fake_wecom, MORNING, detectors=False)
    briefings = [m for m in fake_wecom.all_delivered() if "早上好" in m.content]
    by_user = {}
    for m in briefings:
        by_user.setdefault(m.touser, []).append(m.content)
    assert set(by_user) == set(rms) | set(heads)
    assert all(len(texts) == 1 for texts in by_user.values())
    assert first.queued == first.sent == 15 and first.briefing == "queued"

    second = await run(demo_copy, fake_wecom, MORNING.replace(minute=45), detectors=False)
    assert second.sent == 0 and second.queued == 0
    assert second.already_sent == 15
    assert len([m for m in fake_wecom.all_delivered() if "早上好" in m.content]) == 15


async def test_the_demo_rm_briefing_lists_the_planted_maturities_and_the_hint(demo_copy, fake_wecom):
    await run(demo_copy, fake_wecom, MORNING, detectors=False)
    (text,) = fake_wecom.drain("LiMing")
    assert text.startswith("李明，早上好。11月18日（周三）")
    lines = text.split("\n")
    maturing = lines.index("【今明到期】3位")
    # 李静's 15万 matures today, 李晶's 8万 tomorrow (tools/demo/showcase.py): today's come first.
    assert lines[maturing + 1].startswith("· 李静") and "今天到期" in lines[maturing + 1]
    assert any(line.startswith("· 李晶") and "明天到期" in line for line in lines[maturing + 1 : maturing + 4])
    assert any(line.startswith("【该联系了】") for line in lines)
    assert lines[-1] == "回复“今天先联系谁”看完整计划"
    assert len(text.encode()) < 2048


async def test_the_branch_head_gets_the_branch_per_rm(demo_copy, fake_wecom):
    await run(demo_copy, fake_wecom, MORNING, detectors=False)
    (text,) = fake_wecom.drain("WangJianhua")  # bh01, 城东支行
    assert "城东支行" in text and "· 李明：到期3" in text and "· 张丽：" in text
    assert text.split("\n")[-1] == "回复“网点整体预警情况”看详情"


async def test_no_briefing_before_the_time_or_on_a_weekend_unless_asked(demo_copy, fake_wecom):
    early = await run(demo_copy, fake_wecom, datetime(2026, 11, 18, 8, 0), detectors=False)
    saturday = await run(demo_copy, fake_wecom, datetime(2026, 11, 21, 9, 0), detectors=False)
    assert early.briefing == saturday.briefing == "not_due"
    assert fake_wecom.all_delivered() == []


async def test_nothing_to_say_means_no_message_and_staff_without_wecom_are_counted(db, fake_wecom):
    with session_scope(db) as s:
        branch(s)
        staff(s, "rm1", "赵敏", wecom="zhaomin")  # no clients
        staff(s, "rm2", "钱进")  # no WeCom userid
        customer(s, "孙悦", "rm2", aum_wan=60)  # never contacted: due
    summary = await run(db, fake_wecom, MORNING, detectors=False)
    assert fake_wecom.all_delivered() == []
    assert summary.nothing_to_say == 1 and summary.skipped_no_wecom == 1
    with session_scope(db) as s:
        assert s.execute(select(OutboxMessage)).first() is None


async def test_a_markdown_app_gets_bold_titles(demo_copy, fake_wecom):
    from bot.alerts.settings import AlertSettings

    await run(demo_copy, fake_wecom, MORNING, settings=AlertSettings(markdown=True), detectors=False)
    (text,) = fake_wecom.drain("LiMing")
    assert "\n**【今明到期】**3位\n" in text and text.startswith("李明，早上好。")
