"""A small round-robin HTTP load balancer for the local production-style stack (aiohttp, loopback).

In production this is nginx, HAProxy or the bank's own balancer (docs/production.md shows nginx); this
one exists so the stack, the load generator and the fault drills run without anything installed.

Behaviour, chosen to match what those balancers do by default:
- round robin over the backends currently marked up;
- a backend that refuses the connection is marked down and the request goes to the next one (nothing
  reached the dead backend, so even a POST is safe to send again);
- a backend that fails after the request was sent (connection dropped, timeout) is NOT retried: the
  outcome is unknown, the client gets 502/504 and decides (WeCom retries, and the channel deduplicates);
- an active health check (GET / every `check_interval_s`) marks backends up again once they answer;
- every upstream call has a connect timeout and a total timeout;
- only the channels' paths (`/webhooks/`) are forwarded, as the nginx example does: Rasa's own routes
  (`/`, which names Rasa's version, and its HTTP API) answer 404 here.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from dataclasses import dataclass, field

import aiohttp
from aiohttp import web
from yarl import URL

logger = logging.getLogger(__name__)

# Hop-by-hop headers (RFC 9110 §7.6.1) are not forwarded; the body length is recomputed.
_HOP_BY_HOP = frozenset(
    h.lower()
    for h in (
        "Connection",
        "Keep-Alive",
        "Proxy-Authenticate",
        "Proxy-Authorization",
        "TE",
        "Trailer",
        "Transfer-Encoding",
        "Upgrade",
        "Host",
        "Content-Length",
    )
)
MAX_BODY_BYTES = 1024 * 1024
STATUS_PATH = "/_balancer/status"  # the balancer's own; never forwarded
FORWARDED_PREFIXES = ("/webhooks/",)  # the channels; nothing else of Rasa is for the outside


@dataclass
class Backend:
    url: str
    up: bool = True
    down_since: float | None = None
    requests: int = 0
    failures: int = 0

    def mark_down(self) -> None:
        if self.up:
            logger.warning("balancer: backend %s marked down", self.url)
        self.up, self.down_since = False, self.down_since or time.monotonic()

    def mark_up(self) -> None:
        if not self.up:
            logger.warning("balancer: backend %s is back", self.url)
        self.up, self.down_since = True, None


@dataclass
class BalancerStats:
    requests: int = 0
    retried_elsewhere: int = 0  # connection refused by one backend, served by another
    bad_gateway: int = 0  # 502/503/504 answered by the balancer itself
    per_backend: dict[str, int] = field(default_factory=dict)


class RoundRobinBalancer:
    def __init__(
        self,
        backends: list[str],
        host: str = "127.0.0.1",
        port: int = 0,
        connect_timeout_s: float = 2.0,
        request_timeout_s: float = 60.0,
        check_interval_s: float = 2.0,
        forwarded_prefixes: tuple[str, ...] = FORWARDED_PREFIXES,
    ) -> None:
        if not backends:
            raise ValueError("at least one backend")
        self.backends = [Backend(b.rstrip("/")) for b in backends]
        self.host, self.port = host, port
        self.timeout = aiohttp.ClientTimeout(total=request_timeout_s, sock_connect=connect_timeout_s)
        self.check_interval_s = check_interval_s
        self.forwarded_prefixes = forwarded_prefixes
        self.stats = BalancerStats()
        self._cycle = itertools.cycle(range(len(self.backends)))
        self._http: aiohttp.ClientSession | None = None
        self._runner: web.AppRunner | None = None
        self._checker: asyncio.Task | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def start(self) -> None:
        # No connection pooling to the backends: a killed backend must not leave dead keep-alive sockets.
        self._http = aiohttp.ClientSession(
            timeout=self.timeout, connector=aiohttp.TCPConnector(force_close=True), auto_decompress=False
        )
        app = web.Application(client_max_size=MAX_BODY_BYTES)
        app.router.add_get(STATUS_PATH, self._status)
        app.router.add_route("*", "/{tail:.*}", self._forward)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        self._checker = asyncio.get_running_loop().create_task(self._health_checks())

    async def stop(self) -> None:
        if self._checker:
            self._checker.cancel()
            await asyncio.gather(self._checker, return_exceptions=True)
        if self._runner:
            await self._runner.cleanup()
        if self._http:
            await self._http.close()

    def _order(self) -> list[Backend]:
        """Backends to try for one request: up ones in round-robin order, then down ones as a last resort."""
        start = next(self._cycle)
        rotated = self.backends[start:] + self.backends[:start]
        return [b for b in rotated if b.up] + [b for b in rotated if not b.up]

    async def _status(self, _: web.Request) -> web.Response:
        return web.json_response(self.status())

    def status(self) -> dict:
        return {
            "backends": [
                {"url": b.url, "up": b.up, "requests": b.requests, "failures": b.failures} for b in self.backends
            ],
            "requests": self.stats.requests,
            "retried_elsewhere": self.stats.retried_elsewhere,
            "bad_gateway": self.stats.bad_gateway,
        }

    async def _forward(self, request: web.Request) -> web.StreamResponse:
        if not request.path.startswith(self.forwarded_prefixes):
            return web.Response(status=404, text="not found")
        self.stats.requests += 1
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return web.Response(status=413, text="request body too large")
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_BY_HOP}
        headers["X-Forwarded-For"] = request.remote or ""
        for backend in self._order():
            target = URL(backend.url + request.raw_path, encoded=True)
            try:
                async with self._http.request(
                    request.method, target, headers=headers, data=body or None, allow_redirects=False
                ) as upstream:
                    payload = await upstream.read()
                    backend.requests += 1
                    self.stats.per_backend[backend.url] = self.stats.per_backend.get(backend.url, 0) + 1
                    out = {k: v for k, v in upstream.headers.items() if k.lower() not in _HOP_BY_HOP}
                    return web.Response(status=upstream.status, body=payload, headers=out)
            except aiohttp.ClientConnectorError as exc:
                # Refused before anything was sent: safe to hand to the next backend.
                logger.warning("balancer: %s refused the connection: %s", backend.url, exc)
                backend.failures += 1
                backend.mark_down()
                self.stats.retried_elsewhere += 1
                continue
            except asyncio.TimeoutError:
                backend.failures += 1
                self.stats.bad_gateway += 1
                logger.warning("balancer: %s timed out", backend.url)
                return web.Response(status=504, text="upstream timed out")
            except aiohttp.ClientError as exc:
                backend.failures += 1
                backend.mark_down()
                self.stats.bad_gateway += 1
                logger.warning("balancer: %s failed mid-request: %s", backend.url, exc)
                return web.Response(status=502, text="upstream failed")
        self.stats.retried_elsewhere -= 1  # the last refusal was not handed anywhere
        self.stats.bad_gateway += 1
        logger.warning("balancer: no backend accepted %s %s", request.method, request.path)
        return web.Response(status=503, text="no backend available")

    async def _health_checks(self) -> None:
        # A busy Rasa (NLU blocks its event loop) may answer slowly: only a refused or failed check marks
        # a backend down, a slow one keeps its state.
        probe = aiohttp.ClientTimeout(total=5.0, sock_connect=1.0)
        while True:
            await asyncio.sleep(self.check_interval_s)
            for backend in self.backends:
                try:
                    async with self._http.get(backend.url + "/", timeout=probe) as resp:
                        backend.mark_up() if resp.status < 500 else backend.mark_down()
                except asyncio.TimeoutError:
                    continue
                except aiohttp.ClientError:
                    backend.mark_down()


def main(argv: list[str] | None = None) -> int:
    """python -m tools.stack.balancer --backend URL [--backend URL ...] [--host H] [--port P]"""
    import argparse
    import signal

    parser = argparse.ArgumentParser(prog="python -m tools.stack.balancer", description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", action="append", required=True, help="a Rasa instance's base URL (repeat)")
    parser.add_argument("--host", default="127.0.0.1", help="listen address (default loopback)")
    parser.add_argument("--port", type=int, default=5005)
    parser.add_argument("--connect-timeout", type=float, default=2.0, help="seconds (default 2)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per request in total (default 60)")
    parser.add_argument("--check-interval", type=float, default=2.0, help="seconds between health checks")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(message)s")

    async def serve() -> None:
        balancer = RoundRobinBalancer(
            args.backend, args.host, args.port, args.connect_timeout, args.timeout, args.check_interval
        )
        await balancer.start()
        print(f"balancing {balancer.url} -> {', '.join(args.backend)}", flush=True)
        stopped = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stopped.set)
        await stopped.wait()
        await balancer.stop()

    asyncio.run(serve())
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main())
