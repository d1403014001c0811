"""Rasa's turns on an event loop of their own, so the server's loop is always free to acknowledge.

Rasa 3.6 runs NLU and policy inference synchronously on the loop that calls `on_new_message`. On the
server's loop, a WeCom callback that arrives while turns are being processed waits for all of them before
it can be acknowledged (WeCom gives up after 5 s and re-sends). Here every channel hands its turns to one
worker thread running its own loop; the server's loop only verifies, decrypts, deduplicates and
acknowledges. The interpreter switches threads every few milliseconds, which bounds how long an
acknowledgement waits. One worker thread per process keeps Rasa's turns where they were: one loop,
interleaved at their awaits, never running Python in parallel.

What runs on the worker loop must not touch objects bound to the server's loop: the channels buffer
replies in their output channel and send them after the turn, back on the server's loop. Rasa's stores
(SQL trackers, Redis locks) are loop-agnostic and the action endpoint opens its own session per call.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, cast

THREAD_NAME = "rasa-turns"
_lock = threading.Lock()
_loop: asyncio.AbstractEventLoop | None = None


def _worker_loop() -> asyncio.AbstractEventLoop:
    global _loop
    with _lock:
        if _loop is None or _loop.is_closed():
            loop = asyncio.new_event_loop()
            started = threading.Event()

            def run() -> None:
                asyncio.set_event_loop(loop)
                loop.call_soon(started.set)
                loop.run_forever()

            threading.Thread(target=run, name=THREAD_NAME, daemon=True).start()
            started.wait()
            _loop = loop
        return _loop


def run_turns_off_the_server_loop(on_new_message: Callable[[Any], Awaitable[Any]]) -> Callable[[Any], Awaitable[Any]]:
    """`on_new_message` as the channels call it, moved to the worker loop.

    Cancelling the caller does not cancel the turn: a turn Rasa has started is finished and stored.
    """

    async def handler(message: Any) -> Any:
        turn = cast(Coroutine[Any, Any, Any], on_new_message(message))  # Rasa's handler is an async def
        future = asyncio.run_coroutine_threadsafe(turn, _worker_loop())
        return await asyncio.shield(asyncio.wrap_future(future))

    return handler
