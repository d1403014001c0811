"""Two Rasa instances receiving messages of one conversation at the same instant take turns: the lock
store of deploy/endpoints.prod.yml (bot.lock_store.AtomicRedisLockStore) serialises them, so every turn
is stored whole in the tracker. Without it both instances load the same tracker, and the one that saves
second loses events (Rasa's SQL store appends only the events beyond those already stored).

Measured with Rasa's `type: redis` in deploy/endpoints.prod.yml instead: 1 of 30 turns lost in 15 rounds,
3 of 40 in 20 (benchmarks/results-lock.md); with the project's store 0 of 40."""

from __future__ import annotations

import threading

import redis
from sqlalchemy import create_engine, text

from tests.production.clients import StackClients
from tests.production.constants import PG_URL, REDIS_URL
from tools.stack import settings as cfg

RM = "rm05"
ROUNDS = 20  # the stock store lost a turn within 15 rounds here; ours must lose none
QUESTIONS = ("本周哪些客户理财到期", "今天先联系谁")


def tracker_events(pg_schema: str) -> list[tuple[str, str | None]]:
    engine = create_engine(cfg.with_schema(PG_URL, f"{pg_schema}_trackers"), future=True)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT type_name, action_name FROM events WHERE sender_id = :s ORDER BY id"), {"s": RM}
            ).all()
    finally:
        engine.dispose()
    return [(r.type_name, r.action_name) for r in rows]


def test_simultaneous_messages_on_two_instances_are_served_in_turn(stack, tencent, pg_schema):
    for process in stack.rasa[:2]:
        process.wait_ready()  # an earlier drill may have killed one and restarted it in the background
    instances = [StackClients(url, tencent) for url in stack.rasa_urls[:2]]
    assert instances[0].counter_say(RM, "/restart").status == 200
    start = len(tracker_events(pg_schema))
    barrier = threading.Barrier(2)
    turns: list[list] = [[], []]

    def speak(i: int) -> None:
        for _ in range(ROUNDS):
            barrier.wait(timeout=60)
            turns[i].append(instances[i].counter_say(RM, QUESTIONS[i]))

    threads = [threading.Thread(target=speak, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(turn.status == 200 and turn.replies for side in turns for turn in side), turns

    events = tracker_events(pg_schema)[start:]
    users = [i for i, (kind, _) in enumerate(events) if kind == "user"]
    assert len(users) == 2 * ROUNDS, events  # no turn lost
    for here, following in zip(users, users[1:]):  # each turn complete before the next one starts
        assert ("action", "action_listen") in events[here:following], events[here:following]

    host, port = cfg.redis_parts(REDIS_URL)
    tickets = redis.Redis(host=host, port=port, db=1).get(f"{stack.settings.lock_key_prefix}:ticket:{RM}")
    assert tickets is not None and int(tickets) >= 2 * ROUNDS  # the project's lock store issued them
