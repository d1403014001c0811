"""A generated demo bank in a PostgreSQL schema of its own, built once and reused by later benchmark runs.

    bank = ensure_bank(BASE_URL, customers=1_000_000, seed=20261122, today=date(2026, 11, 18))
    bank.url      # the base URL with search_path set to the bank's schema
    bank.built    # True when this call built it, False when an earlier build was reused

The schema is `alerts_bank_<customers>`. What was built is written as JSON in the schema's comment
(customers, seed, today, the highest transaction id the generator wrote, the build time) once the build has
finished; a schema with the same size, seed and day is reused, one with other values (or an interrupted
build, whose comment says "building") is dropped and built again. A schema of that name without such a
comment was not made here and is left alone (the run stops). Rows a benchmark adds after the build
(transactions above `max_txn_id`) are removed by `reset_added_rows`.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from tools.demo.load import generate_bank  # noqa: E402
from tools.stack.settings import with_schema  # noqa: E402

MARK = "benchmarks/pg_bank.py"


@dataclass(frozen=True)
class PgBank:
    url: str
    schema: str
    customers: int
    seed: int
    today: date
    max_txn_id: int
    build_s: float  # how long the build took (now, or when it was built)
    built: bool  # built by this call (False: reused)
    meta: dict  # the schema's comment as JSON


def schema_name(customers: int) -> str:
    return f"alerts_bank_{customers}"


def _comment(conn, schema: str) -> dict | None:
    raw = conn.execute(
        text("SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = :s"), {"s": schema}
    ).scalar()
    if raw is None:
        return None
    try:
        meta = json.loads(raw)
    except ValueError:
        return {}
    return meta if isinstance(meta, dict) else {}


def _schema_exists(conn, schema: str) -> bool:
    return bool(conn.execute(text("SELECT 1 FROM pg_namespace WHERE nspname = :s"), {"s": schema}).scalar())


def _set_comment(conn, schema: str, meta: dict) -> None:
    literal = json.dumps(meta).replace("'", "''")
    conn.execute(text(f"COMMENT ON SCHEMA \"{schema}\" IS '{literal}'"))


def ensure_bank(base_url: str, customers: int, seed: int, today: date, log=print) -> PgBank:
    schema = schema_name(customers)
    url = with_schema(base_url, schema)
    admin = create_engine(base_url.split("?", 1)[0], future=True, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if _schema_exists(conn, schema):
                meta = _comment(conn, schema)
                if meta is None or meta.get("made_by") != MARK:
                    raise SystemExit(f"schema {schema} exists and was not made by {MARK}: left alone, run stopped")
                same = (
                    meta.get("state") == "built"
                    and meta.get("customers") == customers
                    and meta.get("seed") == seed
                    and meta.get("today") == today.isoformat()
                )
                if same:
                    top, build_s = int(meta["max_txn_id"]), float(meta["build_s"])
                    return PgBank(url, schema, customers, seed, today, top, build_s, False, meta)
                log(f"schema {schema} holds another bank or an interrupted build ({meta}): dropping it")
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            meta = {"made_by": MARK, "state": "building", "customers": customers, "seed": seed}
            _set_comment(conn, schema, {**meta, "today": today.isoformat()})
        log(f"building a {customers:,}-customer bank in schema {schema} (seed {seed}, today {today})")
        t0 = time.perf_counter()
        generate_bank(url, customers=customers, seed=seed, today=today, progress=True)
        build_s = time.perf_counter() - t0
        with admin.connect() as conn:
            top = conn.execute(text(f'SELECT coalesce(max(id), 0) FROM "{schema}".transactions')).scalar_one()
            meta.update(state="built", today=today.isoformat(), max_txn_id=int(top), build_s=round(build_s, 1))
            _set_comment(conn, schema, meta)
        return PgBank(url, schema, customers, seed, today, int(top), build_s, True, meta)
    finally:
        admin.dispose()


def update_meta(bank: PgBank, **values) -> None:
    """Add to what the schema's comment records (such as when the bank was last scored)."""
    bank.meta.update(values)
    admin = create_engine(bank.url.split("?", 1)[0], future=True, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            _set_comment(conn, bank.schema, bank.meta)
    finally:
        admin.dispose()


def reset_added_rows(bank: PgBank, tables: tuple[str, ...]) -> None:
    """Back to the bank as built: transactions added after the build, and the given tables emptied
    (tables a benchmark fills itself, such as the outbox and the watermarks)."""
    engine = create_engine(bank.url, future=True)
    try:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM transactions WHERE id > :top"), {"top": bank.max_txn_id})
            for table in tables:
                exists = conn.execute(text("SELECT to_regclass(:t)"), {"t": f'"{bank.schema}".{table}'}).scalar()
                if exists:
                    conn.execute(text(f"DELETE FROM {table}"))
    finally:
        engine.dispose()


if __name__ == "__main__":  # build (or find) a bank on its own: pg_bank.py CUSTOMERS [SEED] [TODAY]
    n = int(sys.argv[1])
    s = int(sys.argv[2]) if len(sys.argv) > 2 else 20261122
    d = date.fromisoformat(sys.argv[3]) if len(sys.argv) > 3 else date(2026, 11, 18)
    b = ensure_bank("postgresql+psycopg2://postgres@127.0.0.1:5432/test", n, s, d)
    print(f"{'built' if b.built else 'reused'} {b.schema}: {b.customers:,} customers in {b.build_s:.0f} s")
