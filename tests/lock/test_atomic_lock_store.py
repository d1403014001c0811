"""bot.lock_store.AtomicRedisLockStore keeps Rasa's ticket-lock behaviour: tickets in order, one holder at a
time, release, expiry, and the construction Rasa uses (`type: bot.lock_store.AtomicRedisLockStore`)."""

from __future__ import annotations

import asyncio
import time

import pytest
from rasa.core.lock_store import LockError, LockStore
from rasa.utils.endpoints import EndpointConfig

from bot.lock_store import AtomicRedisLockStore, parse_sentinels


def store(prefix: str) -> AtomicRedisLockStore:
    return AtomicRedisLockStore(host="127.0.0.1", port=6379, db=1, key_prefix=prefix)


def test_tickets_are_issued_in_order_and_released(key_prefix):
    s = store(key_prefix)
    first, second = s.issue_ticket("c", 10), s.issue_ticket("c", 10)
    assert second == first + 1
    lock = s.get_lock("c")  # Rasa's own TicketLock reads what the scripts store
    assert lock is not None and lock.now_serving == first and lock.last_issued == second
    assert s.is_someone_waiting("c")
    s.finish_serving("c", first)
    assert s.get_lock("c").now_serving == second
    s.cleanup("c", second)
    assert s.get_lock("c") is None and not s.is_someone_waiting("c")


def test_numbers_are_not_reused_after_the_lock_is_gone(key_prefix):
    """A late release of an old ticket must never remove a newer holder's ticket."""
    s = store(key_prefix)
    old = s.issue_ticket("c", 10)
    s.cleanup("c", old)
    new = s.issue_ticket("c", 10)
    assert new != old
    s.cleanup("c", old)  # the old holder releases again (a retry): the new ticket stays
    assert s.get_lock("c").now_serving == new


def test_a_lock_written_by_rasas_own_store_is_honoured(key_prefix):
    """During a rolling upgrade an old instance may still hold tickets issued by Rasa's RedisLockStore."""
    from rasa.core.lock_store import RedisLockStore

    old = RedisLockStore(host="127.0.0.1", port=6379, db=1, key_prefix=key_prefix)
    held = [old.issue_ticket("c", 10) for _ in range(3)]  # 0, 1, 2
    new = store(key_prefix)
    mine = new.issue_ticket("c", 10)
    assert mine > max(held)
    assert new.get_lock("c").now_serving == held[0]
    for ticket in held:
        new.cleanup("c", ticket)
    assert new.get_lock("c").now_serving == mine


def test_the_lock_key_expires_with_its_last_ticket(key_prefix):
    s = store(key_prefix)
    s.issue_ticket("c", 1)
    assert 0 < s.red.pttl(s._lock_key("c")) <= 1000
    time.sleep(1.2)
    assert not s.red.exists(s._lock_key("c"))  # a killed instance leaves nothing behind


def seconds_until_locked(s: AtomicRedisLockStore, lifetime: float, poll_s: float) -> float:
    """How long the next message of conversation "c" waits for the lock."""

    async def next_message() -> float:
        started = time.monotonic()
        async with s.lock("c", lock_lifetime=lifetime, wait_time_in_seconds=poll_s):
            return time.monotonic() - started

    return asyncio.run(next_message())


def test_an_expired_holder_lets_the_next_one_in(key_prefix):
    s = store(key_prefix)
    s.issue_ticket("c", 0.5)  # an instance that dies while holding the lock
    assert 0.3 < seconds_until_locked(s, lifetime=10, poll_s=0.05) < 3


def test_a_message_right_after_a_holder_died_is_served_when_the_dead_ticket_expires(key_prefix):
    """The kill drill's case: an instance dies holding the lock and the next message's ticket is issued a
    moment later with the same lifetime. Polled once a second, Rasa's waiter expired together with the
    dead ticket (LockError, the "busy" reply); a renewed waiter is served."""
    s = store(key_prefix)
    s.issue_ticket("c", 2)  # the dead instance's ticket: never released
    time.sleep(0.05)
    assert 1.5 < seconds_until_locked(s, lifetime=2, poll_s=1) < 4


