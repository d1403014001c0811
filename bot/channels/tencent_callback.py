"""What WeCom and WeChat official-account callbacks have in common.

Both POST an XML envelope whose `Encrypt` field is signed (`msg_signature` in the query) and
encrypted with the app's EncodingAESKey, both wait 5 seconds and retry 3 times, and both take
replies asynchronously through an HTTP API. So a callback is verified, decrypted, deduplicated and
acknowledged at once; the conversation with Rasa and the reply happen in a background task.

Subclasses supply the URL verification (GET), the identity lookup, what text (if any) goes to Rasa
for each message type, and the API client.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.exc import DBAPIError

from bot.channels import replies
from bot.channels.dedupe import DEFAULT_TTL_SECONDS, SeenStore, seen_store
from bot.channels.turn_thread import run_turns_off_the_server_loop
from bot.channels.wecom_api import TencentMessageApi
from bot.channels.wx_crypto import ReceiveIdMismatch, WxCipher, WxCryptoError, signature_matches
from bot.channels.wx_xml import MAX_XML_BYTES, UnsafeXml, parse_flat_xml
from bot.message_guard import clean, rejection
from bot.notices import DATA_UNAVAILABLE
from bot.store.staff_directory import StaffMember

logger = logging.getLogger(__name__)

DEFAULT_MAX_AGE_SECONDS = 300
DEFAULT_IDENTITY_CACHE_SECONDS = 60.0
_IDENTITY_CACHE_MAX = 10_000


class Rejected(Exception):
    """A callback we refuse; `status` is the 4xx answered to the caller."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class InboundMessage:
    """The fields of a decrypted callback that the channels use."""

    user: str
    msg_type: str
    content: str = ""
    msg_id: str = ""
    create_time: str = ""
    recognition: str = ""

    @classmethod
    def from_fields(cls, fields: Mapping[str, str]) -> InboundMessage:
        return cls(
            user=fields.get("FromUserName", "").strip(),
            msg_type=fields.get("MsgType", "").strip().lower(),
            content=fields.get("Content", ""),
            msg_id=fields.get("MsgId", "").strip(),
            create_time=fields.get("CreateTime", "").strip(),
            recognition=fields.get("Recognition", ""),
        )

    @property
    def dedupe_key(self) -> str:
        # Messages carry a MsgId; events do not, so the platform's own rule is user + CreateTime.
        if self.msg_id:
            return f"msg:{self.msg_id}"
        return f"evt:{self.user}:{self.create_time}"


class ApiReplyOutput(CollectingOutputChannel):
    """Collects Rasa's replies for one inbound message, then sends them to the platform user.

    Rasa addresses replies to the conversation id (the staff id); the platform needs its own user id,
    which this output channel holds. Each reply keeps its text whole (no split on blank lines); the API
    client splits only what exceeds the size cap.
    """

    def __init__(self, api: TencentMessageApi, platform_user: str, reply_id: str) -> None:
        super().__init__()
        self.api = api
        self.platform_user = platform_user
        self.reply_id = reply_id

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        if text and text.strip():
            await self._persist_message(self._message(recipient_id, text=text.strip()))

    def texts(self) -> list[str]:
        return [m["text"] for m in self.messages if m.get("text")]

    async def flush(self) -> int:
        sent = 0
        for index, text in enumerate(self.texts()):
            sent += await self.api.send_text(self.platform_user, text, f"{self.reply_id}:{index}")
        return sent


def required_credentials(channel: str, credentials: Mapping[str, Any] | None, *keys: str) -> dict[str, str]:
    """The named values, or a startup error naming every missing one."""
    credentials = credentials or {}
    missing = [k for k in keys if credentials.get(k) in (None, "")]
    if missing:
        raise RasaException(
            f"The {channel} channel needs {', '.join(missing)} in credentials.yml "
            f"(usually as ${{ENV_VAR}} references to secrets in the environment)."
        )
    return {k: str(credentials[k]) for k in keys}


def _number(credentials: Mapping[str, Any], key: str, default: float) -> float:
    value = credentials.get(key)
    return default if value in (None, "") else float(value)


