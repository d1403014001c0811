"""The stack's balancer — HAProxy from deploy/haproxy.cfg, as operators run it — against small aiohttp
backends on loopback (no Rasa, fast). HAProxy must be installed (scripts/setup.sh installs it): these fail,
not skip, without it."""

from __future__ import annotations

import asyncio
import os

import aiohttp
import pytest
from aiohttp import web

from tools.stack import haproxy
from tools.stack.processes import ManagedProcess, free_port, port_open

pytestmark = pytest.mark.asyncio


class Backend:
    def __init__(self, name: str, die_mid_request: bool = False) -> None:
        self.name, self.die_mid_request = name, die_mid_request
        self.port = free_port()
        self.seen: list[tuple[str, str, bytes]] = []
        self.forwarded_for: list[str] = []
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if request.path == "/" and request.method in ("GET", "OPTIONS"):
            return web.Response(text="Hello from Rasa")  # the health check, not counted as seen
        self.seen.append((request.method, request.raw_path, await request.read()))
        self.forwarded_for.append(request.headers.get("X-Forwarded-For", ""))
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


class Balancer:
    """HAProxy over `urls`, health checks every `check_s` seconds."""

    def __init__(self, tmp_path, urls: list[str], check_s: float = 60.0) -> None:
        self.port, self.admin_port = free_port(), free_port()
        backends = haproxy.write_backends(tmp_path, urls, check_s, health_path="/")
        env = {**os.environ, **haproxy.environment("127.0.0.1", self.port, self.admin_port)}
        self.process = ManagedProcess(
            "haproxy", haproxy.command(backends), env, tmp_path / "haproxy.log", lambda: port_open(self.port), 20
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def status(self) -> dict:
        return haproxy.status(f"http://127.0.0.1:{self.admin_port}")

    async def __aenter__(self) -> Balancer:
        await asyncio.to_thread(self.process.start)
        return self

    async def __aexit__(self, *_: object) -> None:
        await asyncio.to_thread(self.process.stop)


async def test_requests_alternate_between_backends_with_path_query_and_body_intact(tmp_path):
    a, b = await Backend("a").start(), await Backend("b").start()
    try:
        async with Balancer(tmp_path, [a.url, b.url]) as lb, aiohttp.ClientSession() as http:
            names = []
            for n in range(4):
                url = f"{lb.url}/webhooks/wecom/webhook?msg_signature=a%2Bb&n={n}"
                async with http.post(url, data=b"<xml/>", headers={"X-Forwarded-For": "6.6.6.6"}) as r:
                    names.append(await r.text())
    finally:
        await a.stop()
        await b.stop()
    assert sorted(names) == ["a", "a", "b", "b"] and names[0] != names[1]
    assert a.seen[0][1].startswith("/webhooks/wecom/webhook?msg_signature=a%2Bb")  # encoding kept as sent
    assert a.seen[0][2] == b"<xml/>"
    assert a.forwarded_for == ["127.0.0.1"] * 2  # the caller's own X-Forwarded-For is not trusted


async def test_a_refused_connection_goes_to_the_other_backend(tmp_path):
    alive = await Backend("alive").start()
    dead_port = free_port()  # nothing listens here
    try:
        async with Balancer(tmp_path, [f"http://127.0.0.1:{dead_port}", alive.url], check_s=0.2) as lb:
            async with aiohttp.ClientSession() as http:
                answers = []
                for _ in range(4):
                    async with http.post(lb.url + "/webhooks/counter/webhook", json={"text": "你好"}) as r:
                        answers.append((r.status, await r.text()))
            await asyncio.sleep(1.0)  # two failed health checks
            status = lb.status()
    finally:
        await alive.stop()
    assert answers == [(200, "alive")] * 4
    assert [b["up"] for b in status["backends"]] == [False, True]


async def test_a_backend_dying_mid_request_is_a_502_and_is_not_sent_again(tmp_path):
    dying = await Backend("dying", die_mid_request=True).start()
    other = await Backend("other").start()
    try:
        async with Balancer(tmp_path, [dying.url, other.url]) as lb, aiohttp.ClientSession() as http:
            async with http.post(lb.url + "/webhooks/counter/webhook", json={"text": "你好"}) as r:
                status = r.status
    finally:
        await dying.stop()
        await other.stop()
    assert status == 502
    assert len(dying.seen) == 1 and other.seen == []  # the outcome is unknown: no second copy elsewhere


async def test_no_backend_at_all_is_a_503_and_the_stats_say_so(tmp_path):
    async with Balancer(tmp_path, [f"http://127.0.0.1:{free_port()}"], check_s=0.2) as lb:
        await asyncio.sleep(1.0)
        async with aiohttp.ClientSession() as http:
            async with http.get(lb.url + "/webhooks/counter/") as r:
                status = r.status
        page = lb.status()
    assert status == 503
    assert page["bad_gateway"] == 1 and page["backends"][0]["up"] is False


async def test_only_the_channels_paths_are_forwarded_and_stats_are_not_public(tmp_path):
    """Rasa's `/` names its version and its HTTP API is not for the outside: the balancer answers 404 itself."""
    backend = await Backend("a").start()
    try:
        async with Balancer(tmp_path, [backend.url]) as lb, aiohttp.ClientSession() as http:
            statuses = {}
            for path in ("/", "/version", "/status", "/conversations/rm01/tracker", "/stats", "/webhooks/counter/"):
                async with http.get(lb.url + path) as r:
                    statuses[path] = r.status
    finally:
        await backend.stop()
    assert statuses == {
        "/": 404,
        "/version": 404,
        "/status": 404,
        "/conversations/rm01/tracker": 404,
        "/stats": 404,
        "/webhooks/counter/": 200,
    }
    assert len(backend.seen) == 1


async def test_a_body_over_one_megabyte_is_refused_before_any_backend_sees_it(tmp_path):
    backend = await Backend("a").start()
    try:
        async with Balancer(tmp_path, [backend.url]) as lb, aiohttp.ClientSession() as http:
            async with http.post(lb.url + "/webhooks/counter/webhook", data=b"x" * (1024 * 1024 + 1)) as r:
                status = r.status
    finally:
        await backend.stop()
    assert status == 413 and backend.seen == []


async def test_a_backend_that_comes_back_is_used_again(tmp_path):
    late = Backend("late")
    early = await Backend("early").start()
    try:
        async with Balancer(tmp_path, [late.url, early.url], check_s=0.2) as lb:
            await asyncio.sleep(1.0)
            assert [b["up"] for b in lb.status()["backends"]] == [False, True]
            await late.start()
            await asyncio.sleep(1.0)
            assert [b["up"] for b in lb.status()["backends"]] == [True, True]
    finally:
        await late.stop()
        await early.stop()
