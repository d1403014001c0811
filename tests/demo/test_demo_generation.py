"""Reproducibility, schema handling and the command line of the demo bank generator."""

from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
from datetime import date

import pytest
from sqlalchemy import inspect, select

from bot.store.db import create_schema, make_engine
from bot.store.models import Contact, Customer, Holding, Transaction
from tools.demo.cli import main
from tools.demo.generator import TABLE_ORDER
from tools.demo.load import BankExists, generate_bank

TODAY = date(2026, 11, 18)
SMALL = 300


def checksum(path) -> str:
    digest = hashlib.sha256()
    with closing(sqlite3.connect(path)) as conn, conn:
        for table in TABLE_ORDER:
            ncols = len(conn.execute(f"SELECT * FROM {table} LIMIT 0").description)
            order = ",".join(str(k) for k in range(1, ncols + 1))
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY {order}"):
                digest.update(repr(row).encode())
    return digest.hexdigest()


def build(tmp_path, name: str, **kw) -> str:
    path = tmp_path / name
    generate_bank(f"sqlite:///{path}", **{"customers": SMALL, "seed": 5, "today": TODAY, **kw})
    return path


def test_same_seed_today_and_size_give_an_identical_database(tmp_path):
    assert checksum(build(tmp_path, "a.db")) == checksum(build(tmp_path, "b.db"))


def test_another_seed_gives_another_bank(tmp_path):
    assert checksum(build(tmp_path, "a.db")) != checksum(build(tmp_path, "b.db", seed=6))


def test_create_schema_twice_is_harmless(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 's.db'}")
    create_schema(engine)
    create_schema(engine)
    assert set(TABLE_ORDER) <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_refuses_to_overwrite_a_database_that_has_customers(tmp_path):
    path = build(tmp_path, "a.db")
    before = checksum(path)
    with pytest.raises(BankExists) as err:
        generate_bank(f"sqlite:///{path}", customers=SMALL, seed=9, today=TODAY)
    assert err.value.counts["customers"] == SMALL
    assert checksum(path) == before


def test_force_drops_and_recreates_every_table(tmp_path):
    path = build(tmp_path, "a.db")
    url = f"sqlite:///{path}"
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(
            "INSERT INTO audit_log (staff_id, at, intent) VALUES ('rm01', '2026-11-01 09:00:00.000000', 'greet')"
        )
    generate_bank(url, customers=SMALL, seed=5, today=TODAY, force=True)
    with closing(sqlite3.connect(path)) as conn, conn:
        assert conn.execute("SELECT COUNT(*) FROM audit_log").fetchone() == (0,)
    assert checksum(path) == checksum(build(tmp_path, "b.db"))


def test_rows_read_back_through_the_orm_with_proper_types(tmp_path):
    engine = make_engine(f"sqlite:///{build(tmp_path, 'a.db')}")
    with engine.connect() as conn:
        customer = conn.execute(select(Customer).where(Customer.id == 1)).one()
        txn = conn.execute(select(Transaction).limit(1)).one()
        contact = conn.execute(select(Contact).limit(1)).one()
        holding = conn.execute(select(Holding).where(Holding.maturity_date.is_not(None)).limit(1)).one()
    engine.dispose()
    assert isinstance(customer.birth_date, date) and isinstance(customer.has_children, bool)
    assert txn.occurred_at.year >= 2025 and isinstance(txn.other_bank, bool)
    assert contact.contacted_at.hour >= 9 and isinstance(holding.maturity_date, date)


def test_every_reference_points_at_an_existing_row(tmp_path):
    with closing(sqlite3.connect(build(tmp_path, "a.db"))) as conn:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_cli_generates_and_prints_a_summary(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'c.db'}"
    code = main(["--customers", "120", "--seed", "3", "--today", "2026-11-18", "--db", url, "--quiet"])
    out = capsys.readouterr().out
    assert code == 0 and "客户 120" in out and "用时" in out


def test_cli_refuses_an_existing_bank_without_force_and_replaces_it_with_force(tmp_path, capsys):
    args = ["--customers", "120", "--today", "2026-11-18", "--db", f"sqlite:///{tmp_path / 'c.db'}", "--quiet"]
    assert main(args) == 0
    assert main(args) == 1
    assert "--force" in capsys.readouterr().err
    assert main(args + ["--force"]) == 0


def test_cli_rejects_bad_arguments(tmp_path):
    db = ["--db", f"sqlite:///{tmp_path / 'c.db'}"]
    assert main(["--customers", "10"] + db) == 2
    assert main(["--today", "22/11/2026"] + db) == 2
    assert not (tmp_path / "c.db").exists()


def test_cli_takes_today_from_the_clock_by_default(tmp_path, monkeypatch):
    monkeypatch.setenv("BOT_TODAY", "2026-06-15")
    path = tmp_path / "c.db"
    assert main(["--customers", "100", "--db", f"sqlite:///{path}", "--quiet"]) == 0
    with closing(sqlite3.connect(path)) as conn, conn:
        assert conn.execute("SELECT MAX(month) FROM aum_snapshots").fetchone() == ("2026-06-01",)


def test_loads_while_another_connection_holds_the_database_open(tmp_path):
    path = build(tmp_path, "a.db")
    with closing(sqlite3.connect(path)) as reader:
        reader.execute("SELECT COUNT(*) FROM customers").fetchone()
        generate_bank(f"sqlite:///{path}", customers=SMALL, seed=5, today=TODAY, force=True)
    assert checksum(path) == checksum(build(tmp_path, "b.db"))
