"""Batch scoring on PostgreSQL, killed (SIGKILL, no clean-up) in the middle of a run, then started again
with `python -m scoring score`: it resumes, and every customer ends up scored exactly once."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import date

import pytest
from sqlalchemy import create_engine, func, select

from bot.store.models import ChurnScore
from scoring.batch import population
from tools.demo.load import generate_bank

AS_OF = date(2026, 11, 18)
CHUNK = 50

# Runs score_bank in a child process that kills itself: after a chunk has committed ("between"), or
# right after rows were inserted into churn_scores and before that transaction committed ("inside").
CRASHING_RUN = textwrap.dedent("""
    import os, signal, sys
    from datetime import date
    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    from scoring import batch
    from scoring.model import load_model

    url, model_path, where, after = sys.argv[1], sys.argv[2], sys.argv[4], int(sys.argv[5])
    as_of = date.fromisoformat(sys.argv[3])
    die = lambda: os.kill(os.getpid(), signal.SIGKILL)
    hook = None
    if where == "between":
        hook = lambda k: die() if k + 1 == after else None
    else:
        inserts = []

        @event.listens_for(Engine, "after_cursor_execute")
        def count_inserts(conn, cursor, statement, *_):
            if statement.lstrip().upper().startswith("INSERT INTO CHURN_SCORES"):
                inserts.append(1)
                if len(inserts) == after:
                    die()
    batch.score_bank(url, as_of, load_model(model_path), chunk_size={chunk}, progress=False, on_chunk_done=hook)
""").format(chunk=CHUNK)


@pytest.fixture
def small_bank(fresh_pg_url):
    generate_bank(fresh_pg_url, customers=400, seed=20261122, today=AS_OF, force=True)
    return fresh_pg_url


def scores(url: str) -> tuple[int, int]:
    engine = create_engine(url, future=True)
    try:
        with engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(ChurnScore)).scalar_one()
            distinct = conn.execute(select(func.count(func.distinct(ChurnScore.customer_id)))).scalar_one()
            population_size = len(population(conn, AS_OF))
    finally:
        engine.dispose()
    return total, distinct, population_size


@pytest.mark.parametrize("where", ["between", "inside"], ids=["after-a-chunk-committed", "while-writing-a-chunk"])
def test_batch_scoring_killed_mid_run_resumes_without_duplicates(small_bank, churn_model_path, where):
    crashed = subprocess.run(
        [sys.executable, "-c", CRASHING_RUN, small_bank, str(churn_model_path), AS_OF.isoformat(), where, "3"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert crashed.returncode == -9, crashed.stderr[-2000:]  # really killed
    total, distinct, customers = scores(small_bank)
    # Only whole chunks survive: the one being written was rolled back with the dead connection.
    assert total == distinct and total % CHUNK == 0 and CHUNK <= total <= 3 * CHUNK < customers
    if where == "between":
        assert total == 3 * CHUNK

    resumed = subprocess.run(
        [
            sys.executable,
            "-m",
            "scoring",
            "score",
            "--db",
            small_bank,
            "--as-of",
            AS_OF.isoformat(),
            "--model",
            str(churn_model_path),
            "--chunk-size",
            str(CHUNK),
            "--no-progress",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert f"{total // CHUNK}/" in resumed.stdout, resumed.stdout  # finished chunks were skipped, not redone
    assert scores(small_bank) == (customers, customers, customers)
