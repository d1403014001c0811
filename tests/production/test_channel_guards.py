"""What the channels do before Rasa in production: the message guard every channel applies, and a clear
answer when the staff directory (in the customer store) cannot be read. Fast: a real Sanic server on
loopback per test, wechatpy playing WeCom, a stub playing Rasa; no stack, no PostgreSQL."""

from __future__ import annotations

import time

import jwt
import pytest
from sqlalchemy.exc import OperationalError

from bot import replies
from bot.channels import identity
from bot.channels.counter import CounterInput
from bot.channels.wecom import WeComInput
from bot.store.db import create_schema, engine_for, session_scope
from bot.store.models import Branch, Staff
from tests.channels.wx_fakes import ChannelServer, Platform, StubRasa, message_xml, served
from tools.fake_tencent import FakeTencentApi

pytestmark = pytest.mark.asyncio

TOKEN, AES_KEY, CORP_ID = "guardToken", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wwguard000000001"
COUNTER_SECRET = "guard-counter-secret-0123456789abcdef"
RM, RM_WECOM = "rm01", "liming"


@pytest.fixture
def staff_store(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'staff.db'}"
    monkeypatch.setenv("BOT_DB_URL", url)
    create_schema(engine_for(url))
    with session_scope(url) as s:
        s.add(Branch(id=1, code="B001", name="城东支行", city="杭州"))
        s.flush()
        s.add(Staff(id=RM, name="李明", role="rm", branch_id=1, wecom_userid=RM_WECOM, active=True))
    return url


@pytest.fixture
async def fake_api():
    api = FakeTencentApi(corp_secret="guard-secret")
    await api.start()
    yield api
    await api.stop()


def wecom(api: FakeTencentApi) -> WeComInput:
    return WeComInput.from_credentials(
        {
            "token": TOKEN,
            "encoding_aes_key": AES_KEY,
            "corp_id": CORP_ID,
            "corp_secret": "guard-secret",
            "agent_id": "1000002",
            "api_base_url": api.base_url,
            "api_timeout_seconds": 1,
            "api_backoff_seconds": 0.01,
        }
    )


def text_message(content: str) -> str:
    return message_xml(RM_WECOM, "text", msg_id=str(time.time_ns()), to=CORP_ID, Content=content)


async def test_wecom_message_over_the_length_cap_is_answered_without_reaching_rasa(staff_store, fake_api):
    rasa = StubRasa()
    async with served(wecom(fake_api), rasa, Platform(TOKEN, AES_KEY, CORP_ID)) as h:
        status, _ = await h.send(text_message("本周哪些客户理财到期" * 30))  # 300 characters
    assert status == 200
    assert rasa.messages == []
    assert fake_api.texts() == [replies.TOO_LONG]


async def test_wecom_control_characters_are_removed_before_rasa(staff_store, fake_api):
    rasa = StubRasa()
    async with served(wecom(fake_api), rasa, Platform(TOKEN, AES_KEY, CORP_ID)) as h:
        await h.send(text_message("本周\u200b哪些\u202e客户\ufeff理财到期"))  # format characters, valid XML
    assert [m.text for m in rasa.messages] == ["本周哪些客户理财到期"]


async def test_wecom_answers_data_unavailable_when_the_staff_directory_cannot_be_read(
    staff_store, fake_api, monkeypatch
):
    async def database_down(_userid):
        raise OperationalError("SELECT staff", {}, ConnectionRefusedError("connection refused"))

    monkeypatch.setattr(identity, "staff_for_wecom_userid", database_down)
    rasa = StubRasa()
    async with served(wecom(fake_api), rasa, Platform(TOKEN, AES_KEY, CORP_ID)) as h:
        status, _ = await h.send(text_message("本周哪些客户理财到期"))
    assert status == 200 and rasa.messages == []
    assert fake_api.texts() == [replies.DATA_UNAVAILABLE]


async def test_counter_answers_data_unavailable_when_the_staff_directory_cannot_be_read(staff_store, monkeypatch):
    async def database_down(_staff_id):
        raise OperationalError("SELECT staff", {}, ConnectionRefusedError("connection refused"))

    monkeypatch.setattr(identity, "staff_for_id", database_down)
    rasa = StubRasa()
    server = ChannelServer(CounterInput(COUNTER_SECRET), rasa)
    await server.start()
    try:
        import aiohttp

        bearer = jwt.encode({"sub": RM, "exp": int(time.time()) + 60}, COUNTER_SECRET, algorithm="HS256")
        async with aiohttp.ClientSession() as http:
            async with http.post(
                server.url + "/webhook",
                json={"text": "本周哪些客户理财到期"},
                headers={"Authorization": f"Bearer {bearer}"},
            ) as resp:
                status, body = resp.status, await resp.json()
    finally:
        await server.stop()
    assert status == 200 and rasa.messages == []
    assert [m["text"] for m in body] == [replies.DATA_UNAVAILABLE]
