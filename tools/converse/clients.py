"""How one turn travels to the assistant and back, per channel, plus the Rasa HTTP API the runner uses to
reset a conversation and read its tracker.

- rest:    Rasa's REST webhook; the sender id is the staff id (local/dev stacks only).
- wecom:   the runner plays WeCom: it encrypts and signs a callback the way WeCom does (wechatpy), posts it
           to the assistant's WeCom webhook, and receives the answer on a fake `message/send` API it hosts
           (`WeComSimulator`); the assistant's WeCom channel must be configured with that API base URL.
- counter: the counter voice box: a transcript posted with a JWT (HS256, sub = staff id).
"""

from __future__ import annotations

import asyncio
import secrets
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

import aiohttp

from tools.fake_tencent import FakeTencentApi

RESTART = [{"event": "restart"}]


class ChannelProblem(RuntimeError):
    """The turn could not be delivered (HTTP error, refused callback, timeout): the conversation errors."""


@dataclass
class Delivery:
    replies: list[str]
    elapsed_ms: int | None  # until the first reply
    duplicates: list[str] = field(default_factory=list)


def _ms_since(start: float) -> int:
    return int((time.monotonic() - start) * 1000)


class ChannelClient(ABC):
    """Sends what a staff member says and returns what the assistant answered."""

    #: The Rasa conversation (sender) id the channel produces for this staff member.
    conversation_id: str

    @abstractmethod
    async def send(self, text: str, repeat: int = 1) -> Delivery: ...


# --- rest ---------------------------------------------------------------------------------------------


class RestClient(ChannelClient):
    def __init__(self, http: aiohttp.ClientSession, base_url: str, staff_id: str, timeout_s: float = 60) -> None:
        self.http, self.url, self.conversation_id = http, base_url.rstrip("/") + "/webhooks/rest/webhook", staff_id
        self.timeout = aiohttp.ClientTimeout(total=timeout_s)

    async def send(self, text: str, repeat: int = 1) -> Delivery:
        start = time.monotonic()
        try:
            async with self.http.post(
                self.url, json={"sender": self.conversation_id, "message": text}, timeout=self.timeout
            ) as resp:
                if resp.status != 200:
                    raise ChannelProblem(f"REST webhook answered HTTP {resp.status}: {(await resp.text())[:200]}")
                body = await resp.json(content_type=None)
        except asyncio.TimeoutError:
            raise ChannelProblem(f"no answer from the REST webhook within {self.timeout.total:.0f} s") from None
        except aiohttp.ClientError as exc:
            raise ChannelProblem(f"REST webhook unreachable: {exc}") from None
        elapsed = _ms_since(start)
        replies = [m["text"] for m in body or [] if isinstance(m, dict) and m.get("text")]
        return Delivery(replies, elapsed if replies else None)


# --- counter ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CounterSettings:
    jwt_secret: str
    webhook_path: str = "/webhooks/counter/webhook"
    token_ttl_s: int = 300


def counter_token(settings: CounterSettings, staff_id: str, now: float | None = None) -> str:
    import jwt

    issued = int(now if now is not None else time.time())
    return jwt.encode(
        {"sub": staff_id, "iat": issued, "exp": issued + settings.token_ttl_s}, settings.jwt_secret, "HS256"
    )


def replies_from_body(body: Any) -> list[str]:
    """Texts from the shapes a synchronous channel may answer with: Rasa's list of messages, or
    {"replies"/"messages": [...]}, or {"text": ...}."""
    if isinstance(body, dict):
        for key in ("replies", "messages", "responses"):
            if isinstance(body.get(key), list):
                return replies_from_body(body[key])
        return [body["text"]] if isinstance(body.get("text"), str) and body["text"] else []
    if isinstance(body, list):
        out = []
        for m in body:
            if isinstance(m, str) and m:
                out.append(m)
            elif isinstance(m, dict) and isinstance(m.get("text"), str) and m["text"]:
                out.append(m["text"])
        return out
    return []