@dataclass
class CallbackOptions:
    """The optional settings WeCom and WeChat channels share, read from credentials."""

    seen: SeenStore
    api: dict[str, Any]
    channel: dict[str, Any]

    @classmethod
    def from_credentials(cls, credentials: Mapping[str, Any]) -> CallbackOptions:
        ttl = _number(credentials, "dedupe_ttl_seconds", DEFAULT_TTL_SECONDS)
        max_age = _number(credentials, "max_age_seconds", DEFAULT_MAX_AGE_SECONDS)
        if max_age and ttl < max_age:
            # A callback still fresh enough to be accepted must still be remembered, or a replay is answered.
            raise RasaException("dedupe_ttl_seconds must be at least max_age_seconds")
        seen = seen_store(credentials.get("dedupe_redis_url") or None, ttl)
        api = {
            "timeout_seconds": _number(credentials, "api_timeout_seconds", 5.0),
            "attempts": int(_number(credentials, "api_attempts", 3)),
            "backoff_seconds": _number(credentials, "api_backoff_seconds", 0.5),
            "per_recipient_per_minute": int(_number(credentials, "per_member_per_minute", 30)),
            "sent_store": seen,
        }
        channel = {
            "seen": seen,
            "max_age_seconds": max_age,
            "identity_cache_seconds": _number(credentials, "identity_cache_seconds", DEFAULT_IDENTITY_CACHE_SECONDS),
        }
        return cls(seen, api, channel)


