"""Seen-key stores: a retried callback must never produce a second answer.

`claim(key)` is the atomic "first time?" test used on every callback. `contains`/`mark` record
that a reply part was delivered, so a retry loop never sends it twice.

The in-process store is enough for one Rasa instance. With several instances behind a load
balancer a WeCom retry may land on another instance, so use Redis (`SET key 1 NX EX ttl`).
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

logger = logging.getLogger(__name__)

DEFAULT_TTL_SECONDS = 24 * 3600


class SeenStore(Protocol):
    async def claim(self, key: str) -> bool:
        """True the first time `key` is seen within the TTL (and records it), False afterwards."""

    async def contains(self, key: str) -> bool: ...

    async def mark(self, key: str) -> None: ...

    async def close(self) -> None: ...


class MemorySeenStore:
    """TTL dict for one process. Oldest keys are evicted first once `max_entries` is reached."""

    def __init__(
        self,
        ttl_seconds: float = DEFAULT_TTL_SECONDS,
        max_entries: int = 200_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl_seconds = ttl_seconds
        self.max_entries = max_entries
        self._clock = clock
        self._expiry: OrderedDict[str, float] = OrderedDict()

    def _prune(self, now: float) -> None:
        # Every key gets the same TTL, so insertion order is expiry order.
        while self._expiry:
            key, expires = next(iter(self._expiry.items()))
            if expires > now and len(self._expiry) <= self.max_entries:
                break
            self._expiry.popitem(last=False)

    async def claim(self, key: str) -> bool:
        now = self._clock()
        self._prune(now)
        if key in self._expiry:
            return False
        self._expiry[key] = now + self.ttl_seconds
        return True

    async def contains(self, key: str) -> bool:
        self._prune(self._clock())
        return key in self._expiry

    async def mark(self, key: str) -> None:
        await self.claim(key)

    async def close(self) -> None:
        """Nothing to release."""


class RedisSeenStore:
    """Shared across instances. If Redis is unreachable it degrades to an in-process store
    (duplicates across instances become possible, within one instance they stay impossible)."""

    def __init__(
        self,
        url: str,
        ttl_seconds: float = DEFAULT_TTL_SECONDS,
        prefix: str = "bot:seen:",
        timeout_seconds: float = 0.5,
    ) -> None:
        import redis.asyncio as aioredis

        self.ttl_seconds = ttl_seconds
        self.prefix = prefix
        self._redis = aioredis.Redis.from_url(
            url, socket_timeout=timeout_seconds, socket_connect_timeout=timeout_seconds
        )
        self._local = MemorySeenStore(ttl_seconds)

    def _key(self, key: str) -> str:
        return self.prefix + key

    async def claim(self, key: str) -> bool:
        from redis.exceptions import RedisError

        try:
            created = await self._redis.set(self._key(key), b"1", nx=True, ex=max(1, int(self.ttl_seconds)))
        except (RedisError, OSError) as exc:
            logger.warning("Redis seen-store unavailable, deduplicating in-process only: %s", exc)
            return await self._local.claim(key)
        return bool(created)

    async def contains(self, key: str) -> bool:
        from redis.exceptions import RedisError

        try:
            return bool(await self._redis.exists(self._key(key)))
        except (RedisError, OSError) as exc:
            logger.warning("Redis seen-store unavailable: %s", exc)
            return await self._local.contains(key)

    async def mark(self, key: str) -> None:
        from redis.exceptions import RedisError

        try:
            await self._redis.set(self._key(key), b"1", ex=max(1, int(self.ttl_seconds)))
        except (RedisError, OSError) as exc:
            logger.warning("Redis seen-store unavailable: %s", exc)
            await self._local.mark(key)

    async def close(self) -> None:
        await self._redis.close(close_connection_pool=True)


def seen_store(redis_url: str | None = None, ttl_seconds: float = DEFAULT_TTL_SECONDS) -> SeenStore:
    """Redis when a URL is configured, otherwise in-process."""
    if redis_url:
        return RedisSeenStore(redis_url, ttl_seconds)
    return MemorySeenStore(ttl_seconds)
