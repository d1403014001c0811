"""Seen-message stores. The Redis tests need the real Redis at 127.0.0.1:6379 and fail without it."""

from __future__ import annotations

import uuid

import pytest
import redis

from bot.channels.dedupe import MemorySeenStore, RedisSeenStore, seen_store

REDIS_URL = "redis://127.0.0.1:6379/0"
pytestmark = pytest.mark.asyncio


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_memory_store_claims_a_key_once():
    store = MemorySeenStore()
    assert await store.claim("wecom:msg:1") is True
    assert await store.claim("wecom:msg:1") is False
    assert await store.claim("wecom:msg:2") is True


async def test_memory_store_forgets_after_ttl():
    clock = FakeClock()
    store = MemorySeenStore(ttl_seconds=60, clock=clock)
    await store.claim("k")
    clock.now += 59
    assert await store.claim("k") is False
    clock.now += 2
    assert await store.claim("k") is True


async def test_memory_store_evicts_oldest_beyond_capacity():
    store = MemorySeenStore(max_entries=2)
    for key in ("a", "b", "c"):
        await store.claim(key)
    assert not await store.contains("a")
    assert await store.contains("b") and await store.contains("c")


async def test_memory_store_mark_then_contains():
    store = MemorySeenStore()
    assert not await store.contains("reply:1")
    await store.mark("reply:1")
    assert await store.contains("reply:1")


@pytest.fixture
def redis_prefix():
    prefix = f"test:seen:{uuid.uuid4().hex}:"
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(prefix + "*"):
        client.delete(key)


async def test_redis_store_claim_is_shared_between_instances(redis_prefix):
    first, second = RedisSeenStore(REDIS_URL, prefix=redis_prefix), RedisSeenStore(REDIS_URL, prefix=redis_prefix)
    try:
        assert await first.claim("wecom:msg:42") is True
        assert await second.claim("wecom:msg:42") is False
    finally:
        await first.close()
        await second.close()


async def test_redis_store_writes_key_with_expiry(redis_prefix):
    store = RedisSeenStore(REDIS_URL, ttl_seconds=120, prefix=redis_prefix)
    try:
        await store.claim("wecom:msg:7")
    finally:
        await store.close()
    ttl = redis.Redis.from_url(REDIS_URL).ttl(redis_prefix + "wecom:msg:7")
    assert 0 < ttl <= 120


async def test_redis_store_mark_is_visible_to_another_instance(redis_prefix):
    writer, reader = RedisSeenStore(REDIS_URL, prefix=redis_prefix), RedisSeenStore(REDIS_URL, prefix=redis_prefix)
    try:
        await writer.mark("reply:9#0")
        assert await reader.contains("reply:9#0")
    finally:
        await writer.close()
        await reader.close()


async def test_unreachable_redis_still_deduplicates_within_the_instance():
    store = RedisSeenStore("redis://127.0.0.1:1/0", timeout_seconds=0.2)
    assert await store.claim("k") is True
    assert await store.claim("k") is False


async def test_seen_store_picks_redis_only_when_configured():
    assert isinstance(seen_store(None), MemorySeenStore)
    assert isinstance(seen_store(REDIS_URL), RedisSeenStore)
