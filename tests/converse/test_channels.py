"""The WeCom simulator and client against a fake assistant that speaks the WeCom protocol, and the counter token."""

from __future__ import annotations

import asyncio

import aiohttp
import defusedxml.ElementTree as ET
import jwt
import pytest
from aiohttp import web
from wechatpy.enterprise.crypto import WeChatCrypto

from tools.converse.checks import Observed, Resolved, check_turn
from tools.converse.clients import CounterSettings, WeComClient, WeComSettings, WeComSimulator, counter_token
from tools.converse.script import Expect


class FakeWeComAssistant:
    """Acknowledges a callback at once and answers later through WeCom's API, as a WeCom app must."""

    def __init__(self, settings: WeComSettings, api_base: str, dedupe: bool) -> None:
        self.settings, self.api_base, self.dedupe = settings, api_base, dedupe
        self.crypto = WeChatCrypto(settings.token, settings.encoding_aes_key, settings.corp_id)
        self.seen: set[str] = set()
        self.tasks: set[asyncio.Task] = set()

    async def callback(self, request: web.Request) -> web.Response:
        q = request.query
        plain = self.crypto.decrypt_message(await request.text(), q["msg_signature"], q["timestamp"], q["nonce"])
        msg = ET.fromstring(plain)
        msg_id = msg.findtext("MsgId")
        if not (self.dedupe and msg_id in self.seen):
            self.seen.add(msg_id)
            task = asyncio.get_running_loop().create_task(
                self.answer(msg.findtext("FromUserName"), msg.findtext("Content"))
            )
            self.tasks.add(task)
        return web.Response(text="")

    async def answer(self, user: str, content: str) -> None:
        await asyncio.sleep(0.05)
        async with aiohttp.ClientSession() as http:
            async with http.get(
                f"{self.api_base}/cgi-bin/gettoken",
                params={"corpid": self.settings.corp_id, "corpsecret": self.settings.secret},
            ) as r:
                token = (await r.json())["access_token"]
            await http.post(
                f"{self.api_base}/cgi-bin/message/send",
                params={"access_token": token},
                json={"touser": user, "msgtype": "text", "agentid": 1000002, "text": {"content": f"收到：{content}"}},
            )


@pytest.fixture
async def wecom_pair():
    settings = WeComSettings()
    sim = WeComSimulator(settings)
    await sim.start()
    runners = []

    async def start(dedupe: bool) -> str:
        app = web.Application()
        assistant = FakeWeComAssistant(settings, sim.api_base, dedupe)
        app.router.add_post(settings.webhook_path, assistant.callback)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        runners.append(runner)
        return f"http://127.0.0.1:{runner.addresses[0][1]}"

    yield sim, start
    for runner in runners:
        await runner.cleanup()
    await sim.stop()


async def test_wecom_answer_arrives_on_the_simulated_send_api(wecom_pair):
    sim, start = wecom_pair
    url = await start(dedupe=True)
    async with aiohttp.ClientSession() as http:
        client = WeComClient(http, url, sim, "wangli", "rm01", timeout_s=5, quiet_s=0.2)
        delivery = await client.send("你好")
    assert delivery.replies == ["收到：你好"]
    assert delivery.elapsed_ms is not None and delivery.duplicates == []


async def test_wecom_retry_answered_twice_is_reported_as_a_duplicate_delivery(wecom_pair):
    sim, start = wecom_pair
    url = await start(dedupe=False)
    async with aiohttp.ClientSession() as http:
        client = WeComClient(http, url, sim, "wangli", "rm01", timeout_s=5, quiet_s=0.2, retry_gap_s=0.05)
        delivery = await client.send("本周到期", repeat=3)
    assert delivery.replies == ["收到：本周到期"] * 3
    seen = Observed(tuple(delivery.replies), delivery.elapsed_ms, duplicates=tuple(delivery.duplicates))
    failures = check_turn(Expect(), seen, Resolved(), repeat_delivery=3)
    assert [f.check for f in failures] == ["repeat_delivery"]


async def test_wecom_retry_deduplicated_by_the_assistant_passes(wecom_pair):
    sim, start = wecom_pair
    url = await start(dedupe=True)
    async with aiohttp.ClientSession() as http:
        client = WeComClient(http, url, sim, "wangli", "rm01", timeout_s=5, quiet_s=0.2, retry_gap_s=0.05)
        delivery = await client.send("本周到期", repeat=3)
    assert delivery.replies == ["收到：本周到期"] and delivery.duplicates == []


async def test_simulator_refuses_a_send_without_its_access_token(wecom_pair):
    sim, _ = wecom_pair
    async with aiohttp.ClientSession() as http:
        async with http.post(
            f"{sim.api_base}/cgi-bin/message/send",
            params={"access_token": "forged"},
            json={"touser": "wangli", "msgtype": "text", "text": {"content": "x"}},
        ) as r:
            assert (await r.json())["errcode"] == 40014
    assert sim.drain("wangli") == []


def test_counter_token_names_the_staff_member_and_expires():
    settings = CounterSettings("s" * 32, token_ttl_s=300)
    claims = jwt.decode(
        counter_token(settings, "ct01", now=1_800_000_000),
        "s" * 32,
        algorithms=["HS256"],
        options={"verify_exp": False, "verify_iat": False},
    )
    assert claims == {"sub": "ct01", "iat": 1_800_000_000, "exp": 1_800_000_300}
