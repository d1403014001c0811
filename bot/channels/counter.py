"""The counter voice box: a terminal at the counter posts voice-to-text transcripts.

    POST /webhooks/counter/webhook
    Authorization: Bearer <JWT, HS256, sub = staff id, exp required>
    {"text": "嗯 客户王秀英要取五十万 说是买房"}
    -> 200 [{"recipient_id": "<staff id>", "text": "..."}, ...]

The speaker is whoever the token names; a sender in the body is ignored. The transcript is cleaned
by the NLU's voice clean-up before Rasa sees it. Expired, forged or missing tokens get 401.

credentials.yml:

    bot.channels.counter.CounterInput:
      jwt_secret: ${BOT_COUNTER_JWT_SECRET}   # falls back to the environment variable if omitted
      # optional: leeway_seconds (clock skew allowed on exp, default 10), max_transcript_chars (default 500),
      # max_token_hours (longest lifetime a token may have; default BOT_COUNTER_TOKEN_MAX_HOURS, else 12)

A token must expire (`exp`), and within the maximum lifetime: exp - iat may not exceed it, nor may exp lie
further ahead than that (a token without iat). A leaked long-lived token would otherwise speak as its
staff member for as long as it says.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Awaitable, Callable
from typing import Any

import jwt
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.exc import DBAPIError

from bot.channels import identity, replies
from bot.channels.turn_thread import run_turns_off_the_server_loop
from bot.notices import DATA_UNAVAILABLE

logger = logging.getLogger(__name__)

JWT_SECRET_ENV = "BOT_COUNTER_JWT_SECRET"
MAX_HOURS_ENV = "BOT_COUNTER_TOKEN_MAX_HOURS"
DEFAULT_MAX_TOKEN_HOURS = 12.0  # a counter shift
MIN_SECRET_CHARS = 32
MAX_BODY_BYTES = 16 * 1024


class CounterAuthError(Exception):
    pass


def staff_id_from_token(
    token: str, secret: str, leeway_seconds: float = 10, max_hours: float = DEFAULT_MAX_TOKEN_HOURS
) -> str:
    """The staff id (`sub`) of a valid HS256 token that lives at most `max_hours`; raises CounterAuthError otherwise."""
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=["HS256"],
            options={"require": ["exp", "sub"]},
            leeway=leeway_seconds,
        )
    except jwt.PyJWTError as exc:
        raise CounterAuthError(type(exc).__name__) from exc
    _check_lifetime(claims, max_hours * 3600, leeway_seconds)
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject.strip():
        raise CounterAuthError("empty subject")
    return subject.strip()


def _check_lifetime(claims: dict[str, Any], max_seconds: float, leeway_seconds: float) -> None:
    exp, iat = claims.get("exp"), claims.get("iat")
    if not isinstance(exp, (int, float)) or (iat is not None and not isinstance(iat, (int, float))):
        raise CounterAuthError("exp or iat is not a number")
    if iat is not None and exp - iat > max_seconds:
        raise CounterAuthError("token lifetime exceeds the maximum")
    if exp - time.time() > max_seconds + leeway_seconds:
        raise CounterAuthError("token expires beyond the maximum lifetime")


def max_token_hours(credentials: dict[str, Any]) -> float:
    value = credentials.get("max_token_hours") or os.environ.get(MAX_HOURS_ENV) or DEFAULT_MAX_TOKEN_HOURS
    hours = float(value)
    if hours <= 0:
        raise RasaException(f"{MAX_HOURS_ENV} / max_token_hours must be a positive number of hours")
    return hours


def clean_transcript(text: str) -> str:
    # Imported on use, so loading the channel never depends on the NLU package.
    from bot.nlu.voice import clean_transcript as clean

    return clean(text)


class CounterOutput(CollectingOutputChannel):
    @classmethod
    def name(cls) -> str:
        return "counter"

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        if text and text.strip():
            await self._persist_message(self._message(recipient_id, text=text.strip()))


class CounterInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "counter"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> CounterInput:
        credentials = credentials or {}
        secret = credentials.get("jwt_secret") or os.environ.get(JWT_SECRET_ENV) or ""
        return cls(
            str(secret),
            leeway_seconds=float(credentials.get("leeway_seconds", 10)),
            max_transcript_chars=int(credentials.get("max_transcript_chars", 500)),
            max_token_hours=max_token_hours(credentials),
        )

    def __init__(
        self,
        jwt_secret: str,
        leeway_seconds: float = 10,
        max_transcript_chars: int = 500,
        max_token_hours: float = DEFAULT_MAX_TOKEN_HOURS,
    ) -> None:
        if len(jwt_secret) < MIN_SECRET_CHARS:
            raise RasaException(
                f"The counter channel needs a JWT secret of at least {MIN_SECRET_CHARS} characters "
                f"in {JWT_SECRET_ENV} (for example: openssl rand -hex 32)."
            )
        self._secret = jwt_secret
        self.leeway_seconds = leeway_seconds
        self.max_transcript_chars = max_transcript_chars
        self.max_token_hours = max_token_hours

    def staff_id_for(self, authorization: str) -> str:
        """The staff id an `Authorization: Bearer <jwt>` header vouches for; raises CounterAuthError."""
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise CounterAuthError("no bearer token")
        return staff_id_from_token(token.strip(), self._secret, self.leeway_seconds, self.max_token_hours)

    def get_output_channel(self) -> CounterOutput:
        return CounterOutput()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("counter_webhook")
        on_new_message = run_turns_off_the_server_loop(on_new_message)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                staff_id = self.staff_id_for(request.headers.get("Authorization", ""))
            except CounterAuthError as exc:
                logger.warning("counter: refused token (%s) from %s", exc, request.ip)
                return response.json(
                    {"error": replies.COUNTER_NOT_AUTHORISED},
                    status=401,
                    headers={"WWW-Authenticate": 'Bearer realm="counter"'},
                )
            transcript = self._transcript(request)
            if transcript is None:
                return response.json({"error": "body must be JSON with a text field"}, status=400)
            if len(transcript) > self.max_transcript_chars:
                return response.json({"error": replies.COUNTER_TOO_LONG}, status=413)
            try:
                staff = await identity.staff_for_id(staff_id)
            except DBAPIError:  # the staff directory lives in the customer store, which is unreachable
                logger.exception("counter: staff lookup failed for %s", staff_id)
                return response.json([{"recipient_id": staff_id, "text": DATA_UNAVAILABLE}])
            if staff is None:
                return response.json({"error": replies.COUNTER_STAFF_INACTIVE}, status=403)

            output = self.get_output_channel()
            text = clean_transcript(transcript)
            if not text.strip():
                await output.send_text_message(staff.id, replies.COUNTER_NOT_HEARD)
                return response.json(output.messages)
            try:
                await on_new_message(
                    UserMessage(
                        text,
                        output,
                        staff.id,
                        input_channel=self.name(),
                        metadata={"channel": self.name(), "staff_id": staff.id},
                    )
                )
            except Exception:
                logger.exception("counter: Rasa failed for staff %s", staff.id)
                await output.send_text_message(staff.id, replies.BUSY)
            return response.json(output.messages)

        return webhook

    def _transcript(self, request: Request) -> str | None:
        if len(request.body or b"") > MAX_BODY_BYTES:
            return None
        try:
            body = request.json
        except Exception:  # sanic raises its own InvalidUsage on bad JSON
            return None
        text = body.get("text") if isinstance(body, dict) else None
        return text if isinstance(text, str) else None
