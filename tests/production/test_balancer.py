"""The stack's round-robin balancer, against small aiohttp backends on loopback (no Rasa, fast)."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest
from aiohttp import web

from tools.stack.balancer import RoundRobinBalancer
from tools.stack.processes import free_port

pytestmark = pytest.mark.asyncio


class Backend:
    def __init__(self, name: str, die_mid_request: bool = False) -> None:
        self.name, self.die_mid_request = name, die_mid_request
        self.port = free_port()
        self.seen: list[tuple[str, str, bytes]] = []
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.seen.append((request.method, request.raw_path, await request.read()))
        if self.die_mid_request:
            request.transport.abort()  # the request arrived, then the server died
            await asyncio.sleep(1)
        return web.Response(text=self.name, headers={"X-Backend": self.name})

    async def start(self) -> Backend:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self.handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
        return self

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()


async def test_requests_alternate_between_backends_with_path_query_and_body_intact():
    a, b = await Backend("a").start(), await Backend("b").start()
    lb = RoundRobinBalancer([a.url, b.url], check_interval_s=60)
    await lb.start()
    try:
        async with aiohttp.ClientSession() as http:
            names = []
            for n in range(4):
                async with http.post(f"{lb.url}/webhooks/wecom/webhook?msg_signature=a%2Bb&n={n}", data=b"<xml/>") as r:
                    names.append(await r.text())
    finally:
        await lb.stop()
        await a.stop()
        await b.stop()
    assert sorted(names) == ["a", "a", "b", "b"] and names[0] != names[1]
    assert a.seen[0][1].startswith("/webhooks/wecom/webhook?msg_signature=a%2Bb")  # encoding kept as sent
    assert a.seen[0][2] == b"<xml/>"


async def test_a_refused_connection_goes_to_the_other_backend():
    alive = await Backend("alive").start()
    dead_port = free_port()  # nothing listens here
    lb = RoundRobinBalancer([f"http://127.0.0.1:{dead_port}", alive.url], check_interval_s=60)
    await lb.start()
    try:
        async with aiohttp.ClientSession() as http:
            answers = []
            for _ in range(4):
                async with http.post(lb.url + "/webhooks/counter/webhook", json={"text": "你好"}) as r:
                    answers.append((r.status, await r.text()))
    finally:
        await lb.stop()
        await alive.stop()
    assert answers == [(200, "alive")] * 4
    assert lb.status()["backends"][0]["up"] is False


async def test_a_backend_dying_mid_request_is_a_502_and_is_not_sent_again():
    dying = await Backend("dying", die_mid_request=True).start()
    other = await Backend("other").start()
    lb = RoundRobinBalancer([dying.url, other.url], check_interval_s=60)
    await lb.start()
    try:
        async with aiohttp.ClientSession() as http:
            async with http.post(lb.url + "/webhooks/counter/webhook", json={"text": "你好"}) as r:
                status = r.status
    finally:
        await lb.stop()
        await dying.stop()
        await other.stop()
    assert status == 502
    assert len(dying.seen) == 1 and other.seen == []  # the outcome is unknown: no second copy elsewhere


async def test_no_backend_at_all_is_a_503_and_the_status_page_says_so():
    lb = RoundRobinBalancer([f"http://127.0.0.1:{free_port()}"], check_interval_s=60)
    await lb.start()
    try:
        async with aiohttp.ClientSession() as http:
            async with http.get(lb.url + "/webhooks/counter/") as r:
                status = r.status
            async with http.get(lb.url + "/_balancer/status") as r:
                page = await r.json()
    finally:
        await lb.stop()
    assert status == 503
    assert page["bad_gateway"] == 1 and page["backends"][0]["up"] is False


async def test_only_the_channels_paths_are_forwarded():
    """Rasa's `/` names its version and its HTTP API is not for the outside: the balancer answers 404 itself."""
    backend = await Backend("a").start()
    lb = RoundRobinBalancer([backend.url], check_interval_s=60)
    await lb.start()
    try:
        async with aiohttp.ClientSession() as http:
            statuses = {}
            for path in ("/", "/version", "/status", "/conversations/rm01/tracker", "/webhooks/counter/"):
                async with http.get(lb.url + path) as r:
                    statuses[path] = r.status
    finally:
        await lb.stop()
        await backend.stop()
    assert statuses == {
        "/": 404,
        "/version": 404,
        "/status": 404,
        "/conversations/rm01/tracker": 404,
        "/webhooks/counter/": 200,
    }
    assert len(backend.seen) == 1
