"""The WeCom channel end to end: wechatpy plays WeCom, a fake server plays the WeCom API,
a stub plays Rasa, and the blueprint runs in a real Sanic server on loopback."""

from __future__ import annotations

import asyncio
import base64
import threading
import time

import aiohttp
import pytest
import pytest_asyncio
from rasa.shared.exceptions import RasaException
from wx_fakes import (
    AES_KEY,
    AGENT_ID,
    BILLION_LAUGHS,
    CORP_ID,
    CORP_SECRET,
    LEFT_WECOM,
    MESSAGE_SAMPLE,
    RM_ID,
    RM_WECOM,
    SAMPLE_AES_KEY,
    SAMPLE_CORP_ID,
    SAMPLE_TOKEN,
    TOKEN,
    VERIFY_URL_SAMPLE,
    Platform,
    StubRasa,
    message_xml,
    served,
)

from bot.channels import identity, replies, turn_thread
from bot.channels.wecom import WeComInput
from bot.store.db import session_scope
from bot.store.models import Staff

pytestmark = pytest.mark.asyncio


def credentials(api_base_url: str, **overrides) -> dict:
    return {
        "token": TOKEN,
        "encoding_aes_key": AES_KEY,
        "corp_id": CORP_ID,
        "corp_secret": CORP_SECRET,
        "agent_id": str(AGENT_ID),
        "api_base_url": api_base_url,
        "api_timeout_seconds": 0.3,
        "api_backoff_seconds": 0.01,
        **overrides,
    }


def wecom_channel(fake_api, **overrides) -> WeComInput:
    return WeComInput.from_credentials(credentials(fake_api.base_url, **overrides))


@pytest_asyncio.fixture
async def wecom(staff_db, fake_api):
    async with served(wecom_channel(fake_api), StubRasa()) as harness:
        yield harness


# -- URL verification -----------------------------------------------------------------------------


async def test_url_verification_returns_the_decrypted_echostr_bare(wecom):
    echostr = wecom.platform.encrypt("8791230946188425310")
    timestamp, nonce = str(int(time.time())), "123456"
    signature = wecom.platform.sign(timestamp, nonce, echostr)
    query = {"msg_signature": signature, "timestamp": timestamp, "nonce": nonce, "echostr": echostr}
    async with wecom.http.get(wecom.url + "/webhook", params=query) as resp:
        assert resp.status == 200
        assert await resp.text() == "8791230946188425310"


async def test_url_verification_passes_tencents_published_sample(staff_db, fake_api):
    channel = wecom_channel(
        fake_api,
        token=SAMPLE_TOKEN,
        encoding_aes_key=SAMPLE_AES_KEY,
        corp_id=SAMPLE_CORP_ID,
        max_age_seconds=0,  # the sample is from 2014
    )
    query = dict(VERIFY_URL_SAMPLE)
    async with served(channel, StubRasa()) as harness:
        async with harness.http.get(harness.url + "/webhook", params=query) as resp:
            assert (resp.status, await resp.text()) == (200, "1616140317555161061")


async def test_url_verification_with_a_bad_signature_is_refused(wecom):
    echostr = wecom.platform.encrypt("1")
    query = {"msg_signature": "0" * 40, "timestamp": "1", "nonce": "2", "echostr": echostr}
    async with wecom.http.get(wecom.url + "/webhook", params=query) as resp:
        assert resp.status == 403
        assert await resp.text() == ""


async def test_url_verification_for_another_corp_is_refused(wecom):
    other = Platform(receive_id="ww_other_corp")
    echostr = other.encrypt("1")
    timestamp = str(int(time.time()))
    query = {
        "msg_signature": other.sign(timestamp, "2", echostr),
        "timestamp": timestamp,
        "nonce": "2",
        "echostr": echostr,
    }
    async with wecom.http.get(wecom.url + "/webhook", params=query) as resp:
        assert resp.status == 403


@pytest.mark.parametrize("age_s", [3600, 30 * 86400, -3600], ids=["an-hour-old", "30-days-old", "an-hour-ahead"])
async def test_a_correctly_signed_but_stale_url_verification_is_refused(wecom, age_s):
    """The same replay window as callbacks: a verification captured once is not echoed back later."""
    echostr = wecom.platform.encrypt("8791230946188425310")
    timestamp, nonce = str(int(time.time()) - age_s), "123456"
    query = {
        "msg_signature": wecom.platform.sign(timestamp, nonce, echostr),
        "timestamp": timestamp,
        "nonce": nonce,
        "echostr": echostr,
    }
    async with wecom.http.get(wecom.url + "/webhook", params=query) as resp:
        assert (resp.status, await resp.text()) == (403, "")


