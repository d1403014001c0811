"""Tencent's message API played on loopback, in a thread of its own so synchronous fixtures can own it.

Records every delivered message (WeCom `message/send`, WeChat `message/custom/send`) with the time it
arrived. `fail_next(...)` scripts what the next send attempts meet:
  ("status", 503)  an HTTP error, nothing delivered;
  ("hang", 6.0)    no answer for that long (the client times out), then 504: nothing delivered;
  ("errcode", -1)  WeCom's "system busy", nothing delivered.
"""
from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tools.stack.processes import free_port


@dataclass(frozen=True)
class Delivered:
    touser: str
    content: str
    at: float


class ThreadedTencentApi:
    def __init__(self, corp_id: str, corp_secret: str, app_id: str, app_secret: str) -> None:
        self.corp_id, self.corp_secret = corp_id, corp_secret
        self.app_id, self.app_secret = app_id, app_secret
        self.port = free_port()
        self.token = f"fake-token-{self.port}"
        self.attempts = 0
        self._delivered: list[Delivered] = []
        self._script: deque[tuple[str, Any]] = deque()
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fake-tencent-api", daemon=True)
        self._runner: web.AppRunner | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- control --------------------------------------------------------------------------------
    def start(self) -> "ThreadedTencentApi":
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._serve(), self._loop).result(timeout=10)
        return self

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)

    def fail_next(self, *steps: tuple[str, Any]) -> None:
        with self._lock:
            self._script.extend(steps)

    def delivered_to(self, user: str) -> list[Delivered]:
        with self._lock:
            return [d for d in self._delivered if d.touser == user]

    def all_delivered(self) -> list[Delivered]:
        with self._lock:
            return list(self._delivered)

    def wait_for(self, user: str, since: float, timeout_s: float = 60.0, quiet_s: float = 0.6) -> list[str]:
        """Texts delivered to `user` after `since`, once at least one came and then nothing for `quiet_s`."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            got = [d for d in self.delivered_to(user) if d.at >= since]
            if got and time.monotonic() - got[-1].at >= quiet_s:
                return [d.content for d in got]
            time.sleep(0.05)
        return [d.content for d in self.delivered_to(user) if d.at >= since]

    # -- the server -----------------------------------------------------------------------------
    async def _serve(self) -> None:
        app = web.Application()
        app.router.add_get("/cgi-bin/gettoken", self._gettoken)
        app.router.add_post("/cgi-bin/stable_token", self._stable_token)
        app.router.add_post("/cgi-bin/message/send", self._send)
        app.router.add_post("/cgi-bin/message/custom/send", self._send)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    def _token(self) -> web.Response:
        return web.json_response({"errcode": 0, "errmsg": "ok", "access_token": self.token, "expires_in": 7200})

    async def _gettoken(self, request: web.Request) -> web.Response:
        if request.query.get("corpid") != self.corp_id or request.query.get("corpsecret") != self.corp_secret:
            return web.json_response({"errcode": 40001, "errmsg": "invalid credential"})
        return self._token()

    async def _stable_token(self, request: web.Request) -> web.Response:
        body = await request.json()
        if body.get("appid") != self.app_id or body.get("secret") != self.app_secret:
            return web.json_response({"errcode": 40001, "errmsg": "invalid credential"})
        return self._token()

    async def _send(self, request: web.Request) -> web.Response:
        with self._lock:
            self.attempts += 1
            step = self._script.popleft() if self._script else None
        if step is not None:
            kind, value = step
            if kind == "status":
                return web.Response(status=value, text="upstream unavailable")
            if kind == "hang":
                await asyncio.sleep(value)
                return web.Response(status=504, text="gateway timeout")
            if kind == "errcode":
                return web.json_response({"errcode": value, "errmsg": "scripted"})
        if request.query.get("access_token") != self.token:
            return web.json_response({"errcode": 42001, "errmsg": "access_token expired"})
        body = json.loads(await request.text())
        kind = body.get("msgtype", "text")
        content = (body.get(kind) or {}).get("content", "")
        with self._lock:
            self._delivered.append(Delivered(str(body.get("touser")), content, time.monotonic()))
        return web.json_response({"errcode": 0, "errmsg": "ok", "msgid": f"m{self.attempts}"})
