"""The API client against a fake Tencent server on loopback: tokens, retries, splitting, limits."""

from __future__ import annotations

import asyncio

import pytest
import pytest_asyncio
from wx_fakes import AGENT_ID, APP_ID, APP_SECRET, CORP_ID, CORP_SECRET

from bot.channels.wechat_api import WeChatApi
from bot.channels.wecom_api import (
    ApiError,
    ApiUnavailable,
    PerRecipientLimiter,
    WeComApi,
)
from tools.fake_tencent import FakeTencentApi

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def wecom(fake_api):
    api = WeComApi(
        CORP_ID, CORP_SECRET, AGENT_ID, base_url=fake_api.base_url, timeout_seconds=0.3, backoff_seconds=0.01
    )
    yield api
    await api.close()


async def test_text_is_sent_to_the_member_through_message_send(wecom, fake_api):
    await wecom.send_text("zhangwei", "本周到期：王秀英 50万", reply_id="r1")
    assert fake_api.delivered == [
        {
            "touser": "zhangwei",
            "msgtype": "text",
            "agentid": AGENT_ID,
            "text": {"content": "本周到期：王秀英 50万"},
            "safe": 0,
        }
    ]


async def test_chinese_is_sent_as_utf8_not_unicode_escapes(wecom, fake_api):
    await wecom.send_text("zhangwei", "到期", reply_id="r1")
    assert "到期".encode() in fake_api.send_attempts[0]["raw"]


async def test_gettoken_is_called_with_corp_id_and_secret_once_for_many_sends(wecom, fake_api):
    for i in range(3):
        await wecom.send_text("zhangwei", f"第{i}条", reply_id=f"r{i}")
    assert fake_api.token_calls == [{"corpid": CORP_ID, "corpsecret": CORP_SECRET}]
    assert len(fake_api.delivered) == 3


async def test_markdown_messages_use_the_markdown_field(fake_api):
    api = WeComApi(CORP_ID, CORP_SECRET, AGENT_ID, base_url=fake_api.base_url, msgtype="markdown")
    try:
        await api.send_text("zhangwei", "**王秀英** 明天到期", reply_id="r1")
    finally:
        await api.close()
    assert fake_api.delivered[0]["msgtype"] == "markdown"
    assert fake_api.delivered[0]["markdown"] == {"content": "**王秀英** 明天到期"}


async def test_expired_token_is_refreshed_and_the_message_resent_once(wecom, fake_api):
    await wecom.send_text("zhangwei", "第一条", reply_id="r1")
    fake_api.expire_tokens()
    await wecom.send_text("zhangwei", "第二条", reply_id="r2")
    assert len(fake_api.token_calls) == 2
    assert fake_api.texts() == ["第一条", "第二条"]
    assert [a["token"] for a in fake_api.send_attempts] == ["TOKEN-1", "TOKEN-1", "TOKEN-2"]


async def test_invalid_token_errcode_40014_also_refreshes(wecom, fake_api):
    fake_api.script_send(("errcode", 40014))
    await wecom.send_text("zhangwei", "你好", reply_id="r1")
    assert len(fake_api.token_calls) == 2
    assert fake_api.texts() == ["你好"]


async def test_token_refused_twice_gives_up_instead_of_looping(wecom, fake_api):
    fake_api.script_send(("errcode", 42001), ("errcode", 42001))
    with pytest.raises(ApiError) as err:
        await wecom.send_text("zhangwei", "你好", reply_id="r1")
    assert err.value.errcode == 42001
    assert len(fake_api.send_attempts) == 2 and fake_api.delivered == []


async def test_server_errors_are_retried_until_delivered(wecom, fake_api):
    fake_api.script_send(("status", 502), ("status", 503))
    await wecom.send_text("zhangwei", "你好", reply_id="r1")
    assert len(fake_api.send_attempts) == 3
    assert fake_api.texts() == ["你好"]


async def test_persistent_server_errors_raise_after_the_attempt_budget(wecom, fake_api):
    fake_api.script_send(("status", 500), ("status", 500), ("status", 500))
    with pytest.raises(ApiUnavailable):
        await wecom.send_text("zhangwei", "你好", reply_id="r1")
    assert len(fake_api.send_attempts) == 3


async def test_system_busy_errcode_is_retried(wecom, fake_api):
    fake_api.script_send(("errcode", -1))
    await wecom.send_text("zhangwei", "你好", reply_id="r1")
    assert fake_api.texts() == ["你好"]


