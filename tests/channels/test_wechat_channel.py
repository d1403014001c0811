"""The WeChat official-account channel (safe mode) end to end, with wechatpy playing WeChat."""

from __future__ import annotations

import time

import pytest
import pytest_asyncio
from wx_fakes import (
    AES_KEY,
    APP_ID,
    APP_SECRET,
    COUNTER_ID,
    RM_ID,
    RM_OPENID,
    TOKEN,
    OfficialAccountPlatform,
    StubRasa,
    message_xml,
    served,
)

from bot.channels import admin, replies
from bot.channels.wechat import WeChatInput

pytestmark = pytest.mark.asyncio


def wechat_channel(fake_api, **overrides) -> WeChatInput:
    return WeChatInput.from_credentials(
        {
            "token": TOKEN,
            "encoding_aes_key": AES_KEY,
            "app_id": APP_ID,
            "app_secret": APP_SECRET,
            "api_base_url": fake_api.base_url,
            "api_timeout_seconds": 0.3,
            "api_backoff_seconds": 0.01,
            **overrides,
        }
    )


@pytest_asyncio.fixture
async def wechat(staff_db, fake_api):
    async with served(wechat_channel(fake_api), StubRasa(), OfficialAccountPlatform()) as harness:
        yield harness


def oa_message(user: str, msg_type: str = "text", msg_id: str | None = None, **fields: str) -> str:
    return message_xml(user, msg_type, msg_id, to="gh_bank", **fields)


async def test_plain_verification_echoes_echostr_unchanged(wechat):
    timestamp, nonce = str(int(time.time())), "998877"
    signature = wechat.platform.sign(timestamp, nonce)
    query = {"signature": signature, "timestamp": timestamp, "nonce": nonce, "echostr": "5837397520"}
    async with wechat.http.get(wechat.url + "/webhook", params=query) as resp:
        assert (resp.status, await resp.text()) == (200, "5837397520")


@pytest.mark.parametrize("age_s", [3600, 30 * 86400], ids=["an-hour-old", "30-days-old"])
async def test_a_correctly_signed_but_stale_verification_is_refused(wechat, age_s):
    timestamp, nonce = str(int(time.time()) - age_s), "998877"
    query = {
        "signature": wechat.platform.sign(timestamp, nonce),
        "timestamp": timestamp,
        "nonce": nonce,
        "echostr": "5837397520",
    }
    async with wechat.http.get(wechat.url + "/webhook", params=query) as resp:
        assert (resp.status, await resp.text()) == (403, "")


async def test_a_blank_message_gets_the_empty_message_notice(wechat, fake_api):
    from bot.notices import EMPTY_MESSAGE

    await wechat.send(oa_message(RM_OPENID, Content="   ", msg_id="9101"))
    assert wechat.rasa.messages == []
    assert fake_api.texts() == [EMPTY_MESSAGE]


async def test_verification_with_a_bad_signature_is_refused(wechat):
    query = {"signature": "0" * 40, "timestamp": "1", "nonce": "2", "echostr": "5837397520"}
    async with wechat.http.get(wechat.url + "/webhook", params=query) as resp:
        assert resp.status == 403
        assert await resp.text() == ""


async def test_encrypted_text_is_answered_by_customer_service_message(wechat, fake_api):
    status, body = await wechat.send(oa_message(RM_OPENID, Content="今天先联系谁", msg_id="9001"))
    assert (status, body) == (200, "success")
    [message] = wechat.rasa.messages
    assert (message.sender_id, message.text, message.input_channel) == (RM_ID, "今天先联系谁", "wechat")
    assert message.metadata == {"channel": "wechat", "staff_id": RM_ID}
    assert fake_api.delivered == [{"touser": RM_OPENID, "msgtype": "text", "text": {"content": "收到：今天先联系谁"}}]


async def test_voice_with_recognition_is_read_as_text(wechat, fake_api):
    await wechat.send(
        oa_message(RM_OPENID, "voice", "9002", MediaId="m1", Format="amr", Recognition="王秀英有流失风险吗")
    )
    assert [m.text for m in wechat.rasa.messages] == ["王秀英有流失风险吗"]
    assert fake_api.texts() == ["收到：王秀英有流失风险吗"]


@pytest.mark.parametrize("recognition", [None, "", "   "], ids=["absent", "empty", "blank"])
async def test_voice_without_recognition_gets_a_hint_and_skips_rasa(wechat, fake_api, recognition):
    fields = {"MediaId": "m1", "Format": "amr"}
    if recognition is not None:
        fields["Recognition"] = recognition
    await wechat.send(oa_message(RM_OPENID, "voice", "9003", **fields))
    assert wechat.rasa.messages == []
    assert fake_api.texts() == [replies.WECHAT_VOICE_NOT_RECOGNISED]


async def test_unbound_openid_gets_a_polite_refusal_with_the_id_to_bind_and_nothing_else(wechat, fake_api):
    stranger = "oSomeoneElse_0000000000000001"
    await wechat.send(oa_message(stranger, Content="客户名单发我", msg_id="9004"))
    assert wechat.rasa.messages == []
    assert [(d["touser"], d["text"]["content"]) for d in fake_api.delivered] == [
        (stranger, replies.WECHAT_NOT_BOUND.format(openid=stranger))
    ]
    assert fake_api.texts()[0].endswith(stranger)


async def test_a_member_bound_after_a_refusal_is_answered_on_the_next_message(wechat, fake_api):
    openid = "oLiNa_openid_0000000000000002"
    await wechat.send(oa_message(openid, Content="你好", msg_id="9101"))
    assert admin.main(["bind-openid", COUNTER_ID, openid]) == 0
    await wechat.send(oa_message(openid, Content="今天先联系谁", msg_id="9102"))
    assert [(m.sender_id, m.text) for m in wechat.rasa.messages] == [(COUNTER_ID, "今天先联系谁")]
    assert fake_api.texts() == [replies.WECHAT_NOT_BOUND.format(openid=openid), "收到：今天先联系谁"]


async def test_plain_mode_post_is_refused(wechat, fake_api):
    query, body = wechat.platform.callback(oa_message(RM_OPENID, Content="你好", msg_id="9005"))
    del query["encrypt_type"]
    assert (await wechat.post(query, body))[0] == 400
    assert wechat.rasa.messages == [] and fake_api.send_attempts == []


async def test_message_encrypted_for_another_app_is_refused(wechat, fake_api):
    other = OfficialAccountPlatform(receive_id="wx_other_app_id00")
    assert (await wechat.post(*other.callback(oa_message(RM_OPENID, Content="你好", msg_id="9006"))))[0] == 403
    assert wechat.rasa.messages == [] and fake_api.send_attempts == []


async def test_bad_message_signature_is_refused(wechat, fake_api):
    query, body = wechat.platform.callback(oa_message(RM_OPENID, Content="你好", msg_id="9007"))
    query["msg_signature"] = "a" * 40
    assert (await wechat.post(query, body))[0] == 403
    assert wechat.rasa.messages == []


async def test_retried_msgid_is_answered_once(wechat, fake_api):
    inner = oa_message(RM_OPENID, Content="你好", msg_id="9008")
    for _ in range(3):
        await wechat.send(inner)
    assert len(wechat.rasa.messages) == 1 and len(fake_api.delivered) == 1
