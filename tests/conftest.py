from __future__ import annotations

import pytest

from bot.store.db import create_schema, engine_for, session_scope

TEST_TODAY = "2026-11-18"  # a Wednesday: 本周 = 11-16 .. 11-22


@pytest.fixture
def db(tmp_path, monkeypatch):
    """An empty customer store of its own, pointed to by BOT_DB_URL, with today fixed."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("BOT_DB_URL", url)
    monkeypatch.setenv("BOT_TODAY", TEST_TODAY)
    create_schema(engine_for(url))
    return url


@pytest.fixture
def session(db):
    with session_scope(db) as s:
        yield s