def test_a_waiter_gives_up_after_two_lifetimes(key_prefix):
    s = store(key_prefix)
    holder = s.issue_ticket("c", 1)
    mine = s.issue_ticket("c", 0.5)

    async def keep_holding() -> None:  # a holder still alive: renews its ticket by polling it
        for _ in range(30):
            s._now_serving(keys=[s._lock_key("c")], args=["c", holder, 1])
            await asyncio.sleep(0.1)

    async def wait_mine() -> None:
        await s._acquire_lock("c", mine, 0.05, 0.5)

    async def both() -> None:
        task = asyncio.ensure_future(keep_holding())
        try:
            await wait_mine()
        finally:
            task.cancel()

    started = time.monotonic()
    with pytest.raises(LockError):
        asyncio.run(both())
    assert 0.9 < time.monotonic() - started < 2.5


def test_a_ticket_that_expired_while_waiting_raises_lockerror(key_prefix):
    s = store(key_prefix)
    s.issue_ticket("c", 10)
    mine = s.issue_ticket("c", 0.2)
    time.sleep(0.4)
    with pytest.raises(LockError):
        asyncio.run(s._acquire_lock("c", mine, 0.05))


def test_two_messages_of_one_conversation_are_served_one_after_the_other(key_prefix):
    """Two instances (own stores, own connections) get a message of one conversation at once: the second
    message is processed only after the first is done, and in the order the tickets were issued."""
    instances = [store(key_prefix), store(key_prefix)]
    events: list[tuple[str, str, float]] = []

    async def process(instance: AtomicRedisLockStore, name: str) -> None:
        async with instance.lock("rm01", lock_lifetime=10, wait_time_in_seconds=0.02):
            events.append((name, "start", time.monotonic()))
            await asyncio.sleep(0.3)  # the turn: NLU, actions, tracker save
            events.append((name, "end", time.monotonic()))

    async def both() -> None:
        await asyncio.gather(process(instances[0], "a"), process(instances[1], "b"))

    asyncio.run(both())
    assert [e[1] for e in events] == ["start", "end", "start", "end"]
    assert events[0][0] == events[1][0] != events[2][0] == events[3][0]
    assert events[2][2] >= events[1][2]
    assert instances[0].get_lock("rm01") is None  # released: nothing left


def test_rasa_builds_it_from_the_endpoints_file(key_prefix):
    """As deploy/endpoints.prod.yml configures it: every value a string after ${VAR} substitution."""
    config = EndpointConfig(
        url="127.0.0.1",
        type="bot.lock_store.AtomicRedisLockStore",
        port="6379",
        db="1",
        key_prefix=key_prefix,
        socket_timeout="5",
    )
    s = LockStore.create(config)
    assert isinstance(s, AtomicRedisLockStore)
    assert s.key_prefix == f"{key_prefix}:lock:"
    ticket = s.issue_ticket("c", 5)
    assert s.red.exists(f"{key_prefix}:lock:c")
    s.cleanup("c", ticket)


def test_sentinel_settings_build_a_sentinel_managed_client():
    from redis.sentinel import SentinelConnectionPool

    s = AtomicRedisLockStore(
        sentinel_service="rmassist-redis",
        sentinels="10.0.0.5:26379, 10.0.0.6",
        db="1",
        password="pw",
        socket_timeout="5",
        key_prefix="rmassist",
    )
    pool = s.red.connection_pool
    assert isinstance(pool, SentinelConnectionPool) and pool.service_name == "rmassist-redis"
    assert [
        (c.connection_pool.connection_kwargs["host"], c.connection_pool.connection_kwargs["port"])
        for c in pool.sentinel_manager.sentinels
    ] == [
        ("10.0.0.5", 26379),
        ("10.0.0.6", 26379),
    ]
    assert pool.connection_kwargs["db"] == 1 and pool.connection_kwargs["password"] == "pw"


def test_sentinel_hosts_parse_from_a_string_or_a_list():
    assert parse_sentinels("a:1,b") == [("a", 1), ("b", 26379)]
    assert parse_sentinels(["a:1", "b:2"]) == [("a", 1), ("b", 2)]
    with pytest.raises(ValueError):
        parse_sentinels("")
