"""Rasa's SQL tracker store with two changes, both about PostgreSQL on the production stack.

1. Connections are checked before use (`pool_pre_ping`). Rasa 3.6 creates its engine without it, so after
   a PostgreSQL restart each instance's pooled connections are dead; the first turn that uses one fails,
   Rasa's fail-safe wrapper then answers from an empty tracker and the conversation loses its context (the
   list "还有吗" pages through, the client being discussed). With the ping a dead connection is replaced
   before the query, and nothing is lost.
2. The queries run in a worker thread, not on the event loop. Rasa's `retrieve` and `save` are `async def`
   but call SQLAlchemy synchronously, so every round trip to PostgreSQL (the ping, the session's events,
   the count before a save, one INSERT per event, the commit) stops every other turn of the instance.
   Under load a turn then waits for the database time of all the turns ahead of it. Here Rasa's own
   methods run unchanged in a thread (`asyncio.to_thread`); the loop goes on with other turns meanwhile.
   A conversation is still handled by one turn at a time (the lock store), so its reads and writes keep
   their order.

deploy/endpoints.prod.yml:   tracker_store: {type: bot.tracker_store.ThreadedSQLTrackerStore, ...}
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterable
from typing import Any, TypeVar

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.trackers import DialogueStateTracker

T = TypeVar("T")


def run_to_completion(coroutine: Coroutine[Any, Any, T]) -> T:
    """The result of a coroutine that never suspends, run here and now (in the calling thread).

    Rasa's SQL methods are coroutines only in name: nothing in them awaits anything that suspends (no
    event broker is configured, see `save`). One that does suspend is closed and reported rather than left
    half-run.
    """
    try:
        coroutine.send(None)
    except StopIteration as finished:
        return finished.value  # type: ignore[no-any-return]
    coroutine.close()
    raise RuntimeError("the SQL tracker store awaited I/O it cannot do off the event loop")


class ThreadedSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # connects, creates the tables, as Rasa does
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    async def _off_loop(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return await asyncio.to_thread(run_to_completion, coroutine)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        return await self._off_loop(super().retrieve(sender_id))

    async def retrieve_full_tracker(self, conversation_id: str) -> DialogueStateTracker | None:
        return await self._off_loop(super().retrieve_full_tracker(conversation_id))

    async def keys(self) -> Iterable[str]:
        return await self._off_loop(super().keys())

    async def save(self, tracker: DialogueStateTracker) -> None:
        if self.event_broker is not None:
            # Streaming to a broker awaits the broker's client on this loop; keep Rasa's path as it is.
            await super().save(tracker)
            return
        await self._off_loop(super().save(tracker))
