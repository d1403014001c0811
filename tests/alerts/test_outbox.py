"""Exactly once, nothing lost: the outbox against the fake WeCom API (a real HTTP server on loopback)."""

from __future__ import annotations

import asyncio
import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.alerts import outbox
from bot.alerts.outbox import Push, enqueue
from bot.alerts.sender import Sender
from bot.alerts.settings import AlertSettings, Clock
from bot.store.db import session_scope
from bot.store.models import Customer, OutboxMessage
from tests.alerts.conftest import run, wecom_client
from tests.alerts.rows import TODAY, small_bank, txn
from tests.playbook.rows import pg_schema_engine
from tools.fake_tencent import FakeTencentApi

NOON = datetime(2026, 11, 18, 12, 0)
SETTINGS = AlertSettings()


class SimulatedCrash(Exception):
    """The worker dies between WeCom's answer and the mark."""


def _crash(*_args) -> None:
    raise SimulatedCrash


def _rows(url: str) -> list[OutboxMessage]:
    with session_scope(url) as s:
        return list(s.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars())


def _queue(url: str, *pushes: Push, now: datetime = NOON) -> None:
    with session_scope(url) as s:
        enqueue(s, pushes, now, SETTINGS)


def _push(kind: str = "large_movement", subject: str = "c1:out", content: str = "【大额资金异动】测试", **kw) -> Push:
    return Push("rm01", "LiMing", kind, subject, TODAY, content, **kw)


async def _send(url: str, fake: FakeTencentApi, at: datetime, after_send=None, settings: AlertSettings = SETTINGS):
    api = wecom_client(fake)
    try:
        return await Sender(url, api, settings, Clock(at), after_send=after_send).run_pass()
    finally:
        await api.close()


@pytest.fixture
def bank(db):
    with session_scope(db) as s:
        small_bank(s)
    return db


async def test_queuing_the_same_push_twice_writes_one_row(bank):
    _queue(bank, _push(), _push())
    _queue(bank, _push(content="另一版文字"))
    rows = _rows(bank)
    assert len(rows) == 1 and rows[0].content == "【大额资金异动】测试" and rows[0].status == "queued"


async def test_a_sent_row_keeps_the_msgid_and_is_never_sent_again(bank, fake_wecom):
    _queue(bank, _push())
    first = await _send(bank, fake_wecom, NOON)
    again = await _send(bank, fake_wecom, NOON + timedelta(minutes=5))
    (row,) = _rows(bank)
    assert first.sent == 1 and again.sent == 0
    assert row.status == "sent" and row.msgids == "m1" and row.sent_at is not None
    assert fake_wecom.texts() == ["【大额资金异动】测试"]


async def test_a_crash_after_the_send_resends_an_alert_once_marked_and_leaves_a_briefing_uncertain(bank, fake_wecom):
    _queue(bank, _push(), _push(kind="briefing", subject="day", content="李明，早上好。"))
    with pytest.raises(SimulatedCrash):
        await _send(bank, fake_wecom, NOON, after_send=_crash)
    assert {r.status for r in _rows(bank)} == {"sending"}
    assert len(fake_wecom.texts()) == 2  # both reached WeCom; neither was marked

    # A restart within the lease leaves the rows alone: their worker may still be sending.
    soon = await _send(bank, fake_wecom, NOON + timedelta(seconds=60))
    assert soon.sent == 0 and {r.status for r in _rows(bank)} == {"sending"}

    later = await _send(bank, fake_wecom, NOON + timedelta(seconds=SETTINGS.lease_seconds + 1))
    alert, briefing = _rows(bank)
    assert alert.status == "sent" and alert.resend
    assert briefing.status == "uncertain" and later.uncertain == 1 and later.resent == 1
    texts = fake_wecom.texts()
    assert texts.count("（补发）【大额资金异动】测试") == 1
    assert texts.count("李明，早上好。") == 1  # not resent
    assert [t for t in texts if "大额资金异动" in t and not t.startswith("（补发）")] == ["【大额资金异动】测试"]


async def test_5xx_and_timeouts_are_retried_by_the_client(bank, fake_wecom):
    _queue(bank, _push(subject="a"), _push(subject="b"))
    fake_wecom.script_send(("status", 503), ("hang", 2.0))  # the client's timeout is 0.5 s
    summary = await _send(bank, fake_wecom, NOON)
    assert summary.sent == 2 and summary.retrying == 0
    assert sorted(fake_wecom.texts()) == ["【大额资金异动】测试", "【大额资金异动】测试"]
    assert fake_wecom.attempts == 4