@pytest.mark.parametrize(
    "content", ["", " ", "\u3000\u3000", "\n\t "], ids=["empty", "space", "ideographic", "blank-lines"]
)
async def test_an_empty_or_blank_message_gets_the_empty_message_notice(wecom, fake_api, content):
    from bot.notices import EMPTY_MESSAGE

    status, _ = await wecom.send(message_xml(RM_WECOM, Content=content, msg_id=f"blank{len(content)}"))
    assert status == 200
    assert wecom.rasa.messages == []
    assert fake_api.texts() == [EMPTY_MESSAGE]


async def test_health_route_answers_ok(wecom):
    async with wecom.http.get(wecom.url + "/") as resp:
        assert resp.status == 200 and await resp.json() == {"status": "ok"}


# -- messages -------------------------------------------------------------------------------------


async def test_text_message_is_answered_through_the_api_as_the_staff_member(wecom, fake_api):
    status, body = await wecom.send(message_xml(RM_WECOM, Content="本周哪些客户理财到期", msg_id="1001"))
    assert (status, body) == (200, "")
    [message] = wecom.rasa.messages
    assert message.sender_id == RM_ID
    assert message.text == "本周哪些客户理财到期"
    assert message.input_channel == "wecom"
    assert message.metadata == {"channel": "wecom", "staff_id": RM_ID}
    assert [(d["touser"], d["text"]["content"]) for d in fake_api.delivered] == [
        (RM_WECOM, "收到：本周哪些客户理财到期")
    ]


async def test_callback_is_acknowledged_before_rasa_answers(staff_db, fake_api):
    release = threading.Event()  # Rasa's turns run on a loop of their own, in another thread

    async def held_rasa(message):
        await asyncio.to_thread(release.wait, 5)
        await message.output_channel.send_text_message(message.sender_id, "好的")

    async with served(wecom_channel(fake_api), held_rasa) as harness:
        query, body = harness.platform.callback(message_xml(RM_WECOM, Content="你好", msg_id="2001"))
        async with harness.http.post(harness.url + "/webhook", params=query, data=body) as resp:
            assert (resp.status, await resp.text()) == (200, "")
        assert fake_api.delivered == []  # Rasa is still thinking
        release.set()
        await harness.channel.drain(timeout=5)
    assert fake_api.texts() == ["好的"]


async def test_a_turn_that_blocks_its_loop_does_not_hold_up_the_next_acknowledgement(staff_db, fake_api):
    # Rasa runs NLU synchronously on the loop that calls it; here a turn blocks its loop outright until
    # the test lets it go. The next callback must still be acknowledged: turns run off the server's loop.
    started, release = threading.Event(), threading.Event()
    threads = []

    async def blocking_rasa(message):
        threads.append(threading.current_thread().name)
        if message.text == "第一句":
            started.set()
            release.wait(10)  # blocks the whole loop it runs on
        await message.output_channel.send_text_message(message.sender_id, f"答：{message.text}")

    async with served(wecom_channel(fake_api), blocking_rasa) as harness:
        first = harness.platform.callback(message_xml(RM_WECOM, Content="第一句", msg_id="2011"))
        async with harness.http.post(harness.url + "/webhook", params=first[0], data=first[1]) as resp:
            assert resp.status == 200
        assert await asyncio.to_thread(started.wait, 5)
        second = harness.platform.callback(message_xml(RM_WECOM, Content="第二句", msg_id="2012"))
        try:
            async with harness.http.post(
                harness.url + "/webhook", params=second[0], data=second[1], timeout=aiohttp.ClientTimeout(total=3)
            ) as resp:
                assert (resp.status, await resp.text()) == (200, "")
            assert not release.is_set() and fake_api.delivered == []  # acknowledged while turn 1 still blocks
        finally:
            release.set()
        await harness.channel.drain(timeout=5)
    assert sorted(fake_api.texts()) == ["答：第一句", "答：第二句"]
    assert set(threads) == {turn_thread.THREAD_NAME}


async def test_each_rasa_reply_is_sent_as_its_own_message_in_order(staff_db, fake_api):
    async def two_replies(message):
        await message.output_channel.send_text_message(message.sender_id, "第一段\n\n仍是第一段")
        await message.output_channel.send_text_message(message.sender_id, "第二段")

    async with served(wecom_channel(fake_api), two_replies) as harness:
        await harness.send(message_xml(RM_WECOM, Content="你好", msg_id="2101"))
    assert fake_api.texts() == ["第一段\n\n仍是第一段", "第二段"]


