"""Engine and sessions for the customer store. The URL comes from `BOT_DB_URL`."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.store.models import Base

DEFAULT_URL = "sqlite:///var/demo.db"


def db_url() -> str:
    return os.environ.get("BOT_DB_URL") or DEFAULT_URL


def make_engine(url: str | None = None) -> Engine:
    url = url or db_url()
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, future=True, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # Pool sized for the action server's thread pool; pre-ping survives a database restart.
    return create_engine(url, future=True, pool_size=10, max_overflow=10, pool_pre_ping=True, pool_recycle=1800)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    """One engine (and pool) per URL per process."""
    return make_engine(url)


def create_schema(engine: Engine) -> None:
    """Idempotent: creates missing tables and indexes, leaves existing ones alone."""
    Base.metadata.create_all(engine)


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A session per unit of work: commit on success, roll back on error, always close."""
    factory = sessionmaker(engine_for(url or db_url()), future=True, expire_on_commit=False)
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