async def test_timeout_is_retried(wecom, fake_api):
    fake_api.script_send(("delay", 0.6))
    sent = await wecom.send_text("zhangwei", "你好", reply_id="r1")
    assert sent == 1
    assert len(fake_api.send_attempts) == 2


async def test_other_errcodes_are_not_retried(wecom, fake_api):
    fake_api.script_send(("errcode", 81013))  # user not in the app's visible range
    with pytest.raises(ApiError) as err:
        await wecom.send_text("nobody", "你好", reply_id="r1")
    assert err.value.errcode == 81013
    assert len(fake_api.send_attempts) == 1


async def test_a_reply_known_to_be_delivered_is_never_sent_again(wecom, fake_api):
    assert await wecom.send_text("zhangwei", "你好", reply_id="r1") == 1
    assert await wecom.send_text("zhangwei", "你好", reply_id="r1") == 0
    assert len(fake_api.send_attempts) == 1


async def test_a_reply_that_failed_can_be_sent_later(wecom, fake_api):
    fake_api.script_send(("status", 500), ("status", 500), ("status", 500))
    with pytest.raises(ApiUnavailable):
        await wecom.send_text("zhangwei", "你好", reply_id="r1")
    assert await wecom.send_text("zhangwei", "你好", reply_id="r1") == 1
    assert fake_api.texts() == ["你好"]


async def test_long_reply_arrives_in_parts_under_2048_bytes_cut_at_lines(wecom, fake_api):
    lines = [f"{i:02d}. 王秀英 理财 50万 明天到期，建议今天电话联系并预约面谈。" for i in range(80)]
    await wecom.send_text("zhangwei", "\n".join(lines), reply_id="r1")
    parts = fake_api.texts()
    assert len(parts) > 1
    assert all(len(p.encode()) <= 2048 for p in parts)
    assert [line for p in parts for line in p.split("\n")] == lines


async def test_token_is_fetched_again_after_it_expires():
    fake = FakeTencentApi(expires_in=1)  # cached for half its life near expiry: 0.5 s
    await fake.start()
    api = WeComApi(CORP_ID, CORP_SECRET, AGENT_ID, base_url=fake.base_url)
    try:
        await api.send_text("zhangwei", "一", reply_id="r1")
        await api.send_text("zhangwei", "二", reply_id="r2")
        assert len(fake.token_calls) == 1
        await asyncio.sleep(0.6)
        await api.send_text("zhangwei", "三", reply_id="r3")
        assert len(fake.token_calls) == 2
    finally:
        await api.close()
        await fake.stop()


async def test_wrong_app_secret_raises_instead_of_sending(fake_api):
    api = WeComApi(CORP_ID, "wrong", AGENT_ID, base_url=fake_api.base_url)
    try:
        with pytest.raises(ApiError) as err:
            await api.send_text("zhangwei", "你好", reply_id="r1")
    finally:
        await api.close()
    assert err.value.errcode == 40001 and fake_api.send_attempts == []


async def test_wechat_uses_stable_token_and_customer_service_messages(fake_api):
    api = WeChatApi(APP_ID, APP_SECRET, base_url=fake_api.base_url)
    try:
        await api.send_text("oOpenId123", "你好", reply_id="r1")
        fake_api.script_send(("errcode", 40001))
        await api.send_text("oOpenId123", "再见", reply_id="r2")
    finally:
        await api.close()
    assert fake_api.token_calls[0] == {"grant_type": "client_credential", "appid": APP_ID, "secret": APP_SECRET}
    assert len(fake_api.token_calls) == 2  # 40001 means a superseded token on official accounts
    assert fake_api.delivered == [
        {"touser": "oOpenId123", "msgtype": "text", "text": {"content": "你好"}},
        {"touser": "oOpenId123", "msgtype": "text", "text": {"content": "再见"}},
    ]


# -- the per-member limit, with a fake clock ------------------------------------------------------


class _Time:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


async def test_limiter_holds_the_31st_message_to_a_member_until_a_minute_has_passed():
    t = _Time()
    limiter = PerRecipientLimiter(30, clock=t.clock, sleep=t.sleep)
    for _ in range(30):
        await limiter.acquire("zhangwei")
        t.now += 0.1
    assert t.slept == []
    await limiter.acquire("zhangwei")
    assert t.slept and t.now >= 60.0


async def test_limiter_counts_each_member_separately():
    t = _Time()
    limiter = PerRecipientLimiter(30, clock=t.clock, sleep=t.sleep)
    for _ in range(30):
        await limiter.acquire("zhangwei")
    await limiter.acquire("lina")
    assert t.slept == []