class CounterClient(ChannelClient):
    def __init__(
        self,
        http: aiohttp.ClientSession,
        base_url: str,
        staff_id: str,
        settings: CounterSettings,
        timeout_s: float = 60,
    ) -> None:
        self.http, self.settings, self.conversation_id = http, settings, staff_id
        self.url = base_url.rstrip("/") + settings.webhook_path
        self.timeout = aiohttp.ClientTimeout(total=timeout_s)

    async def send(self, text: str, repeat: int = 1) -> Delivery:
        headers = {"Authorization": f"Bearer {counter_token(self.settings, self.conversation_id)}"}
        start = time.monotonic()
        try:
            async with self.http.post(self.url, json={"text": text}, headers=headers, timeout=self.timeout) as resp:
                if resp.status != 200:
                    raise ChannelProblem(f"counter webhook answered HTTP {resp.status}: {(await resp.text())[:200]}")
                body = await resp.json(content_type=None)
        except asyncio.TimeoutError:
            raise ChannelProblem(f"no answer from the counter webhook within {self.timeout.total:.0f} s") from None
        except aiohttp.ClientError as exc:
            raise ChannelProblem(f"counter webhook unreachable: {exc}") from None
        replies = replies_from_body(body)
        return Delivery(replies, _ms_since(start) if replies else None)


# --- wecom --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeComSettings:
    """The WeCom app as the assistant is configured for it; the runner's simulator plays the other side."""

    corp_id: str = "ww-converse-test"
    agent_id: str = "1000002"
    secret: str = "converse-test-secret"
    token: str = "conversetoken"
    encoding_aes_key: str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # 43 characters
    webhook_path: str = "/webhooks/wecom/webhook"
    api_port: int = 0  # where the simulator serves the WeCom API (0: any free port)


class WeComSimulator(FakeTencentApi):
    """WeCom's server API for the runner: the one fake Tencent API (tools.fake_tencent), set up for `settings`."""

    def __init__(self, settings: WeComSettings) -> None:
        super().__init__(corp_id=settings.corp_id, corp_secret=settings.secret, port=settings.api_port)
        self.settings = settings


def wecom_callback(
    settings: WeComSettings, from_user: str, text: str, msg_id: str, now: int | None = None
) -> tuple[dict, str]:
    """Query parameters and XML body of an encrypted WeCom text-message callback (wechatpy does the crypto)."""
    import defusedxml.ElementTree as ET
    from wechatpy.enterprise.crypto import WeChatCrypto

    created = str(now if now is not None else int(time.time()))
    plain = (
        f"<xml><ToUserName><![CDATA[{settings.corp_id}]]></ToUserName>"
        f"<FromUserName><![CDATA[{from_user}]]></FromUserName>"
        f"<CreateTime>{created}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        f"<Content><![CDATA[{text}]]></Content><MsgId>{msg_id}</MsgId>"
        f"<AgentID>{settings.agent_id}</AgentID></xml>"
    )
    nonce = secrets.token_hex(8)
    crypto = WeChatCrypto(settings.token, settings.encoding_aes_key, settings.corp_id)
    envelope = ET.fromstring(crypto.encrypt_message(plain, nonce, created))
    encrypted = envelope.findtext("Encrypt")
    query = {"msg_signature": envelope.findtext("MsgSignature"), "timestamp": created, "nonce": nonce}
    body = (
        f"<xml><ToUserName><![CDATA[{escape(settings.corp_id)}]]></ToUserName>"
        f"<Encrypt><![CDATA[{encrypted}]]></Encrypt>"
        f"<AgentID><![CDATA[{settings.agent_id}]]></AgentID></xml>"
    )
    return query, body


