"""The production tracker store (bot/tracker_store.py) on PostgreSQL: what Rasa's SQL store does, but no
statement on the event loop (a turn waiting for the database must not stop the instance's other turns)."""

from __future__ import annotations

import asyncio
import threading

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.engine.url import make_url

from bot.tracker_store import ThreadedSQLTrackerStore, run_to_completion
from tests.production.conftest import own_schemas
from tests.production.constants import PG_URL

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
intents: [greet]
slots:
  focus_customer_id:
    type: any
    influence_conversation: false
    mappings: [{type: custom}]
"""
)


def store_on(schema: str, cls: type[SQLTrackerStore]) -> SQLTrackerStore:
    url = make_url(PG_URL)
    return cls(
        domain=DOMAIN,
        dialect="postgresql",
        host=url.host,
        port=url.port,
        db=url.database,
        username=url.username,
        query={"options": f"-csearch_path={schema}"},
    )


def a_tracker(sender: str, turns: int) -> DialogueStateTracker:
    events = [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
    for i in range(turns):
        events += [
            UserUttered(f"第{i}句", {"name": "greet", "confidence": 1.0}),
            SlotSet("focus_customer_id", f"c{i}"),
            ActionExecuted("action_listen"),
        ]
    return DialogueStateTracker.from_events(sender, events, DOMAIN.slots)


@pytest.fixture
def statements_on_the_loop():
    on_loop: list[str] = []
    everywhere: list[str] = []

    def spy(conn, cursor, statement, *_):
        everywhere.append(statement)
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return  # a worker thread
        on_loop.append(statement[:80])

    event.listen(Engine, "before_cursor_execute", spy)
    yield on_loop, everywhere
    event.remove(Engine, "before_cursor_execute", spy)


async def save_then_retrieve(store: SQLTrackerStore, tracker: DialogueStateTracker):
    await store.save(tracker)
    more = a_tracker(tracker.sender_id, 3)  # a later turn: the same session, more events
    await store.save(more)
    return await store.retrieve(tracker.sender_id), await store.retrieve_full_tracker(tracker.sender_id)


def test_the_store_keeps_what_rasas_store_keeps_and_runs_no_statement_on_the_loop(statements_on_the_loop):
    on_loop, everywhere = statements_on_the_loop
    with own_schemas() as schema:
        ours = store_on(schema, ThreadedSQLTrackerStore)
        tracker = a_tracker("rm01", 1)
        kept, full = asyncio.run(save_then_retrieve(ours, tracker))
        assert everywhere, "the store did not reach the database"
        assert on_loop == []
        assert ours.engine.pool._pre_ping  # type: ignore[attr-defined]

        on_loop.clear()
        rasas = store_on(schema, SQLTrackerStore)
        theirs = asyncio.run(rasas.retrieve("rm01"))
        assert on_loop, "the spy would not have seen Rasa's own store on the loop"
        ours.engine.dispose()
        rasas.engine.dispose()
    assert kept is not None and full is not None and theirs is not None
    assert [e.as_dict() for e in theirs.events] == [e.as_dict() for e in kept.events]
    assert [e.text for e in kept.events if isinstance(e, UserUttered)] == ["第0句", "第1句", "第2句"]
    assert len(full.events) >= len(kept.events)
    assert kept.get_slot("focus_customer_id") == "c2"


def test_other_turns_go_on_while_one_waits_for_the_database():
    """A retrieve held up for a second by a lock on the events table: the loop keeps ticking meanwhile.
    (With Rasa's own store the retrieve holds the loop for that second, and the loop ticks once.)"""
    with own_schemas() as schema:
        store = store_on(schema, ThreadedSQLTrackerStore)
        asyncio.run(store.save(a_tracker("rm02", 1)))
        blocker = store.engine.connect()
        tx = blocker.begin()
        blocker.exec_driver_sql("LOCK TABLE events IN ACCESS EXCLUSIVE MODE")
        release = threading.Timer(1.0, tx.rollback)

        async def scenario() -> tuple[int, DialogueStateTracker | None]:
            ticks = 0
            waiting = asyncio.create_task(store.retrieve("rm02"))
            release.start()
            while not waiting.done():
                await asyncio.sleep(0.02)
                ticks += 1
            return ticks, waiting.result()

        try:
            ticks, tracker = asyncio.run(scenario())
        finally:
            release.join()
            blocker.close()
            store.engine.dispose()
    assert ticks >= 10
    assert tracker is not None and tracker.get_slot("focus_customer_id") == "c0"


def test_a_coroutine_that_suspends_is_reported_not_left_half_run():
    async def suspends() -> None:
        await asyncio.sleep(0)

    with pytest.raises(RuntimeError, match="off the event loop"):
        run_to_completion(suspends())

    async def returns() -> int:
        return 7

    assert run_to_completion(returns()) == 7
