"""Tencent's message API played on loopback: the one fake every test, the QA runner and the benchmarks use.

Serves what the channels call: WeCom `gettoken` and `message/send`, WeChat `stable_token` and
`message/custom/send`. Every token call, every send attempt and every delivered message is recorded.
Credentials are checked only where given (`corp_id`, `corp_secret`, `app_id`, `app_secret`; None accepts any);
each token call issues a new token (`TOKEN-1`, `TOKEN-2`, …) that stays valid until `expire_tokens()`
(then errcode 42001, expired; a token never issued gets 40014, invalid).

`script_send(...)` (alias `fail_next`) queues what the next send attempts meet:
  ("status", 503)  an HTTP error, nothing delivered;
  ("errcode", -1)  that errcode (-1 is WeCom's "system busy"), nothing delivered;
  ("hang", 6.0)    no answer for that long (the client times out), then 504: nothing delivered;
  ("delay", 2.0)   an answer that late, and the message *is* delivered, as a real server does after a
                   client gave up waiting.

Run it in the caller's event loop (`await start()` / `await stop()`, then `await collect(...)`), or in a
thread of its own for synchronous code (`start_thread()` / `stop_thread()`, then `wait_for(...)`).
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

EXPIRED_TOKEN = 42001  # a token this fake issued, since expired
INVALID_TOKEN = 40014  # a token it never issued


@dataclass(frozen=True)
class Delivered:
    """One message as it reached a recipient (a send to "a|b" is two of these)."""

    touser: str
    content: str
    at: float  # time.monotonic() on arrival

    @property
    def text(self) -> str:
        return self.content


class FakeTencentApi:
    def __init__(
        self,
        corp_id: str | None = None,
        corp_secret: str | None = None,
        app_id: str | None = None,
        app_secret: str | None = None,
        *,
        expires_in: int = 7200,
        port: int = 0,
        on_delivered: Callable[[Delivered], None] | None = None,
    ) -> None:
        self.corp_id, self.corp_secret = corp_id, corp_secret
        self.app_id, self.app_secret = app_id, app_secret
        self.expires_in = expires_in
        self.port = port  # 0: any free port, known once started
        self.on_delivered = on_delivered
        self.token_calls: list[dict] = []
        self.send_attempts: list[dict] = []  # {"token", "body", "raw"} for every send call
        self.delivered: list[dict] = []  # the bodies of the sends that were accepted
        self._messages: list[Delivered] = []
        self._inbox: dict[str, list[Delivered]] = {}  # per recipient, emptied by drain / collect
        self._script: deque[tuple[str, Any]] = deque()
        self._valid_tokens: set[str] = set()
        self._issued_tokens: set[str] = set()
        self._lock = threading.Lock()
        self._arrived: asyncio.Condition | None = None
        self._runner: web.AppRunner | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    api_base = base_url

    @property
    def attempts(self) -> int:
        return len(self.send_attempts)

    # -- control --------------------------------------------------------------------------------
    def script_send(self, *steps: tuple[str, Any]) -> None:
        with self._lock:
            self._script.extend(steps)

    fail_next = script_send

    def expire_tokens(self) -> None:
        with self._lock:
            self._valid_tokens.clear()

    async def start(self) -> str:
        self._arrived = asyncio.Condition()
        app = web.Application()
        app.router.add_get("/cgi-bin/gettoken", self._gettoken)
        app.router.add_post("/cgi-bin/stable_token", self._stable_token)
        app.router.add_post("/cgi-bin/message/send", self._send)
        app.router.add_post("/cgi-bin/message/custom/send", self._send)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
        self.port = self._runner.addresses[0][1]  # the port the OS chose when asked for any
        return self.base_url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def start_thread(self) -> FakeTencentApi:
        """Serve from a thread with its own event loop, for synchronous callers (fixtures, drills)."""
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fake-tencent-api", daemon=True)
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self.start(), self._loop).result(timeout=10)
        return self

    def stop_thread(self) -> None:
        if self._loop is None or self._thread is None:
            return
        asyncio.run_coroutine_threadsafe(self.stop(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)

    # -- what arrived ---------------------------------------------------------------------------
    def texts(self) -> list[str]:
        with self._lock:
            return [d[d["msgtype"]]["content"] for d in self.delivered]

    def all_delivered(self) -> list[Delivered]:
        with self._lock:
            return list(self._messages)

    def delivered_to(self, user: str) -> list[Delivered]:
        with self._lock:
            return [d for d in self._messages if d.touser == user]

    def drain(self, user: str) -> list[str]:
        """Forget what is waiting for `user` (late messages of an earlier turn) and return its texts."""
        with self._lock:
            return [m.content for m in self._inbox.pop(user, [])]

    def wait_for(self, user: str, since: float, timeout_s: float = 60.0, quiet_s: float = 0.6) -> list[str]:
        """From another thread: texts delivered to `user` after `since` (monotonic), once at least one
        came and then nothing for `quiet_s`; whatever came when `timeout_s` ran out."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            got = [d for d in self.delivered_to(user) if d.at >= since]
            if got and time.monotonic() - got[-1].at >= quiet_s:
                return [d.content for d in got]
            time.sleep(0.05)
        return [d.content for d in self.delivered_to(user) if d.at >= since]

    async def collect(self, user: str, since: float, timeout_s: float, quiet_s: float) -> list[Delivered]:
        """In the serving loop: messages waiting for `user` once the first arrived and then nothing more
        came for `quiet_s`; none when nothing came by `since + timeout_s` (monotonic). Taken off the inbox."""
        assert self._arrived is not None, "start() first"
        deadline = since + timeout_s
        async with self._arrived:
            while True:
                with self._lock:
                    box = list(self._inbox.get(user, []))
                now = time.monotonic()
                if box and now - box[-1].at >= quiet_s:
                    with self._lock:
                        return self._inbox.pop(user, [])
                if not box and now >= deadline:
                    return []
                wait = quiet_s - (now - box[-1].at) if box else deadline - now
                try:
                    await asyncio.wait_for(self._arrived.wait(), timeout=max(wait, 0.01))
                except asyncio.TimeoutError:
                    pass

    # -- the server -----------------------------------------------------------------------------
    def _issue_token(self) -> web.Response:
        with self._lock:
            token = f"TOKEN-{len(self.token_calls)}"
            self._valid_tokens.add(token)
            self._issued_tokens.add(token)
        return web.json_response({"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": self.expires_in})

    @staticmethod
    def _refused() -> web.Response:
        return web.json_response({"errcode": 40001, "errmsg": "invalid credential"})

    async def _gettoken(self, request: web.Request) -> web.Response:
        q = request.query
        with self._lock:
            self.token_calls.append(dict(q))
        if (self.corp_id is not None and q.get("corpid") != self.corp_id) or (
            self.corp_secret is not None and q.get("corpsecret") != self.corp_secret
        ):
            return self._refused()
        return self._issue_token()

    async def _stable_token(self, request: web.Request) -> web.Response:
        body = await request.json()
        with self._lock:
            self.token_calls.append(body)
        if (self.app_id is not None and body.get("appid") != self.app_id) or (
            self.app_secret is not None and body.get("secret") != self.app_secret
        ):
            return self._refused()
        return self._issue_token()

    async def _send(self, request: web.Request) -> web.Response:
        raw = await request.read()
        token = request.query.get("access_token", "")
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        with self._lock:
            self.send_attempts.append({"token": token, "body": body, "raw": raw})
            msgid = f"m{len(self.send_attempts)}"
            step = self._script.popleft() if self._script else None
        if step is not None:
            kind, value = step
            if kind == "status":
                return web.Response(status=value, text="upstream unavailable")
            if kind == "errcode":
                return web.json_response({"errcode": value, "errmsg": "scripted"})
            if kind == "hang":
                await asyncio.sleep(value)
                return web.Response(status=504, text="gateway timeout")
            if kind == "delay":
                await asyncio.sleep(value)
        with self._lock:
            valid, issued = token in self._valid_tokens, token in self._issued_tokens
        if not valid:
            if issued:
                return web.json_response({"errcode": EXPIRED_TOKEN, "errmsg": "access_token expired"})
            return web.json_response({"errcode": INVALID_TOKEN, "errmsg": "invalid access_token"})
        if not isinstance(body, dict):
            return web.json_response({"errcode": 47001, "errmsg": "data format error"})
        kind = body.get("msgtype", "text")
        content = body[kind].get("content") if isinstance(body.get(kind), dict) else None
        if not isinstance(content, str):
            return web.json_response({"errcode": 40008, "errmsg": "invalid message type"})
        now = time.monotonic()
        arrived = [Delivered(user, content, now) for user in str(body.get("touser") or "").split("|")]
        with self._lock:
            self.delivered.append(body)
            self._messages.extend(arrived)
            for message in arrived:
                self._inbox.setdefault(message.touser, []).append(message)
        if self.on_delivered is not None:
            for message in arrived:
                self.on_delivered(message)
        if self._arrived is not None:
            async with self._arrived:
                self._arrived.notify_all()
        return web.json_response({"errcode": 0, "errmsg": "ok", "msgid": msgid})
