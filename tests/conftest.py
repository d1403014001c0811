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


DEMO_TODAY = "2026-11-18"
DEMO_SEED = 20261122
DEMO_CUSTOMERS = 1500


@pytest.fixture(scope="session")
def demo_bank_url(tmp_path_factory):
    """One small but complete demo bank per test session (same seed, same bank)."""
    from datetime import date

    from tools.demo.load import generate_bank

    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    generate_bank(url, customers=DEMO_CUSTOMERS, seed=DEMO_SEED, today=date.fromisoformat(DEMO_TODAY))
    return url


@pytest.fixture
def demo_bank(demo_bank_url, monkeypatch):
    monkeypatch.setenv("BOT_DB_URL", demo_bank_url)
    monkeypatch.setenv("BOT_TODAY", DEMO_TODAY)
    return demo_bank_url
