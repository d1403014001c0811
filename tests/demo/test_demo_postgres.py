"""The generator on PostgreSQL (127.0.0.1:5432, database `test`): fails, not skips, when it is absent."""

from __future__ import annotations

import uuid
from datetime import date

import psycopg2
import pytest
from sqlalchemy import func, select, text

from bot.store.db import make_engine
from bot.store.models import Contact, Customer, DemoTruth
from tools.demo.load import BankExists, generate_bank

DSN = "host=127.0.0.1 port=5432 dbname=test user=root"


@pytest.fixture
def pg_url():
    """A URL whose search_path is a schema of its own, dropped afterwards."""
    schema = f"demo_test_{uuid.uuid4().hex[:10]}"
    conn = psycopg2.connect(DSN, connect_timeout=5)
    conn.autocommit = True
    conn.cursor().execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"postgresql+psycopg2://root@127.0.0.1:5432/test?options=-csearch_path%3D{schema}"
    finally:
        conn.cursor().execute(f"DROP SCHEMA {schema} CASCADE")
        conn.close()


def test_generates_a_small_bank_into_postgresql(pg_url):
    summary = generate_bank(pg_url, customers=150, seed=11, today=date(2026, 11, 18))
    engine = make_engine(pg_url)
    try:
        with engine.begin() as conn:
            assert conn.execute(text("SELECT current_schema()")).scalar_one().startswith("demo_test_")
            assert conn.execute(select(func.count()).select_from(Customer)).scalar_one() == 150
            assert conn.execute(select(Customer.name).where(Customer.id == 1)).scalar_one() == "王秀英"
            assert conn.execute(select(func.count()).select_from(DemoTruth)).scalar_one() == summary.rows["demo_truth"]
            # Sequences continue after the loaded ids.
            new_id = conn.execute(
                Contact.__table__.insert()
                .values(
                    staff_id="rm01", customer_id=1, contacted_at=date(2026, 11, 18), channel="phone", outcome="reached"
                )
                .returning(Contact.id)
            ).scalar_one()
            assert new_id == summary.rows["contacts"] + 1
    finally:
        engine.dispose()
    with pytest.raises(BankExists):
        generate_bank(pg_url, customers=150, seed=11, today=date(2026, 11, 18))
