"""Batch scoring of the whole bank (`python -m scoring score --db URL --as-of DATE`).

Customers open on as_of are processed in chunks of consecutive ids, one transaction per chunk. A chunk whose
customers all have a score for (as_of, model_version) is skipped, and inserts ignore keys already stored (the
table's unique constraint), so a run that crashed half way is simply started again: finished chunks are skipped,
the interrupted one is redone, and nothing is stored twice. `workers` > 1 computes chunks in that many
processes (features and reasons are CPU-bound Python); writing stays in one process.
"""

from __future__ import annotations

import multiprocessing as mp
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import or_, select, text
from tqdm import tqdm

from bot.store.db import create_schema, engine_for, make_engine
from bot.store.models import ChurnScore, Customer
from scoring.features import build_features
from scoring.model import ChurnModel
from scoring.service import assess, insert_rows, to_row

CHUNK_SIZE = 20_000


@dataclass
class BatchSummary:
    customers: int
    written: int
    chunks: int
    skipped_chunks: int
    seconds: float
    model_version: str
    timings: dict

    @property
    def per_second(self) -> float:
        return self.written / self.seconds if self.seconds else 0.0


def population(conn: Any, as_of: date) -> np.ndarray:
    """Ids of customers open on as_of (opened before it, not closed before it), ascending."""
    rows = conn.execute(
        select(Customer.id)
        .where(Customer.opened_on < as_of, or_(Customer.closed_on.is_(None), Customer.closed_on >= as_of))
        .order_by(Customer.id)
    ).all()
    return np.array([r[0] for r in rows], dtype=np.int64)


def _already_scored(conn: Any, lo: int, hi: int, as_of: date, version: str) -> np.ndarray:
    rows = conn.execute(
        select(ChurnScore.customer_id).where(
            ChurnScore.customer_id.between(lo, hi), ChurnScore.as_of == as_of, ChurnScore.model_version == version
        )
    ).all()
    return np.array([r[0] for r in rows], dtype=np.int64)


def score_bank(
    url: str,
    as_of: date,
    model: ChurnModel,
    chunk_size: int = CHUNK_SIZE,
    progress: bool = True,
    on_chunk_done: Callable[[int], None] | None = None,
    workers: int = 1,
) -> BatchSummary:
    """Score every customer open on `as_of`. With workers > 1, that many processes build features and reasons
    for chunks in parallel (each with its own connection) while this process writes, chunk by chunk in id
    order, one transaction per chunk."""
    engine = engine_for(url)
    create_schema(engine)  # churn_scores may not exist yet in an older store
    t0 = time.perf_counter()
    timings = {"features": 0.0, "model": 0.0, "write": 0.0}
    with engine.connect() as conn:
        ids = population(conn, as_of)
    chunks = [ids[i : i + chunk_size] for i in range(0, len(ids), chunk_size)]
    written = skipped = 0
    bar = tqdm(total=len(ids), unit="cust", desc=f"scoring {as_of}", disable=not progress, smoothing=0.1)

    def todo_of(chunk: np.ndarray) -> np.ndarray:
        with engine.connect() as conn:
            done = _already_scored(conn, int(chunk[0]), int(chunk[-1]), as_of, model.version)
        return np.setdiff1d(chunk, done, assume_unique=True)

    pool = _Pool(url, model, workers) if workers > 1 and len(chunks) > 1 else None
    try:
        pending = [todo_of(c) for c in chunks] if pool else None
        results = pool.map(pending, as_of) if pool and pending is not None else None
        for k, chunk in enumerate(chunks):
            if pool:
                assert pending is not None and results is not None  # both set with the pool
                todo = pending[k]
                rows, t_features, t_model = next(results) if len(todo) else ([], 0.0, 0.0)
            else:
                todo = todo_of(chunk)
                rows, t_features, t_model = _compute(engine, as_of, model, todo) if len(todo) else ([], 0.0, 0.0)
            timings["features"] += t_features
            timings["model"] += t_model
            if len(todo) == 0:
                skipped += 1
            else:
                t = time.perf_counter()
                with engine.begin() as conn:
                    insert_rows(conn, rows)
                timings["write"] += time.perf_counter() - t
                written += len(rows)
            bar.update(len(chunk))
            if on_chunk_done is not None:
                on_chunk_done(k)
    finally:
        bar.close()
        if pool:
            pool.close()
    if written and engine.dialect.name == "postgresql":
        # Fresh statistics for the rows just written: until autovacuum gets round to it, PostgreSQL plans
        # the assistant's per-client score lookups as scans of the whole table (seen: 20 ms → 400 ms).
        with engine.begin() as conn:
            conn.execute(text("ANALYZE churn_scores"))
    return BatchSummary(
        customers=len(ids),
        written=written,
        chunks=len(chunks),
        skipped_chunks=skipped,
        seconds=round(time.perf_counter() - t0, 2),
        model_version=model.version,
        timings={k: round(v, 2) for k, v in timings.items()},
    )


def _compute(conn_or_engine: Any, as_of: date, model: ChurnModel, todo: np.ndarray) -> tuple[list, float, float]:
    """(churn_scores rows of the chunk, seconds on features, seconds on score + reasons + type)."""
    t = time.perf_counter()
    f_ids, X, facts = build_features(conn_or_engine, as_of, todo.tolist())
    t_features = time.perf_counter() - t
    t = time.perf_counter()
    rows = [to_row(r) for r in assess(model, as_of, f_ids, X, facts)]
    return rows, t_features, time.perf_counter() - t


# -- worker processes -----------------------------------------------------------------------------------------
_worker: dict = {}


def _init_worker(url: str, model: ChurnModel) -> None:
    # A fresh engine: connections must not be shared with the parent process.
    _worker["engine"] = make_engine(url)
    _worker["model"] = model


def _work(args: tuple[date, np.ndarray]) -> tuple[list, float, float]:
    as_of, todo = args
    return _compute(_worker["engine"], as_of, _worker["model"], todo)


class _Pool:
    """Chunks computed by worker processes, results handed back in chunk order, a few chunks ahead at most
    (bounded memory)."""

    def __init__(self, url: str, model: ChurnModel, workers: int) -> None:
        ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
        self.pool = ctx.Pool(workers, initializer=_init_worker, initargs=(url, model))
        self.ahead = 2 * workers

    def map(self, pending: list[np.ndarray], as_of: date) -> Iterator[tuple[list, float, float]]:
        jobs = [(as_of, todo) for todo in pending if len(todo)]
        inflight: deque = deque()
        for job in jobs:
            inflight.append(self.pool.apply_async(_work, (job,)))
            if len(inflight) >= self.ahead:
                yield inflight.popleft().get()
        while inflight:
            yield inflight.popleft().get()

    def close(self) -> None:
        self.pool.terminate()
        self.pool.join()
