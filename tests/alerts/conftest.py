"""Fixtures of the push tests: a private copy of the demo bank, a small hand-made bank, the fake WeCom API."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
import pytest_asyncio

from bot.alerts.jobs import run_once
from bot.alerts.settings import AlertSettings, Clock
from bot.channels.wecom_api import WeComApi
from bot.store.db import create_schema, engine_for
from tools.fake_tencent import FakeTencentApi

CORP_ID, CORP_SECRET, AGENT_ID = "wwcorp", "app-secret", 1000002
WECOM_ENV = {"WECOM_CORP_ID": CORP_ID, "WECOM_APP_SECRET": CORP_SECRET, "WECOM_AGENT_ID": str(AGENT_ID)}
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo_copy(demo_bank, tmp_path) -> str:
    """The session's demo bank copied for one test (the pushes write to the store)."""
    engine_for(demo_bank).dispose()
    src = sqlite3.connect(demo_bank.split("///", 1)[1])
    dst_path = tmp_path / "demo.db"
    dst = sqlite3.connect(dst_path)
    src.backup(dst)
    src.close()
    dst.close()
    url = f"sqlite:///{dst_path}"
    create_schema(engine_for(url))
    return url


@pytest_asyncio.fixture
async def fake_wecom():
    api = FakeTencentApi(corp_id=CORP_ID, corp_secret=CORP_SECRET)
    await api.start()
    yield api
    await api.stop()


@pytest.fixture
def fake_thread():
    """The fake API served from a thread of its own, for subprocesses and worker threads."""
    fake = FakeTencentApi(corp_id=CORP_ID, corp_secret=CORP_SECRET).start_thread()
    yield fake
    fake.stop_thread()


def wecom_client(fake: FakeTencentApi, **kw) -> WeComApi:
    options = dict(timeout_seconds=0.5, backoff_seconds=0.01)
    options.update(kw)
    return WeComApi(CORP_ID, CORP_SECRET, AGENT_ID, base_url=fake.base_url, **options)  # type: ignore[arg-type]


async def run(url: str, fake: FakeTencentApi, at: datetime, settings: AlertSettings | None = None, **kw):
    """One `alerts run` pass at `at` (Asia/Shanghai) against the fake API."""
    api = wecom_client(fake)
    try:
        return await run_once(url, api, settings or AlertSettings(), Clock(at), **kw)
    finally:
        await api.close()
