"""Sending replies through Tencent's HTTP APIs (WeCom `message/send`; the WeChat client builds on this).

What every call gets: a timeout; retries with exponential backoff on HTTP 5xx, timeouts, connection
errors and errcode -1 (system busy); an access token cached until shortly before it expires and
refreshed once when the API says it is invalid or expired; a per-recipient limit (WeCom drops
messages beyond 30 per minute per member); content split under the 2048-byte cap at line boundaries.

A reply part is identified by a reply id. Once a send of that id is known to have succeeded it is
never sent again, whoever asks. After a timeout the outcome is unknown, so the part is retried.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp

from bot.channels.dedupe import MemorySeenStore, SeenStore

logger = logging.getLogger(__name__)

MAX_CONTENT_BYTES = 2048
WECOM_BASE_URL = "https://qyapi.weixin.qq.com"
BUSY_ERRCODE = -1


class ApiError(RuntimeError):
    def __init__(self, errcode: int, errmsg: str = "") -> None:
        super().__init__(f"errcode={errcode} errmsg={errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


class ApiUnavailable(RuntimeError):
    """Every attempt failed with a server error or timeout; delivery state is unknown."""


def split_content(text: str, limit_bytes: int = MAX_CONTENT_BYTES) -> list[str]:
    """Chunks of at most `limit_bytes` UTF-8 bytes, cut between lines where possible.

    A single line longer than the limit is cut between characters, never inside one.
    """
    text = text.strip("\n")
    if len(text.encode("utf-8")) <= limit_bytes:
        return [text] if text else []
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for line in _lines_within(text.split("\n"), limit_bytes):
        cost = len(line.encode("utf-8")) + (1 if current else 0)
        if current and size + cost > limit_bytes:
            chunks.append("\n".join(current))
            current, size = [], 0
            cost = len(line.encode("utf-8"))
        current.append(line)
        size += cost
    if current:
        chunks.append("\n".join(current))
    return [c for c in (c.strip("\n") for c in chunks) if c]


def _lines_within(lines: list[str], limit_bytes: int):
    for line in lines:
        if len(line.encode("utf-8")) <= limit_bytes:
            yield line
            continue
        piece: list[str] = []
        size = 0
        for ch in line:
            n = len(ch.encode("utf-8"))
            if size + n > limit_bytes:
                yield "".join(piece)
                piece, size = [], 0
            piece.append(ch)
            size += n
        if piece:
            yield "".join(piece)


class PerRecipientLimiter:
    """Sliding window: at most `per_minute` sends to one recipient in any 60 seconds; waits otherwise."""

    def __init__(
        self,
        per_minute: int = 30,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        window_seconds: float = 60.0,
    ) -> None:
        self.per_minute = per_minute
        self.window_seconds = window_seconds
        self._clock = clock
        self._sleep = sleep
        self._sent: dict[str, deque[float]] = {}

    async def acquire(self, recipient: str) -> None:
        while True:
            now = self._clock()
            stamps = self._sent.setdefault(recipient, deque())
            while stamps and stamps[0] <= now - self.window_seconds:
                stamps.popleft()
            if len(stamps) < self.per_minute:
                stamps.append(now)
                return
            await self._sleep(stamps[0] + self.window_seconds - now)


class TencentMessageApi:
    """Token cache, retries, limiter and splitting; subclasses say how to get a token and send text."""

    token_error_codes: frozenset[int] = frozenset({40014, 42001})

    def __init__(
        self,
        base_url: str,
        *,
        timeout_seconds: float = 5.0,
        attempts: int = 3,
        backoff_seconds: float = 0.5,
        per_recipient_per_minute: int = 30,
        sent_store: SeenStore | None = None,
        limiter: PerRecipientLimiter | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self.attempts = max(1, attempts)
        self.backoff_seconds = backoff_seconds
        self._sent = sent_store or MemorySeenStore()
        self._limiter = limiter or PerRecipientLimiter(per_recipient_per_minute)
        self._session: aiohttp.ClientSession | None = None
        self._token: str | None = None
        self._token_expires_at = 0.0
        self._token_lock: asyncio.Lock | None = None

    # -- subclass hooks -------------------------------------------------------------------------
    async def _fetch_token(self) -> tuple[str, float]:
        raise NotImplementedError

    def _send_request(self, recipient: str, content: str) -> tuple[str, dict[str, Any]]:
        """(path, JSON body) of one text message."""
        raise NotImplementedError

    # -- HTTP -----------------------------------------------------------------------------------
    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self.timeout)
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def _call(
        self, method: str, path: str, params: dict[str, str], body: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """One API call with retries on transport failures, 5xx and errcode -1; returns the JSON."""
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers = None if body is None else {"Content-Type": "application/json; charset=utf-8"}
        last_problem = ""
        for attempt in range(self.attempts):
            if attempt:
                await asyncio.sleep(self.backoff_seconds * 2 ** (attempt - 1))
            try:
                async with self._http().request(
                    method, self.base_url + path, params=params, data=data, headers=headers
                ) as resp:
                    if resp.status >= 500:
                        last_problem = f"HTTP {resp.status}"
                        continue
                    if resp.status >= 400:
                        raise ApiError(resp.status, f"HTTP {resp.status}")
                    result = await resp.json(content_type=None)
            except (asyncio.TimeoutError, aiohttp.ClientError, json.JSONDecodeError) as exc:
                last_problem = type(exc).__name__
                continue
            if not isinstance(result, dict):
                last_problem = "non-object JSON"
                continue
            if result.get("errcode") == BUSY_ERRCODE:
                last_problem = "system busy"
                continue
            return result
        raise ApiUnavailable(f"{path}: {last_problem} after {self.attempts} attempts")

    # -- token ----------------------------------------------------------------------------------
    async def access_token(self) -> str:
        if self._token and time.monotonic() < self._token_expires_at:
            return self._token
        if self._token_lock is None:
            self._token_lock = asyncio.Lock()
        async with self._token_lock:
            if self._token and time.monotonic() < self._token_expires_at:
                return self._token
            token, expires_in = await self._fetch_token()
            # Refresh a little early so a token never expires between the check and the call.
            self._token = token
            self._token_expires_at = time.monotonic() + max(expires_in - 300, expires_in / 2)
            return token

    def invalidate_token(self, token: str) -> None:
        if self._token == token:
            self._token = None

    # -- sending --------------------------------------------------------------------------------
    async def send_text(self, recipient: str, text: str, reply_id: str) -> int:
        """Send `text`, split as needed; returns how many parts went out now (0 if all were sent before)."""
        sent = 0
        for index, part in enumerate(split_content(text)):
            if await self._send_part(recipient, part, f"{reply_id}#{index}"):
                sent += 1
        return sent

    async def _send_part(self, recipient: str, content: str, part_id: str) -> bool:
        return await self.send_part(recipient, content, part_id) is not None

    async def send_part(self, recipient: str, content: str, part_id: str) -> str | None:
        """Send one part already under the cap: the msgid the API returned ("" if none), None if sent before.

        For callers that keep their own delivery record (the alerts outbox keeps each part's msgid).
        """
        if await self._sent.contains(part_id):
            return None
        await self._limiter.acquire(recipient)
        path, body = self._send_request(recipient, content)
        refreshed = False
        while True:
            token = await self.access_token()
            result = await self._call("POST", path, {"access_token": token}, body)
            errcode = int(result.get("errcode") or 0)
            if errcode == 0:
                await self._sent.mark(part_id)
                return str(result.get("msgid") or "")
            if errcode in self.token_error_codes and not refreshed:
                # The call was refused before delivery, so sending again cannot duplicate it.
                logger.info("access token rejected (errcode %s), refreshing", errcode)
                self.invalidate_token(token)
                refreshed = True
                continue
            raise ApiError(errcode, str(result.get("errmsg", "")))


class WeComApi(TencentMessageApi):
    """WeCom self-built app: `gettoken` with corp id + app secret, `message/send` to a member."""

    def __init__(
        self,
        corp_id: str,
        corp_secret: str,
        agent_id: int,
        base_url: str = WECOM_BASE_URL,
        msgtype: str = "text",
        **kwargs: Any,
    ) -> None:
        super().__init__(base_url, **kwargs)
        if msgtype not in ("text", "markdown"):
            raise ValueError("msgtype must be text or markdown")
        self.corp_id = corp_id
        self._corp_secret = corp_secret
        self.agent_id = int(agent_id)
        self.msgtype = msgtype

    async def _fetch_token(self) -> tuple[str, float]:
        result = await self._call("GET", "/cgi-bin/gettoken", {"corpid": self.corp_id, "corpsecret": self._corp_secret})
        if int(result.get("errcode") or 0) != 0 or not result.get("access_token"):
            raise ApiError(int(result.get("errcode") or -2), str(result.get("errmsg", "no access_token")))
        return str(result["access_token"]), float(result.get("expires_in") or 7200)

    def _send_request(self, recipient: str, content: str) -> tuple[str, dict[str, Any]]:
        return "/cgi-bin/message/send", {
            "touser": recipient,
            "msgtype": self.msgtype,
            "agentid": self.agent_id,
            self.msgtype: {"content": content},
            "safe": 0,
        }