class WeComClient(ChannelClient):
    """One staff member chatting in the WeCom app. Replies arrive asynchronously on the simulator."""

    def __init__(
        self,
        http: aiohttp.ClientSession,
        base_url: str,
        simulator: WeComSimulator,
        userid: str,
        conversation_id: str,
        timeout_s: float = 60,
        quiet_s: float = 1.0,
        retry_gap_s: float = 0.3,
    ) -> None:
        self.http, self.sim, self.userid, self.conversation_id = http, simulator, userid, conversation_id
        self.url = base_url.rstrip("/") + simulator.settings.webhook_path
        self.timeout_s, self.quiet_s, self.retry_gap_s = timeout_s, quiet_s, retry_gap_s

    async def send(self, text: str, repeat: int = 1) -> Delivery:
        self.sim.drain(self.userid)  # late messages of an earlier turn must not count for this one
        msg_id = str(int(time.time() * 1000)) + secrets.token_hex(2).upper()
        query, body = wecom_callback(self.sim.settings, self.userid, text, msg_id)
        start = time.monotonic()
        for attempt in range(repeat):
            # A retry of the same callback, as WeCom sends when an answer is late: same MsgId, same envelope.
            if attempt:
                await asyncio.sleep(self.retry_gap_s)
            try:
                async with self.http.post(
                    self.url,
                    params=query,
                    data=body.encode("utf-8"),
                    headers={"Content-Type": "text/xml"},
                    timeout=aiohttp.ClientTimeout(total=10),
                ) as resp:
                    if resp.status != 200:
                        raise ChannelProblem(f"WeCom callback answered HTTP {resp.status}: {(await resp.text())[:200]}")
            except asyncio.TimeoutError:
                raise ChannelProblem("the WeCom callback did not answer within 10 s (WeCom gives up after 5)") from None
            except aiohttp.ClientError as exc:
                raise ChannelProblem(f"WeCom callback unreachable: {exc}") from None
        quiet = self.quiet_s * (3 if repeat > 1 else 1)  # give a duplicate answer time to show itself
        sent = await self.sim.collect(self.userid, start, self.timeout_s, quiet)
        texts = [m.text for m in sent]
        seen: set[str] = set()
        duplicates = [t for t in texts if t in seen or seen.add(t)]
        elapsed = int((sent[0].at - start) * 1000) if sent else None
        return Delivery(texts, elapsed, duplicates)


# --- the Rasa HTTP API --------------------------------------------------------------------------------


class RasaApi:
    """`rasa run --enable-api`: reset a conversation, read its tracker. Optional on a production stack."""

    def __init__(self, http: aiohttp.ClientSession, base_url: str, token: str | None = None) -> None:
        self.http, self.base, self.token = http, base_url.rstrip("/"), token
        self.problem: str | None = None  # set when the API turned out to be unavailable

    def _params(self) -> dict:
        return {"token": self.token} if self.token else {}

    async def probe(self) -> bool:
        """True when the tracker API answers; else `problem` says why."""
        try:
            async with self.http.get(
                f"{self.base}/status", params=self._params(), timeout=aiohttp.ClientTimeout(total=10)
            ) as r:
                if r.status == 200:
                    return True
                self.problem = f"the Rasa HTTP API answered {r.status} (start Rasa with --enable-api; pass --token)"
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            self.problem = f"the Rasa HTTP API is unreachable: {exc}"
        return False

    async def reset(self, conversation_id: str) -> None:
        """Append a restart: every tracker store keeps what came before, but nothing of it applies any more."""
        url = f"{self.base}/conversations/{conversation_id}/tracker/events"
        async with self.http.post(
            url, json=RESTART, params=self._params(), timeout=aiohttp.ClientTimeout(total=30)
        ) as r:
            if r.status != 200:
                raise ChannelProblem(f"could not reset conversation {conversation_id}: HTTP {r.status}")

    async def tracker(self, conversation_id: str) -> dict:
        url = f"{self.base}/conversations/{conversation_id}/tracker"
        async with self.http.get(url, params=self._params(), timeout=aiohttp.ClientTimeout(total=30)) as r:
            if r.status != 200:
                raise ChannelProblem(f"could not read tracker of {conversation_id}: HTTP {r.status}")
            return await r.json(content_type=None)


def last_user_turn(tracker: dict) -> tuple[str | None, float | None]:
    """Intent name and confidence of the latest user message in a tracker dump."""
    for event in reversed(tracker.get("events") or []):
        if event.get("event") == "user":
            intent = (event.get("parse_data") or {}).get("intent") or {}
            return intent.get("name"), intent.get("confidence")
    latest = (tracker.get("latest_message") or {}).get("intent") or {}
    return latest.get("name"), latest.get("confidence")