async def test_a_longer_outage_and_the_rate_limit_back_off_in_the_outbox(bank, fake_wecom):
    _queue(bank, _push(subject="a"))
    fake_wecom.script_send(("status", 502), ("status", 502), ("status", 502))  # every client attempt
    down = await _send(bank, fake_wecom, NOON)
    (row,) = _rows(bank)
    assert down.retrying == 1 and row.status == "queued" and row.attempts == 1
    assert row.not_before == NOON + timedelta(seconds=SETTINGS.backoff_seconds) or row.not_before > NOON
    early = await _send(bank, fake_wecom, NOON + timedelta(seconds=5))
    assert early.sent == 0

    fake_wecom.script_send(("errcode", 45009))  # WeCom: API frequency limit
    limited = await _send(bank, fake_wecom, NOON + timedelta(seconds=31))
    (row,) = _rows(bank)
    assert limited.retrying == 1 and row.attempts == 2 and "45009" in row.last_error

    back = await _send(bank, fake_wecom, NOON + timedelta(minutes=5))
    assert back.sent == 1 and fake_wecom.texts() == ["【大额资金异动】测试"]


async def test_a_refusal_for_good_fails_the_row_without_retrying(bank, fake_wecom):
    _queue(bank, _push())
    fake_wecom.script_send(("errcode", 81013))  # user not in the app's visible range
    summary = await _send(bank, fake_wecom, NOON)
    (row,) = _rows(bank)
    assert summary.failed == 1 and row.status == "failed" and fake_wecom.texts() == []


async def test_an_expired_token_is_refreshed(bank, fake_wecom):
    _queue(bank, _push(subject="a"))
    await _send(bank, fake_wecom, NOON)
    fake_wecom.expire_tokens()
    _queue(bank, _push(subject="b"))
    summary = await _send(bank, fake_wecom, NOON + timedelta(minutes=1))
    assert summary.sent == 1 and len(fake_wecom.texts()) == 2


async def test_long_pushes_are_split_under_2048_bytes_and_each_part_recorded(bank, fake_wecom):
    lines = [f"第{i}行：" + "客户资金变动提醒" * 6 for i in range(60)]
    _queue(bank, _push(content="\n".join(lines)))
    await _send(bank, fake_wecom, NOON)
    texts = fake_wecom.texts()
    (row,) = _rows(bank)
    assert len(texts) > 1 and all(len(t.encode()) <= 2048 for t in texts)
    assert "\n".join(texts) == "\n".join(lines)
    assert row.parts_sent == len(texts) and len(row.msgids.split(",")) == len(texts)


async def test_quiet_hours_hold_non_urgent_alerts_for_the_morning_but_not_urgent_ones(bank, fake_wecom):
    night = datetime(2026, 11, 18, 22, 30)
    _queue(bank, _push(kind="risk_high", subject="c1"), _push(urgent=True), now=night)
    at_night = await _send(bank, fake_wecom, night)
    assert at_night.sent == 1 and fake_wecom.texts() == ["【大额资金异动】测试"]
    held = next(r for r in _rows(bank) if r.kind == "risk_high")
    assert held.status == "queued" and held.not_before == datetime(2026, 11, 19, 8, 0)
    assert (await _send(bank, fake_wecom, datetime(2026, 11, 19, 7, 59))).sent == 0
    assert (await _send(bank, fake_wecom, datetime(2026, 11, 19, 8, 0))).sent == 1


async def test_quiet_hours_through_a_whole_run(bank, fake_wecom):
    people_url = bank
    with session_scope(people_url) as s:
        rich = s.execute(select(Customer).where(Customer.name == "王秀颖")).scalar_one()
        txn(s, rich, 8, other_bank=True, at=datetime(2026, 11, 18, 21, 40))  # other-bank: not urgent
    night = await run(people_url, fake_wecom, datetime(2026, 11, 18, 22, 0), briefing="never")
    assert night.queued == 1 and night.held == 1 and night.sent == 0
    morning = await run(people_url, fake_wecom, datetime(2026, 11, 19, 8, 1), briefing="never")
    assert morning.sent == 1 and morning.held == 0
    assert fake_wecom.texts()[0].startswith("【他行转出】王秀颖（贵宾）昨天转往他行8万")