async def test_official_sample_message_reaches_rasa(staff_db, fake_api):
    with session_scope() as session:
        session.get(Staff, RM_ID).wecom_userid = "mycreate"
    channel = wecom_channel(
        fake_api,
        token=SAMPLE_TOKEN,
        encoding_aes_key=SAMPLE_AES_KEY,
        corp_id=SAMPLE_CORP_ID,
        max_age_seconds=0,  # the sample is from 2014
    )
    rasa = StubRasa()
    query = {k: MESSAGE_SAMPLE[k] for k in ("msg_signature", "timestamp", "nonce")}
    sample_app = Platform(token=SAMPLE_TOKEN, aes_key=SAMPLE_AES_KEY, receive_id=SAMPLE_CORP_ID)
    body = sample_app.envelope(MESSAGE_SAMPLE["encrypt"])
    async with served(channel, rasa) as harness:
        assert (await harness.post(query, body))[0] == 200
    assert [(m.sender_id, m.text) for m in rasa.messages] == [(RM_ID, "hello")]
    assert fake_api.delivered[0]["touser"] == "mycreate"


# -- refusals -------------------------------------------------------------------------------------


def _bad_signature(p: Platform):
    query, body = p.callback(message_xml(RM_WECOM, Content="你好", msg_id="1"))
    return {**query, "msg_signature": "f" * 40}, body


def _wrong_corp(p: Platform):
    return Platform(receive_id="ww_other_corp").callback(message_xml(RM_WECOM, Content="你好", msg_id="1"))


