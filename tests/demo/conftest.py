from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from bot.store.db import make_engine
from tools.demo.load import generate_bank

DEMO_TODAY = date(2026, 11, 18)  # a Wednesday: this week is 11-16 .. 11-22
DEMO_SEED = 20261122
DEMO_CUSTOMERS = 6000


@pytest.fixture(scope="session")
def demo_url(tmp_path_factory) -> str:
    """The default-size demo bank, generated once for all read-only tests."""
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'bank.db'}"
    generate_bank(url, customers=DEMO_CUSTOMERS, seed=DEMO_SEED, today=DEMO_TODAY)
    return url


@pytest.fixture(scope="session")
def demo_engine(demo_url):
    engine = make_engine(demo_url)
    yield engine
    engine.dispose()


@pytest.fixture
def demo(demo_engine):
    """A read-only session on the shared demo bank."""
    with Session(demo_engine, future=True) as session:
        yield session
