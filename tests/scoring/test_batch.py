from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, func, select

from bot.store.models import ChurnScore
from scoring import batch
from scoring.batch import score_bank
from tests.scoring import builders as b

AS_OF = date(2026, 11, 18)


class Crash(RuntimeError):
    pass


@pytest.fixture
def twelve_customers(db, session):
    b.bank(session)
    for k in range(12):
        c = b.customer(session, f"客户{k}", aum_wan=10 + k)
        b.snapshot(session, c, date(2026, 7, 1), 20 + k)
        b.snapshot(session, c, date(2026, 10, 1), 10 + k)
    session.commit()
    return db


def stored(session) -> tuple[int, int]:
    total = session.execute(select(func.count()).select_from(ChurnScore)).scalar_one()
    distinct = session.execute(select(func.count(func.distinct(ChurnScore.customer_id)))).scalar_one()
    return total, distinct


def crash_after(chunks: int):
    def hook(k: int) -> None:
        if k + 1 == chunks:
            raise Crash(f"killed after chunk {k}")

    return hook


def test_batch_resumes_after_a_crash_without_duplicates(twelve_customers, session, synthetic_model):
    with pytest.raises(Crash):
        score_bank(twelve_customers, AS_OF, synthetic_model, chunk_size=3, progress=False, on_chunk_done=crash_after(2))
    assert stored(session) == (6, 6)

    summary = score_bank(twelve_customers, AS_OF, synthetic_model, chunk_size=3, progress=False)
    assert (summary.chunks, summary.skipped_chunks, summary.written) == (4, 2, 6)
    assert stored(session) == (12, 12)
    versions = session.execute(select(func.distinct(ChurnScore.model_version))).scalars().all()
    assert versions == [synthetic_model.version]


def test_a_chunk_interrupted_while_writing_is_redone_whole(twelve_customers, session, synthetic_model, monkeypatch):
    real_insert = batch.insert_rows
    calls = []

    def insert_then_die(conn, rows):
        calls.append(len(rows))
        real_insert(conn, rows)
        if len(calls) == 3:
            raise Crash("killed before the third chunk committed")

    monkeypatch.setattr(batch, "insert_rows", insert_then_die)
    with pytest.raises(Crash):
        score_bank(twelve_customers, AS_OF, synthetic_model, chunk_size=3, progress=False)
    assert stored(session) == (6, 6)  # the third chunk's rows were rolled back with it

    monkeypatch.setattr(batch, "insert_rows", real_insert)
    summary = score_bank(twelve_customers, AS_OF, synthetic_model, chunk_size=3, progress=False)
    assert (summary.skipped_chunks, summary.written) == (2, 6)
    assert stored(session) == (12, 12)


def test_rerunning_a_finished_batch_writes_nothing(twelve_customers, session, synthetic_model):
    score_bank(twelve_customers, AS_OF, synthetic_model, chunk_size=5, progress=False)
    again = score_bank(twelve_customers, AS_OF, synthetic_model, chunk_size=5, progress=False)
    assert (again.written, again.skipped_chunks, again.chunks) == (0, 3, 3)
    assert stored(session) == (12, 12)


def test_stored_rows_keep_as_of_model_version_and_json_reasons(twelve_customers, session, synthetic_model):
    score_bank(twelve_customers, AS_OF, synthetic_model, chunk_size=50, progress=False)
    row = session.execute(select(ChurnScore).order_by(ChurnScore.customer_id)).scalars().first()
    assert row.as_of == AS_OF and row.model_version == synthetic_model.version
    assert 0.0 <= row.score <= 1.0
    assert row.reasons.startswith("[") and "churn_type_evidence" in row.reasons


def test_worker_processes_store_the_same_scores_as_one_process(twelve_customers, session, synthetic_model):
    score_bank(twelve_customers, AS_OF, synthetic_model, chunk_size=3, progress=False)
    one = session.execute(
        select(ChurnScore.customer_id, ChurnScore.score, ChurnScore.reasons).order_by(ChurnScore.customer_id)
    ).all()
    session.execute(delete(ChurnScore))
    session.commit()
    with pytest.raises(Crash):
        score_bank(
            twelve_customers,
            AS_OF,
            synthetic_model,
            chunk_size=3,
            progress=False,
            workers=2,
            on_chunk_done=crash_after(1),
        )
    summary = score_bank(twelve_customers, AS_OF, synthetic_model, chunk_size=3, progress=False, workers=2)
    assert (summary.skipped_chunks, summary.written) == (1, 9)
    two = session.execute(
        select(ChurnScore.customer_id, ChurnScore.score, ChurnScore.reasons).order_by(ChurnScore.customer_id)
    ).all()
    assert two == one
