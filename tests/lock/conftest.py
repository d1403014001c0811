"""Lock-store tests run against the machine's Redis (127.0.0.1:6379, database 1); they fail, never skip,
when it is not there. Every test uses a key prefix of its own and deletes its keys at the end."""

from __future__ import annotations

import secrets

import pytest
import redis

from tests.production.conftest import require_redis

LOCK_REDIS_URL = "redis://127.0.0.1:6379/1"


@pytest.fixture
def key_prefix():
    require_redis(LOCK_REDIS_URL)
    prefix = "locktest" + secrets.token_hex(4)
    yield prefix
    red = redis.Redis.from_url(LOCK_REDIS_URL)
    keys = list(red.scan_iter(match=prefix + ":*"))
    if keys:
        red.delete(*keys)
