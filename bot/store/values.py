"""Values as the database hands them back: SQLite returns aggregates over DATE/DATETIME columns (max, min,
date()) as text, PostgreSQL as dates. Every query that reads such an aggregate converts it here."""

from __future__ import annotations

from datetime import date, datetime, time


def as_date(value: datetime | date | str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return datetime.fromisoformat(str(value)).date()


def as_date_or_none(value: datetime | date | str | None) -> date | None:
    return None if value is None else as_date(value)


def as_datetime(value: datetime | date | str) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time.min)
    return datetime.fromisoformat(str(value))
