"""A tiny stand-in for `rasa run --enable-api` with the REST channel, serving canned answers from a thread,
so the runner is tested end to end over HTTP without a model."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable

from aiohttp import web

Answer = str | list[str] | Callable[[str, str], list[str]]


class FakeRasa:
    def __init__(
        self,
        answers: dict[str, Answer] | None = None,
        intents: dict[str, str] | None = None,
        slots: dict[str, dict] | None = None,
        api: bool = True,
        delay_s: float = 0.0,
    ) -> None:
        self.answers = answers or {}
        self.intents = intents or {}
        self.slots_after = slots or {}
        self.api = api
        self.delay_s = delay_s
        self.messages: list[tuple[str, str]] = []  # (sender, text) in arrival order
        self.resets: list[str] = []  # senders reset through the API
        self.log: list[tuple[str, str]] = []  # ("reset" | text, sender), in arrival order
        self.active: dict[str, int] = {}
        self.max_active_per_sender = 0
        self.max_active_total = 0
        self._events: dict[str, list[dict]] = {}
        self._slots: dict[str, dict] = {}
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._runner: web.AppRunner | None = None
        self.url = ""

    # --- lifecycle ---
    def start(self) -> FakeRasa:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)
        return self

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_get("/", lambda r: web.Response(text="Hello from Rasa: 3.6.21"))
        app.router.add_post("/webhooks/rest/webhook", self._webhook)
        app.router.add_get("/status", self._status)
        app.router.add_get("/conversations/{cid}/tracker", self._tracker)
        app.router.add_post("/conversations/{cid}/tracker/events", self._append)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    # --- routes ---
    async def _webhook(self, request: web.Request) -> web.Response:
        body = await request.json()
        sender, text = body["sender"], body["message"]
        self.messages.append((sender, text))
        self.log.append((text, sender))
        if text == "/restart":
            self._events[sender] = []
            self._slots[sender] = {}
            return web.json_response([])
        self.active[sender] = self.active.get(sender, 0) + 1
        self.max_active_per_sender = max(self.max_active_per_sender, self.active[sender])
        self.max_active_total = max(self.max_active_total, sum(self.active.values()))
        try:
            if self.delay_s:
                await asyncio.sleep(self.delay_s)
            answer = self.answers.get(text, "抱歉没太明白。")
            texts = answer(sender, text) if callable(answer) else ([answer] if isinstance(answer, str) else answer)
            intent = self.intents.get(text, "nlu_fallback")
            self._events.setdefault(sender, []).append(
                {
                    "event": "user",
                    "text": text,
                    "timestamp": time.time(),
                    "parse_data": {"intent": {"name": intent, "confidence": 0.93}, "entities": []},
                }
            )
            self._slots.setdefault(sender, {}).update(self.slots_after.get(text, {}))
            return web.json_response([{"recipient_id": sender, "text": t} for t in texts])
        finally:
            self.active[sender] -= 1

    async def _status(self, request: web.Request) -> web.Response:
        if not self.api:
            return web.json_response({"message": "not found"}, status=404)
        return web.json_response({"model_file": "fake.tar.gz"})

    async def _tracker(self, request: web.Request) -> web.Response:
        if not self.api:
            return web.Response(status=404)
        cid = request.match_info["cid"]
        return web.json_response(
            {"sender_id": cid, "events": self._events.get(cid, []), "slots": self._slots.get(cid, {})}
        )

    async def _append(self, request: web.Request) -> web.Response:
        if not self.api:
            return web.Response(status=404)
        cid = request.match_info["cid"]
        events = await request.json()
        if any(e.get("event") == "restart" for e in events):
            self.resets.append(cid)
            self.log.append(("reset", cid))
            self._events[cid] = []
            self._slots[cid] = {}
        return web.json_response({"sender_id": cid})
