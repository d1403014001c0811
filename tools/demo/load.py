"""Generate the demo bank into a database: schema, bulk load, progress, summary."""

from __future__ import annotations

import sys
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, inspect, select
from sqlalchemy.engine import Engine

from bot.store.db import create_schema, make_engine
from bot.store.models import Base
from tools.demo import showcase
from tools.demo.context import BankContext
from tools.demo.generator import TABLE_ORDER, bank_tables, chunk_tables
from tools.demo.writer import open_writer

DEFAULT_CUSTOMERS = 6_000
DEFAULT_SEED = 20261122
MIN_CUSTOMERS = 50


class BankExists(Exception):
    """The database already holds data; pass force=True to drop and recreate every table."""

    def __init__(self, counts: dict[str, int]) -> None:
        super().__init__(", ".join(f"{t}={n}" for t, n in counts.items()))
        self.counts = counts


@dataclass(frozen=True)
class LoadSummary:
    customers: int
    rows: dict[str, int]  # per table
    seconds: float
    today: date
    seed: int


def existing_rows(engine: Engine) -> dict[str, int]:
    """Row counts of the demo tables that exist and are not empty."""
    names = set(inspect(engine).get_table_names())
    counts = {}
    with engine.connect() as conn:
        for table in TABLE_ORDER:
            if table in names:
                n = conn.execute(select(func.count()).select_from(Base.metadata.tables[table])).scalar_one()
                if n:
                    counts[table] = n
    return counts


def prepare_schema(engine: Engine, force: bool) -> None:
    found = existing_rows(engine)
    if found:
        if not force:
            raise BankExists(found)
        Base.metadata.drop_all(engine)
    create_schema(engine)


def generate_bank(
    url: str,
    customers: int = DEFAULT_CUSTOMERS,
    seed: int = DEFAULT_SEED,
    today: date | None = None,
    force: bool = False,
    progress: bool = False,
) -> LoadSummary:
    """Create the schema and load a demo bank of `customers` customers; same arguments, same bank."""
    if customers < MIN_CUSTOMERS:
        raise ValueError(f"at least {MIN_CUSTOMERS} customers (the showcase alone has {showcase.count()})")
    if today is None:
        from bot.clock import today as clock_today

        today = clock_today()
    started = time.monotonic()
    ctx = BankContext(today=today, seed=seed, customers=customers)
    engine = make_engine(url)
    try:
        prepare_schema(engine, force)
        rows = load(engine, ctx, progress)
    finally:
        engine.dispose()
    return LoadSummary(customers, rows, time.monotonic() - started, today, seed)


def load(engine: Engine, ctx: BankContext, progress: bool) -> dict[str, int]:
    """Generate chunk k+1 while chunk k is being written (the database driver releases the GIL)."""
    from tqdm import tqdm

    writer = open_writer(engine)
    counts = dict.fromkeys(TABLE_ORDER, 0)

    def write(batch):
        writer.write(batch)
        for part in batch:
            counts[part.table] += len(part.rows)

    bar = tqdm(total=ctx.customers, unit="户", file=sys.stderr, disable=not progress, desc="生成演示数据")
    pending: Future | None = None
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            write(bank_tables(ctx))
            for k in range(ctx.chunks):
                batch = chunk_tables(ctx, k)
                if pending is not None:
                    pending.result()
                pending = pool.submit(write, batch)
                first, last = ctx.chunk_bounds(k)
                bar.update(last - first + 1)
            if pending is not None:
                pending.result()
        writer.finish()
    finally:
        bar.close()
    return counts
