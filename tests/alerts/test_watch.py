"""`python -m bot alerts watch`: two watchers on one store, APScheduler's job store in it, no push twice."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime

from sqlalchemy import select, text

from bot.alerts import jobs
from bot.alerts.jobs import run_once
from bot.alerts.settings import AlertSettings, Clock
from bot.store.db import engine_for, session_scope
from bot.store.models import Customer
from tests.alerts.conftest import ROOT, WECOM_ENV, wecom_client
from tests.alerts.rows import small_bank, txn


def _watch(url: str, api_base: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WECOM_")}
    env.update(PYTHONPATH=str(ROOT), **WECOM_ENV)
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "alerts", "watch", "--db", url, "--every", "1", "--now", "2026-11-18 12:00"]
        + ["--wecom-api-base", api_base],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait(predicate, timeout_s: float = 40.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()


def test_two_watchers_alert_on_new_data_once_and_keep_the_briefing_job_in_the_store(db, fake_thread):
    with session_scope(db) as s:
        people = small_bank(s)
        txn(s, people["rich"], 30)
        rich_id = people["rich"].id
    watchers = [_watch(db, fake_thread.base_url) for _ in range(2)]
    try:
        assert _wait(lambda: len(fake_thread.texts()) >= 2), [
            w.stderr.read() if w.poll() is not None else "" for w in watchers
        ]
        with session_scope(db) as s:
            rich = s.execute(select(Customer).where(Customer.id == rich_id)).scalar_one()
            txn(s, rich, 25, direction="in", at=datetime(2026, 11, 18, 12, 30))
        assert _wait(lambda: len(fake_thread.texts()) >= 4)
        time.sleep(3)  # a few more passes of both watchers
    finally:
        for w in watchers:
            w.send_signal(signal.SIGINT)
        for w in watchers:
            try:
                w.wait(timeout=20)
            except subprocess.TimeoutExpired:
                w.kill()
    texts = fake_thread.texts()
    assert len(texts) == 4 and len(set(texts)) == 4
    assert sum("转出30万" in t for t in texts) == 2 and sum("转入25万" in t for t in texts) == 2
    with engine_for(db).connect() as conn:
        jobs = set(conn.execute(text("SELECT id FROM apscheduler_jobs")).scalars())
    assert "alerts-briefing" in jobs


async def test_a_detector_pass_sends_its_alert_while_the_briefing_is_still_being_computed(db, fake_wecom, monkeypatch):
    """The watcher runs both jobs in one event loop: at bank scale the briefing's queries take minutes, and
    a same-day alert must not wait for them (the store work runs off the loop)."""
    with session_scope(db) as s:
        people = small_bank(s)
        txn(s, people["rich"], 30)
    started, release = threading.Event(), threading.Event()
    held_at: list[float] = []
    real = jobs.queue_briefings

    def slow_briefing(*args, **kwargs):
        held_at.append(time.monotonic())
        started.set()
        release.wait(5)  # stands for minutes of queries over 2,000 RMs' clients
        return real(*args, **kwargs)

    monkeypatch.setattr(jobs, "queue_briefings", slow_briefing)
    api = wecom_client(fake_wecom)
    clock = Clock(datetime(2026, 11, 18, 9, 0))
    try:
        briefing = asyncio.create_task(run_once(db, api, AlertSettings(), clock, briefing="always", detectors=False))
        assert await asyncio.to_thread(started.wait, 5)
        await run_once(db, api, AlertSettings(), clock, briefing="never")
        for _ in range(50):  # whichever job's sender claimed it, the alert goes out at once
            if any("转出30万" in t for t in fake_wecom.texts()):
                break
            await asyncio.sleep(0.05)
        alert_after_s = time.monotonic() - held_at[0]
        release.set()
        summary = await briefing
    finally:
        release.set()
        await api.close()
    assert any("转出30万" in t for t in fake_wecom.texts())
    assert alert_after_s < 4, f"the alert waited {alert_after_s:.1f} s for the briefing"
    assert summary.briefing == "queued" and summary.queued == 3  # the briefing itself still went ahead