class TencentCallbackInput(InputChannel):
    ack_body = ""
    max_body_bytes = MAX_XML_BYTES

    def __init__(
        self,
        token: str,
        cipher: WxCipher,
        api: TencentMessageApi,
        seen: SeenStore,
        max_age_seconds: float = DEFAULT_MAX_AGE_SECONDS,
        identity_cache_seconds: float = DEFAULT_IDENTITY_CACHE_SECONDS,
    ) -> None:
        self.token = token
        self.cipher = cipher
        self.api = api
        self.seen = seen
        self.max_age_seconds = max_age_seconds
        self.identity_cache_seconds = identity_cache_seconds
        self._known_staff: dict[str, tuple[StaffMember, float]] = {}
        self._tasks: set[asyncio.Task] = set()

    # -- hooks ----------------------------------------------------------------------------------
    def verify_url(self, request: Request) -> HTTPResponse:
        raise NotImplementedError

    def check_post_query(self, request: Request) -> None:
        """Extra checks on the POST query string; raise Rejected to refuse."""

    async def staff_for(self, platform_user: str) -> StaffMember | None:
        raise NotImplementedError

    def text_for_rasa(self, message: InboundMessage) -> tuple[str | None, str | None]:
        """(text to hand to Rasa, or None) and (a reply of the channel's own instead, or None)."""
        raise NotImplementedError

    def get_output_channel_for(self, platform_user: str, reply_id: str) -> ApiReplyOutput:
        return ApiReplyOutput(self.api, platform_user, reply_id)

    def unknown_user_reply(self, platform_user: str) -> str:
        return replies.UNKNOWN_STAFF

    # -- protocol -------------------------------------------------------------------------------
    def open_callback(self, request: Request) -> InboundMessage:
        """Verified, decrypted, parsed; raises Rejected for anything that is not a genuine callback."""
        body = request.body or b""
        if len(body) > self.max_body_bytes:
            raise Rejected(413, "body too large")
        self.check_post_query(request)
        args = request.args
        timestamp, nonce = args.get("timestamp", ""), args.get("nonce", "")
        try:
            envelope = parse_flat_xml(body, self.max_body_bytes)
        except UnsafeXml as exc:
            raise Rejected(400, f"envelope: {exc}") from exc
        encrypted = envelope.get("Encrypt", "").strip()
        if not encrypted:
            raise Rejected(400, "no Encrypt field")
        if not signature_matches(args.get("msg_signature"), self.token, timestamp, nonce, encrypted):
            raise Rejected(403, "bad signature")
        self.check_fresh(timestamp)
        try:
            inner = parse_flat_xml(self.cipher.decrypt(encrypted), self.max_body_bytes)
        except ReceiveIdMismatch as exc:
            raise Rejected(403, str(exc)) from exc
        except (WxCryptoError, UnsafeXml) as exc:
            raise Rejected(400, f"payload: {exc}") from exc
        message = InboundMessage.from_fields(inner)
        if not message.user or not message.msg_type:
            raise Rejected(400, "no FromUserName or MsgType")
        return message

    def check_fresh(self, timestamp: str) -> None:
        if not self.max_age_seconds:
            return
        try:
            age = abs(time.time() - int(timestamp))
        except ValueError as exc:
            raise Rejected(400, "timestamp is not a number") from exc
        if age > self.max_age_seconds:
            raise Rejected(403, "stale timestamp")

    # -- processing -----------------------------------------------------------------------------
    async def recognised_staff(self, platform_user: str) -> StaffMember | None:
        """`staff_for`, remembering a recognised member for a short while (the lookup is most of the
        channel's work per message). Deactivation therefore takes effect within `identity_cache_seconds`;
        unknown people are never remembered, so a new binding works at once."""
        now = time.monotonic()
        cached = self._known_staff.get(platform_user)
        if cached and cached[1] > now:
            return cached[0]
        staff = await self.staff_for(platform_user)
        if staff is not None and self.identity_cache_seconds > 0:
            if len(self._known_staff) >= _IDENTITY_CACHE_MAX:
                self._known_staff.clear()
            self._known_staff[platform_user] = (staff, now + self.identity_cache_seconds)
        else:
            self._known_staff.pop(platform_user, None)
        return staff

    async def process(self, message: InboundMessage, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        """Background part: identity, Rasa, reply. Never raises."""
        if message.msg_type == "event":
            return
        output = self.get_output_channel_for(message.user, f"{self.name()}:{message.dedupe_key}")
        try:
            try:
                staff = await self.recognised_staff(message.user)
            except DBAPIError:  # the staff directory lives in the customer store, which is unreachable
                logger.exception("%s: staff lookup failed for %s", self.name(), message.user)
                await output.send_text_message(message.user, DATA_UNAVAILABLE)
                await output.flush()
                return
            if staff is None:
                logger.info("%s: refused unknown user %s", self.name(), message.user)
                await output.send_text_message(message.user, self.unknown_user_reply(message.user))
            else:
                await self._converse(message, staff, output, on_new_message)
            await output.flush()
        except Exception:  # the ack has gone out; all that is left is to log
            logger.exception("%s: could not reply to message %s", self.name(), message.dedupe_key)

    async def _converse(
        self,
        message: InboundMessage,
        staff: StaffMember,
        output: ApiReplyOutput,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> None:
        text, own_reply = self.text_for_rasa(message)
        if own_reply:
            await output.send_text_message(staff.id, own_reply)
            return
        if text is None:
            return
        # The same checks as every channel: control characters out, length capped; an empty or blank
        # message gets the empty-message notice.
        text = clean(text)
        problem = rejection(text)
        if problem:
            await output.send_text_message(staff.id, problem)
            return
        try:
            await on_new_message(
                UserMessage(
                    text,
                    output,
                    staff.id,
                    input_channel=self.name(),
                    message_id=message.msg_id or None,
                    metadata={"channel": self.name(), "staff_id": staff.id},
                )
            )
        except Exception:
            logger.exception("%s: Rasa failed on message %s", self.name(), message.dedupe_key)
            await output.send_text_message(staff.id, replies.BUSY)

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)  # a strong reference, or the task may be collected mid-flight
        task.add_done_callback(self._tasks.discard)

    async def drain(self, timeout: float | None = None) -> None:
        """Wait for replies still being processed (tests, benchmarks and server shutdown)."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)

    # -- Rasa -----------------------------------------------------------------------------------
    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint(f"{self.name()}_webhook")
        on_new_message = run_turns_off_the_server_loop(on_new_message)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            try:
                return self.verify_url(request)
            except Rejected as exc:
                logger.warning("%s: URL verification refused: %s", self.name(), exc.reason)
                return response.text("", status=exc.status)

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                message = self.open_callback(request)
            except Rejected as exc:
                logger.warning("%s: callback refused (%s) from %s", self.name(), exc.reason, request.ip)
                return response.text("", status=exc.status)
            if await self.seen.claim(f"{self.name()}:{message.dedupe_key}"):
                self.spawn(self.process(message, on_new_message))
            return response.text(self.ack_body)

        @webhook.listener("before_server_stop")
        async def finish_replies(*_: Any) -> None:
            await self.drain(timeout=10)
            await self.api.close()
            await self.seen.close()

        return webhook
