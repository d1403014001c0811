"""A briefing pushed through WeCom, then the RM answers it in the same WeCom chat (#14), end to end: the
local stack the QA runner uses (trained model, Rasa, action server, WeCom channel, demo bank with its churn
model), the pushes' pass against the stack's simulated WeCom API, and the reply through the encrypted
callback. "第一个为什么" and "第二个的话术" point at the briefing's clients in the order its text shows."""

from __future__ import annotations

from datetime import date, datetime

import aiohttp
from sqlalchemy import select

from bot.alerts.jobs import run_once
from bot.alerts.settings import AlertSettings, Clock
from bot.channels.wecom_api import WeComApi
from bot.store.db import session_scope
from bot.store.models import Staff
from tests.alerts.test_push_replies import _named_in_order
from tools.converse.clients import WeComClient
from tools.converse.stack import local_stack

TODAY = date(2026, 11, 18)


async def test_a_reply_to_the_briefing_in_the_wecom_chat_points_at_its_clients():
    async with local_stack(TODAY, log=lambda *_: None) as target:
        sim = target.wecom
        assert sim is not None
        api = WeComApi(sim.settings.corp_id, sim.settings.secret, int(sim.settings.agent_id), base_url=sim.base_url)
        try:
            summary = await run_once(
                target.db_url or "", api, AlertSettings(), Clock(datetime(2026, 11, 18, 8, 30)), detectors=False
            )
        finally:
            await api.close()
        assert summary.briefing == "queued" and summary.sent >= 1
        with session_scope(target.db_url) as s:
            userid = s.execute(select(Staff.wecom_userid).where(Staff.id == "rm01")).scalar_one()
        (briefing,) = sim.drain(userid)
        names = _named_in_order(briefing)
        assert names[0] == "李静"  # tools/demo/showcase.py: her 15万 matures today

        async with aiohttp.ClientSession() as http:
            chat = WeComClient(http, target.url, sim, userid, "rm01", timeout_s=60)
            why = await chat.send("第一个为什么")
            assert why.replies and "李静" in why.replies[0], why.replies
            call = await chat.send("给她打电话怎么说")  # she is now the client in focus
            assert call.replies and "李" in call.replies[0] and names[1] not in call.replies[0], call.replies
            second = await chat.send("第二个的话术")
            assert second.replies and names[1] in second.replies[0], second.replies