def _truncated(p: Platform):
    encrypted = p.encrypt(message_xml(RM_WECOM, Content="你好", msg_id="1"))
    return p.signed_post(encrypted[: len(encrypted) // 2 + 3])


def _short_by_a_block(p: Platform):
    raw = base64.b64decode(p.encrypt(message_xml(RM_WECOM, Content="你好", msg_id="1")))
    return p.signed_post(base64.b64encode(raw[:-16]).decode())


def _not_base64(p: Platform):
    return p.signed_post("这不是base64!!")


def _envelope_bomb(p: Platform):
    query, _ = p.callback(message_xml(RM_WECOM, Content="你好", msg_id="1"))
    return query, BILLION_LAUGHS


def _encrypted_bomb(p: Platform):
    return p.callback(BILLION_LAUGHS.decode())


def _malformed_envelope(p: Platform):
    query, body = p.callback(message_xml(RM_WECOM, Content="你好", msg_id="1"))
    return query, body[:-10]


def _malformed_payload(p: Platform):
    return p.callback("<xml><FromUserName>zhangwei</FromUserName><MsgType>text")


def _stale(p: Platform):
    return p.callback(message_xml(RM_WECOM, Content="你好", msg_id="1"), timestamp=str(int(time.time()) - 3600))


def _no_encrypt(p: Platform):
    query, _ = p.callback(message_xml(RM_WECOM, Content="你好", msg_id="1"))
    return query, b"<xml><ToUserName>x</ToUserName></xml>"


def _oversized(p: Platform):
    return p.callback(message_xml(RM_WECOM, Content="长" * 30000, msg_id="1"))


@pytest.mark.parametrize(
    "forge, status",
    [
        (_bad_signature, 403),
        (_wrong_corp, 403),
        (_truncated, 400),
        (_short_by_a_block, 400),
        (_not_base64, 400),
        (_envelope_bomb, 400),
        (_encrypted_bomb, 400),
        (_malformed_envelope, 400),
        (_malformed_payload, 400),
        (_stale, 403),
        (_no_encrypt, 400),
        (_oversized, 413),
    ],
    ids=lambda v: getattr(v, "__name__", str(v)).strip("_"),
)
async def test_untrustworthy_callbacks_are_refused_without_reaching_rasa(wecom, fake_api, forge, status):
    query, body = forge(wecom.platform)
    assert (await wecom.post(query, body))[0] == status
    assert wecom.rasa.messages == []
    assert fake_api.send_attempts == []
    async with wecom.http.get(wecom.url + "/") as resp:  # still serving
        assert resp.status == 200


async def test_the_same_msgid_delivered_three_times_is_answered_once(wecom, fake_api):
    inner = message_xml(RM_WECOM, Content="王秀英有流失风险吗", msg_id="3001")
    for _ in range(3):
        assert (await wecom.send(inner))[0] == 200
    assert len(wecom.rasa.messages) == 1
    assert fake_api.texts() == ["收到：王秀英有流失风险吗"]


async def test_concurrent_retries_of_one_msgid_are_answered_once(wecom, fake_api):
    inner = message_xml(RM_WECOM, Content="你好", msg_id="3002")
    statuses = await asyncio.gather(*(wecom.send(inner) for _ in range(3)))
    assert [s for s, _ in statuses] == [200, 200, 200]
    assert len(wecom.rasa.messages) == 1 and len(fake_api.delivered) == 1


async def test_long_answer_is_split_under_2048_bytes_at_line_boundaries(staff_db, fake_api):
    lines = [f"{i:02d}. 客户{i} 理财 30万 本周五到期，建议周四前电话联系。" for i in range(90)]
    async with served(wecom_channel(fake_api), StubRasa(answer=lambda _: "\n".join(lines))) as harness:
        await harness.send(message_xml(RM_WECOM, Content="本周到期清单", msg_id="4001"))
    parts = fake_api.texts()
    assert len(parts) >= 3
    assert all(len(p.encode("utf-8")) <= 2048 for p in parts)
    assert [line for p in parts for line in p.split("\n")] == lines


async def test_token_expiring_mid_conversation_is_refreshed_and_the_reply_sent_once(wecom, fake_api):
    await wecom.send(message_xml(RM_WECOM, Content="第一问", msg_id="5001"))
    fake_api.expire_tokens()
    await wecom.send(message_xml(RM_WECOM, Content="第二问", msg_id="5002"))
    assert len(fake_api.token_calls) == 2
    assert fake_api.texts() == ["收到：第一问", "收到：第二问"]
    assert [a["body"]["text"]["content"] for a in fake_api.send_attempts] == [
        "收到：第一问",
        "收到：第二问",
        "收到：第二问",
    ]


@pytest.mark.parametrize("userid", ["stranger", LEFT_WECOM], ids=["unknown", "inactive"])
async def test_unknown_or_inactive_staff_get_a_polite_refusal_and_nothing_else(wecom, fake_api, userid):
    await wecom.send(message_xml(userid, Content="王秀英的电话是多少", msg_id="6001"))
    assert wecom.rasa.messages == []
    assert [(d["touser"], d["text"]["content"]) for d in fake_api.delivered] == [(userid, replies.UNKNOWN_STAFF)]


async def test_a_recognised_member_is_looked_up_once_for_a_run_of_messages(wecom, monkeypatch):
    lookups = []
    real_lookup = identity.staff_for_wecom_userid

    async def counting_lookup(userid):
        lookups.append(userid)
        return await real_lookup(userid)

    monkeypatch.setattr(identity, "staff_for_wecom_userid", counting_lookup)
    for n in range(3):
        await wecom.send(message_xml(RM_WECOM, Content=f"第{n}问", msg_id=f"610{n}"))
    assert lookups == [RM_WECOM]
    assert len(wecom.rasa.messages) == 3


async def test_deactivation_takes_effect_once_the_identity_cache_expires(staff_db, fake_api):
    rasa = StubRasa()
    async with served(wecom_channel(fake_api, identity_cache_seconds=0), rasa) as harness:
        await harness.send(message_xml(RM_WECOM, Content="第一问", msg_id="6201"))
        with session_scope() as session:
            session.get(Staff, RM_ID).active = False
        await harness.send(message_xml(RM_WECOM, Content="第二问", msg_id="6202"))
    assert [m.text for m in rasa.messages] == ["第一问"]
    assert fake_api.texts() == ["收到：第一问", replies.UNKNOWN_STAFF]


async def test_voice_message_gets_a_hint_to_send_text_instead(wecom, fake_api):
    await wecom.send(message_xml(RM_WECOM, "voice", msg_id="7001", MediaId="media-1", Format="amr"))
    assert wecom.rasa.messages == []
    assert fake_api.texts() == [replies.WECOM_VOICE_NOT_READ]


async def test_image_message_gets_a_text_only_hint(wecom, fake_api):
    await wecom.send(message_xml(RM_WECOM, "image", msg_id="7002", PicUrl="http://x/y.jpg", MediaId="m"))
    assert wecom.rasa.messages == []
    assert fake_api.texts() == [replies.TEXT_ONLY]


async def test_events_are_acknowledged_and_ignored(wecom, fake_api):
    status, _ = await wecom.send(message_xml(RM_WECOM, "event", Event="enter_agent", EventKey=""))
    assert status == 200
    assert wecom.rasa.messages == [] and fake_api.send_attempts == []


async def test_rasa_failure_tells_the_staff_member_to_try_again(staff_db, fake_api):
    async def broken(_message):
        raise RuntimeError("model not loaded")

    async with served(wecom_channel(fake_api), broken) as harness:
        await harness.send(message_xml(RM_WECOM, Content="你好", msg_id="8001"))
    assert fake_api.texts() == [replies.BUSY]


# -- configuration --------------------------------------------------------------------------------


async def test_a_dedupe_memory_shorter_than_the_freshness_window_is_refused_at_startup(fake_api):
    with pytest.raises(RasaException, match="dedupe_ttl_seconds"):
        wecom_channel(fake_api, max_age_seconds=300, dedupe_ttl_seconds=60)


async def test_missing_credentials_are_named_at_startup():
    with pytest.raises(RasaException, match="corp_secret, agent_id"):
        WeComInput.from_credentials({"token": "t", "encoding_aes_key": AES_KEY, "corp_id": CORP_ID, "corp_secret": ""})
