"""A whole `alerts run` on PostgreSQL (production): detectors, briefing, outbox. Fails when PostgreSQL is absent."""

from __future__ import annotations

import asyncio
import threading
import uuid
from datetime import datetime, timedelta
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, select, text

from bot.store.db import create_schema, engine_for, session_scope
from bot.store.models import OutboxMessage
from tests.alerts.conftest import run
from tests.alerts.rows import TODAY, score, small_bank, txn
from tests.playbook.rows import PG_URL


@pytest.fixture
def pg_url():
    schema = f"alerts_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, future=True)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    # The schema through the URL, so every engine the code makes for it (bot.store.db.engine_for) lands there.
    url = f"{PG_URL}?options={quote(f'-csearch_path={schema}')}"
    try:
        yield url
    finally:
        engine_for(url).dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


async def test_a_run_on_postgresql_alerts_briefs_and_sends_each_once(pg_url, fake_wecom):
    create_schema(engine_for(pg_url))
    with session_scope(pg_url) as s:
        people = small_bank(s)
        txn(s, people["rich"], 26, other_bank=True, counterparty="招商银行")
        score(s, people["other"], 0.08, TODAY - timedelta(days=7))
        score(s, people["other"], 0.33, TODAY)
    morning = datetime(2026, 11, 18, 8, 40)
    first = await run(pg_url, fake_wecom, morning)
    assert first.queued_by_kind == {"large_movement": 2, "risk_high": 1, "briefing": 3}
    assert first.sent == first.queued == 6
    second = await run(pg_url, fake_wecom, morning + timedelta(minutes=1))
    assert second.sent == second.queued == 0 and second.already_sent == 3
    assert len(fake_wecom.texts()) == 6
    with session_scope(pg_url) as s:
        assert set(s.execute(select(OutboxMessage.status)).scalars()) == {"sent"}


def test_two_runs_at_once_on_postgresql_queue_and_send_each_push_once(pg_url, fake_thread):
    create_schema(engine_for(pg_url))
    with session_scope(pg_url) as s:
        people = small_bank(s)
        for hour in range(9, 12):
            txn(s, people["rich"], 21, at=datetime(2026, 11, 18, hour, 0))
            txn(s, people["other"], 21, direction="in", at=datetime(2026, 11, 18, hour, 0))
        txn(s, people["other"], 30, at=datetime(2026, 11, 18, 9, 30))
    errors: list[BaseException] = []
    summaries = []
    start = threading.Barrier(2)

    def one() -> None:
        try:
            start.wait()
            summaries.append(asyncio.run(run(pg_url, fake_thread, datetime(2026, 11, 18, 12, 0), briefing="always")))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    pool = [threading.Thread(target=one) for _ in range(2)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(timeout=120)
    assert errors == []
    texts = fake_thread.texts()
    # 陈建国 out (RM, head), 王秀颖 in and out (RM, head each), three briefings.
    assert len(texts) == len(set(texts)) == 9
    assert sum(s.sent for s in summaries) == 9
