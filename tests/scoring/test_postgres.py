"""The scorer's SQL on PostgreSQL (production): same features as on SQLite, conflict-safe score inserts.
Needs PostgreSQL on 127.0.0.1:5432 (db `test`); fails when it is absent. Works in a schema of its own."""

from __future__ import annotations

import uuid

import numpy as np
import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import sessionmaker

from bot.store.db import create_schema
from bot.store.models import ChurnScore
from scoring.features import build_features
from scoring.service import assess, insert_scores
from tests.scoring.test_features import AS_OF, rich_customer

PG = "postgresql+psycopg2://{user}@127.0.0.1:5432/test"


@pytest.fixture
def pg_session():
    schema = f"scoring_{uuid.uuid4().hex[:10]}"
    admin = None
    for user in ("root", "postgres"):
        try:
            admin = create_engine(PG.format(user=user), future=True)
            with admin.begin() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            break
        except Exception:  # try the other user; if both fail the test fails below
            admin = None
    assert admin is not None, "PostgreSQL is not reachable on 127.0.0.1:5432 (db test, user root or postgres)"
    engine = create_engine(admin.url, future=True, connect_args={"options": f"-csearch_path={schema}"})
    create_schema(engine)
    session = sessionmaker(engine, future=True)()
    try:
        yield session
    finally:
        session.close()
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_postgres_builds_the_same_features_and_ignores_duplicate_scores(pg_session, session, synthetic_model):
    rich_customer(pg_session)
    pg_session.commit()
    rich_customer(session)
    pg_ids, pg_X, pg_facts = build_features(pg_session, AS_OF)
    lite_ids, lite_X, lite_facts = build_features(session, AS_OF)
    np.testing.assert_allclose(pg_X, lite_X)
    assert pg_ids.tolist() == lite_ids.tolist() and pg_facts == lite_facts

    results = assess(synthetic_model, AS_OF, pg_ids, pg_X, pg_facts)
    insert_scores(pg_session, results)
    insert_scores(pg_session, results)  # a retried chunk
    pg_session.commit()
    assert pg_session.execute(select(func.count()).select_from(ChurnScore)).scalar_one() == 1
