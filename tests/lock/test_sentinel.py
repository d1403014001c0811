"""The lock store through a real Redis Sentinel: a throwaway sentinel on a spare loopback port that
monitors the machine's Redis (6379) as master `locktest`, stopped at the end. Sentinel never fails over
here (the master has no replica), so the shared Redis is left as it is."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest

from bot.lock_store import AtomicRedisLockStore


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def sentinel(tmp_path):
    server = shutil.which("redis-sentinel") or shutil.which("redis-server")
    if server is None:
        pytest.fail("redis-server is required (it runs as a sentinel with --sentinel)", pytrace=False)
    port = free_port()
    conf = tmp_path / "sentinel.conf"
    conf.write_text(f"port {port}\nbind 127.0.0.1\ndir {tmp_path}\nsentinel monitor locktest 127.0.0.1 6379 1\n")
    proc = subprocess.Popen([server, str(conf), "--sentinel"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 10
        while True:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if time.monotonic() > deadline or proc.poll() is not None:
                pytest.fail("the throwaway sentinel did not start", pytrace=False)
            time.sleep(0.1)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_tickets_through_a_real_sentinel(sentinel, key_prefix):
    s = AtomicRedisLockStore(
        sentinel_service="locktest", sentinels=f"127.0.0.1:{sentinel}", db="1", key_prefix=key_prefix
    )
    first, second = s.issue_ticket("c", 10), s.issue_ticket("c", 10)
    assert second == first + 1
    assert s.red.connection_pool.get_master_address() == ("127.0.0.1", 6379)
    s.cleanup("c", first)
    s.cleanup("c", second)
    assert s.get_lock("c") is None
