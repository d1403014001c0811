"""The counter voice box: JWT-authenticated transcripts, cleaned by the NLU's voice step before Rasa."""

from __future__ import annotations

import time

import aiohttp
import jwt
import pytest
import pytest_asyncio
from rasa.shared.exceptions import RasaException
from wx_fakes import COUNTER_ID, LEFT_ID, RM_ID, ChannelServer, StubRasa

from bot.channels import replies
from bot.channels.counter import JWT_SECRET_ENV, CounterInput
from bot.nlu.voice import clean_transcript

pytestmark = pytest.mark.asyncio

SECRET = "counter-secret-for-tests-0123456789abcdef"


def token(sub: str | None = COUNTER_ID, secret: str = SECRET, expires_in: float = 300, **claims) -> str:
    payload = {"iat": int(time.time()), **claims}
    if sub is not None:
        payload["sub"] = sub
    if expires_in is not None:
        payload["exp"] = int(time.time() + expires_in)
    return jwt.encode(payload, secret, algorithm="HS256")


class Counter:
    def __init__(self, url: str, http: aiohttp.ClientSession, rasa: StubRasa):
        self.url, self.http, self.rasa = url, http, rasa

    async def post(self, body, bearer: str | None = None, raw: bytes | None = None) -> tuple[int, object]:
        headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
        if raw is not None:
            kwargs = {"data": raw, "headers": {**headers, "Content-Type": "application/json"}}
        else:
            kwargs = {"json": body, "headers": headers}
        async with self.http.post(self.url + "/webhook", **kwargs) as resp:
            return resp.status, await resp.json(content_type=None)


async def _serve(rasa, monkeypatch):
    monkeypatch.setenv(JWT_SECRET_ENV, SECRET)
    server = ChannelServer(CounterInput.from_credentials(None), rasa)
    await server.start()
    return server


@pytest_asyncio.fixture
async def counter(staff_db, monkeypatch):
    rasa = StubRasa()
    server = await _serve(rasa, monkeypatch)
    http = aiohttp.ClientSession()
    yield Counter(server.url, http, rasa)
    await http.close()
    await server.stop()


async def test_valid_token_gets_rasas_answer_as_the_tokens_staff_member(counter):
    status, body = await counter.post({"text": "王秀英有流失风险吗"}, token())
    assert status == 200
    assert body == [{"recipient_id": COUNTER_ID, "text": "收到：王秀英有流失风险吗"}]
    [message] = counter.rasa.messages
    assert (message.sender_id, message.input_channel) == (COUNTER_ID, "counter")
    assert message.metadata == {"channel": "counter", "staff_id": COUNTER_ID}


async def test_sender_in_the_body_is_ignored(counter):
    await counter.post({"text": "王秀英的情况", "sender": RM_ID, "sender_id": RM_ID, "staff_id": RM_ID}, token())
    assert [m.sender_id for m in counter.rasa.messages] == [COUNTER_ID]


async def test_transcript_reaches_rasa_cleaned_by_the_voice_step(counter):
    spoken = "嗯 那个我想问一下 客户王秀英王秀英要取五十万 说是买房"
    assert clean_transcript(spoken) != spoken  # the case only means something if cleaning changes it
    await counter.post({"text": spoken}, token())
    assert [m.text for m in counter.rasa.messages] == [clean_transcript(spoken).strip()]


async def test_nothing_left_after_cleaning_asks_to_repeat_without_calling_rasa(counter):
    status, body = await counter.post({"text": "   "}, token())
    assert status == 200 and body == [{"recipient_id": COUNTER_ID, "text": replies.COUNTER_NOT_HEARD}]
    assert counter.rasa.messages == []


