"""A TCP proxy that a fault drill can cut: the stack talks to PostgreSQL through it, the drill pulls the plug.

Cutting closes every open connection and stops listening, so new connections are refused at once, which
is what clients see when the database server goes away. Restoring listens again on the same port.
The proxy runs its own event loop in a daemon thread, so synchronous tests and scripts can drive it.

    with CuttableTcpProxy("127.0.0.1", 5432) as proxy:
        url = f"postgresql+psycopg2://postgres@127.0.0.1:{proxy.port}/test"
        ...
        proxy.cut()      # the database is "down"
        proxy.restore()  # and back
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from tools.stack.processes import server_port


class CuttableTcpProxy:
    def __init__(self, target_host: str, target_port: int, listen_host: str = "127.0.0.1", port: int = 0) -> None:
        self.target = (target_host, target_port)
        self.listen_host = listen_host
        self.port = port or server_port()  # re-listened on after each cut: outside the ephemeral range
        self.connections = 0  # accepted since start
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="tcp-proxy", daemon=True)
        self._server: asyncio.base_events.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    # -- control (any thread) ------------------------------------------------------------------------
    def start(self) -> CuttableTcpProxy:
        self._thread.start()
        self._call(self._listen())
        return self

    def cut(self) -> None:
        """Refuse new connections and drop the open ones."""
        self._call(self._cut())

    def restore(self) -> None:
        self._call(self._listen())

    @property
    def is_cut(self) -> bool:
        return self._server is None

    def close(self) -> None:
        if self._thread.is_alive():
            self._call(self._cut())
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)

    def __enter__(self) -> CuttableTcpProxy:
        return self.start()

    def __exit__(self, *_: Any) -> None:
        self.close()

    def _call(self, coro) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=10)

    # -- the proxy (its own loop) --------------------------------------------------------------------
    async def _listen(self) -> None:
        if self._server is None:
            self._server = await asyncio.start_server(self._accept, self.listen_host, self.port, reuse_address=True)

    async def _cut(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()
            await server.wait_closed()
        for writer in list(self._writers):
            writer.transport.abort()  # RST, not a polite FIN: the peer sees the link die
        self._writers.clear()

    async def _accept(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        if self._server is None:
            client_writer.transport.abort()
            return
        self.connections += 1
        try:
            upstream_reader, upstream_writer = await asyncio.wait_for(asyncio.open_connection(*self.target), 5)
        except (OSError, asyncio.TimeoutError):
            client_writer.transport.abort()
            return
        self._writers.update((client_writer, upstream_writer))
        await asyncio.gather(
            self._pipe(client_reader, upstream_writer),
            self._pipe(upstream_reader, client_writer),
            return_exceptions=True,
        )
        for w in (client_writer, upstream_writer):
            self._writers.discard(w)
            w.transport.abort()

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        finally:
            if not writer.transport.is_closing():
                writer.transport.abort()