async def test_the_daily_quota_is_shared_through_the_outbox(bank, fake_wecom):
    for i in range(5):
        _queue(bank, _push(subject=f"c{i}"))
    summary = await _send(bank, fake_wecom, NOON, settings=AlertSettings(daily_quota=3))
    assert summary.sent == 3 and summary.quota_deferred
    assert [r.status for r in _rows(bank)].count("queued") == 2


def _two_workers(url: str, fake: FakeTencentApi, rounds: int = 3) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def worker() -> None:
        async def go() -> None:
            api = wecom_client(fake)
            try:
                for _ in range(rounds):
                    await Sender(url, api, SETTINGS, Clock(NOON)).run_pass()
            finally:
                await api.close()

        try:
            start.wait()
            asyncio.run(go())
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    pool = [threading.Thread(target=worker) for _ in range(2)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(timeout=120)
    return errors


def _fill(url: str, n: int) -> None:
    with session_scope(url) as s:
        enqueue(
            s,
            [Push("rm01", f"user{i % 7}", "large_movement", f"c{i}", TODAY, f"提醒{i}", urgent=True) for i in range(n)],
            NOON,
            SETTINGS,
        )


def test_two_workers_on_postgresql_send_no_duplicate(monkeypatch):
    fake = FakeTencentApi().start_thread()
    try:
        with pg_schema_engine() as engine:
            url = engine.url.render_as_string(hide_password=False)
            # Each worker's engine (bot.store.db.engine_for) must see the test's schema: share the test's.
            monkeypatch.setattr("bot.alerts.sender.engine_for", lambda _url: engine)
            with Session(engine, future=True) as s:
                small_bank(s)
                s.commit()
                enqueue(
                    s,
                    [
                        Push("rm01", f"user{i % 7}", "large_movement", f"c{i}", TODAY, f"提醒{i}", urgent=True)
                        for i in range(120)
                    ],
                    NOON,
                    SETTINGS,
                )
                s.commit()
            errors = _two_workers(url, fake)
            assert errors == []
            texts = fake.texts()
            assert len(texts) == 120 and len(set(texts)) == 120 and fake.attempts == 120
            with Session(engine, future=True) as s:
                statuses = s.execute(select(OutboxMessage.status)).scalars().all()
            assert set(statuses) == {"sent"}
    finally:
        fake.stop_thread()


def test_two_workers_on_sqlite_send_no_duplicate(bank):
    fake = FakeTencentApi().start_thread()
    try:
        _fill(bank, 60)
        assert _two_workers(bank, fake) == []
        texts = fake.texts()
        assert len(texts) == 60 and len(set(texts)) == 60
        assert {r.status for r in _rows(bank)} == {"sent"}
    finally:
        fake.stop_thread()


def test_outbox_module_documents_the_crash_choice():
    doc = outbox.__doc__ or ""
    assert "（补发）" in doc and "uncertain" in doc and "SKIP LOCKED" in doc


async def test_a_crash_in_the_middle_of_a_split_alert_resends_only_the_part_in_doubt(bank, fake_wecom):
    lines = [f"第{i}行：" + "客户资金变动提醒" * 6 for i in range(60)]
    _queue(bank, _push(content="\n".join(lines)))

    def crash_on_second_part(_row, index: int) -> None:
        if index == 1:
            raise SimulatedCrash

    with pytest.raises(SimulatedCrash):
        await _send(bank, fake_wecom, NOON, after_send=crash_on_second_part)
    (row,) = _rows(bank)
    assert row.status == "sending" and row.parts_sent == 1
    first_two = fake_wecom.texts()
    assert len(first_two) == 2

    await _send(bank, fake_wecom, NOON + timedelta(seconds=SETTINGS.lease_seconds + 1))
    texts = fake_wecom.texts()
    (row,) = _rows(bank)
    assert row.status == "sent" and row.parts_sent == len(texts) - 1
    assert texts[2] == "（补发）" + first_two[1]  # the part in doubt, marked; the first is not repeated
    assert all(len(t.encode()) <= 2048 for t in texts)
    assert "\n".join([texts[0], texts[1], *texts[3:]]) == "\n".join(lines)  # nothing lost