@pytest.mark.parametrize(
    "bearer",
    [
        token(expires_in=-120),
        token(secret="someone-elses-secret-0123456789abcdef"),
        None,
        token(expires_in=None),
        token(sub=None),
        jwt.encode({"sub": COUNTER_ID, "exp": int(time.time()) + 300}, key=None, algorithm="none"),
        token()[:-4] + "AAAA",
        "not.a.jwt",
        token(expires_in=13 * 3600),  # exp - iat over the default 12 hours
        token(expires_in=30 * 86400),
        jwt.encode({"sub": COUNTER_ID, "exp": int(time.time()) + 13 * 3600}, SECRET, algorithm="HS256"),  # no iat
        token(expires_in=3600, iat=int(time.time()) - 12 * 3600),  # issued 12 h ago, valid for 13 h in all
        token(expires_in=300, iat="yesterday"),
    ],
    ids=[
        "expired",
        "forged",
        "missing",
        "no-exp",
        "no-sub",
        "alg-none",
        "tampered-signature",
        "garbage",
        "13-hours",
        "30-days",
        "13-hours-no-iat",
        "13-hours-issued-earlier",
        "iat-not-a-number",
    ],  # fmt: skip
)
async def test_bad_or_missing_tokens_get_401_and_never_reach_rasa(counter, bearer):
    status, body = await counter.post({"text": "王秀英有流失风险吗"}, bearer)
    assert status == 401
    assert body == {"error": replies.COUNTER_NOT_AUTHORISED}
    assert counter.rasa.messages == []


async def test_a_token_within_the_maximum_lifetime_is_accepted(counter):
    status, _ = await counter.post({"text": "王秀英有流失风险吗"}, token(expires_in=11 * 3600))
    assert status == 200 and len(counter.rasa.messages) == 1


def test_the_maximum_lifetime_is_configurable(monkeypatch):
    from bot.channels.counter import MAX_HOURS_ENV, CounterAuthError

    long_token = token(expires_in=20 * 3600)
    monkeypatch.setenv(MAX_HOURS_ENV, "24")
    assert CounterInput.from_credentials({"jwt_secret": SECRET}).staff_id_for(f"Bearer {long_token}") == COUNTER_ID
    channel = CounterInput.from_credentials({"jwt_secret": SECRET, "max_token_hours": "8"})  # credentials win
    with pytest.raises(CounterAuthError):
        channel.staff_id_for(f"Bearer {token(expires_in=9 * 3600)}")
    monkeypatch.setenv(MAX_HOURS_ENV, "0")
    with pytest.raises(RasaException):
        CounterInput.from_credentials({"jwt_secret": SECRET})


async def test_non_bearer_authorization_is_refused(counter):
    async with counter.http.post(
        counter.url + "/webhook", json={"text": "你好"}, headers={"Authorization": f"Basic {token()}"}
    ) as resp:
        assert resp.status == 401
        assert resp.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("sub", ["nobody", LEFT_ID], ids=["unknown", "inactive"])
async def test_token_for_unknown_or_inactive_staff_is_forbidden(counter, sub):
    status, body = await counter.post({"text": "你好"}, token(sub=sub))
    assert status == 403 and body == {"error": replies.COUNTER_STAFF_INACTIVE}
    assert counter.rasa.messages == []


@pytest.mark.parametrize("raw", [b"{not json", b'{"transcript": "hi"}', b'{"text": 5}', b"[1, 2]"])
async def test_malformed_body_is_a_400(counter, raw):
    status, _ = await counter.post(None, token(), raw=raw)
    assert status == 400
    assert counter.rasa.messages == []


async def test_overlong_transcript_is_refused(counter):
    status, body = await counter.post({"text": "王" * 501}, token())
    assert status == 413 and body == {"error": replies.COUNTER_TOO_LONG}
    assert counter.rasa.messages == []


async def test_rasa_failure_answers_busy(staff_db, monkeypatch):
    async def broken(_message):
        raise RuntimeError("boom")

    server = await _serve(broken, monkeypatch)
    try:
        async with aiohttp.ClientSession() as http:
            status, body = await Counter(server.url, http, StubRasa()).post({"text": "你好"}, token())
    finally:
        await server.stop()
    assert status == 200 and body == [{"recipient_id": COUNTER_ID, "text": replies.BUSY}]


async def test_secret_in_credentials_wins_over_the_environment(monkeypatch):
    monkeypatch.setenv(JWT_SECRET_ENV, "x" * 40)
    channel = CounterInput.from_credentials({"jwt_secret": SECRET})
    assert channel.staff_id_for(f"Bearer {token()}") == COUNTER_ID


@pytest.mark.parametrize("secret", [None, "", "short"], ids=["unset", "empty", "short"])
async def test_missing_or_weak_secret_stops_startup(monkeypatch, secret):
    if secret is None:
        monkeypatch.delenv(JWT_SECRET_ENV, raising=False)
    else:
        monkeypatch.setenv(JWT_SECRET_ENV, secret)
    with pytest.raises(RasaException):
        CounterInput.from_credentials(None)
