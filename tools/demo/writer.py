"""Bulk insert of generated rows: executemany on SQLite, COPY on PostgreSQL, one transaction per batch.

Rows arrive as tuples of str / int / bool / None in `generator.COLUMNS` order, with dates already
rendered as text. Loading bypasses the ORM: at a million customers it is the difference between
minutes and hours.
"""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Iterable
from typing import Protocol

from sqlalchemy.engine import Engine

from tools.demo.generator import EXPLICIT_IDS, TABLE_ORDER, TableRows


class BulkWriter(Protocol):
    def write(self, batch: Iterable[TableRows]) -> None:
        """Insert every table of the batch in one transaction."""

    def finish(self) -> None:
        """Restore normal settings, refresh planner statistics, release the connection."""


def open_writer(engine: Engine) -> BulkWriter:
    if engine.dialect.name == "sqlite":
        return SqliteWriter(engine)
    if engine.dialect.name == "postgresql":
        return PostgresWriter(engine)
    raise ValueError(f"unsupported database: {engine.dialect.name}")


class SqliteWriter:
    def __init__(self, engine: Engine) -> None:
        self._raw = engine.raw_connection()
        cur = self._raw.cursor()
        # Safe to relax while loading a demo: a crash means regenerating, not losing data.
        for pragma in ("synchronous=OFF", "foreign_keys=OFF", "cache_size=-262144", "temp_store=MEMORY"):
            cur.execute(f"PRAGMA {pragma}")
        # A rollback journal in memory loads about three times faster than WAL; WAL comes back at the end.
        # Leaving WAL needs the only open connection, so with another one open we stay in WAL.
        try:
            cur.execute("PRAGMA journal_mode=MEMORY")
        except sqlite3.OperationalError:
            pass
        cur.close()

    def write(self, batch: Iterable[TableRows]) -> None:
        cur = self._raw.cursor()
        try:
            for part in batch:
                if part.rows:
                    marks = ",".join("?" * len(part.columns))
                    cur.executemany(f"INSERT INTO {part.table} ({','.join(part.columns)}) VALUES ({marks})", part.rows)
            self._raw.commit()
        except BaseException:
            self._raw.rollback()
            raise
        finally:
            cur.close()

    def finish(self) -> None:
        cur = self._raw.cursor()
        try:
            cur.execute("PRAGMA analysis_limit=1000")
            cur.execute("ANALYZE")
            self._raw.commit()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
        finally:
            cur.close()
            self._raw.close()


def _copy_value(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return str(value)


def copy_text(rows: list[tuple]) -> str:
    """Rows in PostgreSQL COPY text format."""
    return "".join("\t".join(map(_copy_value, row)) + "\n" for row in rows)


class PostgresWriter:
    def __init__(self, engine: Engine) -> None:
        self._raw = engine.raw_connection()

    def write(self, batch: Iterable[TableRows]) -> None:
        cur = self._raw.cursor()
        try:
            for part in batch:
                if part.rows:
                    sql = f"COPY {part.table} ({','.join(part.columns)}) FROM STDIN"
                    cur.copy_expert(sql, io.StringIO(copy_text(part.rows)))
            self._raw.commit()
        except BaseException:
            self._raw.rollback()
            raise
        finally:
            cur.close()

    def finish(self) -> None:
        cur = self._raw.cursor()
        try:
            # Ids were given explicitly: move the sequences past them so later inserts get fresh ids.
            for table in EXPLICIT_IDS:
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                )
            self._raw.commit()
            cur.execute("ANALYZE " + ", ".join(TABLE_ORDER))
            self._raw.commit()
        finally:
            cur.close()
            self._raw.close()
