"""Calendar arithmetic for the generator: dates as integer ordinals, rendered in bulk.

The generator works on `date.toordinal()` integers in numpy arrays and turns them into the
text SQLAlchemy itself writes to SQLite ('YYYY-MM-DD', 'YYYY-MM-DD HH:MM:SS.ffffff'), which
PostgreSQL's COPY also accepts. Rendering goes through lookup tables, so a million rows cost
one fancy-indexing pass instead of a million strftime calls.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import numpy as np

FIRST_DAY = date(1930, 1, 1).toordinal()
LAST_DAY = date(2100, 12, 31).toordinal()


@lru_cache(maxsize=1)
def _date_table() -> np.ndarray:
    days = [date.fromordinal(o).isoformat() for o in range(FIRST_DAY, LAST_DAY + 1)]
    return np.array(days, dtype=object)


@lru_cache(maxsize=1)
def _minute_table() -> np.ndarray:
    return np.array([f" {m // 60:02d}:{m % 60:02d}:00.000000" for m in range(24 * 60)], dtype=object)


def date_texts(ordinals: np.ndarray) -> np.ndarray:
    """'YYYY-MM-DD' for each ordinal (object array)."""
    return _date_table()[np.asarray(ordinals, dtype=np.int64) - FIRST_DAY]


def datetime_texts(ordinals: np.ndarray, minutes: np.ndarray) -> np.ndarray:
    """'YYYY-MM-DD HH:MM:00.000000' for each ordinal and minute of the day."""
    return date_texts(ordinals) + _minute_table()[np.asarray(minutes, dtype=np.int64)]


def month_start(d: date) -> date:
    return d.replace(day=1)


def add_months(d: date, months: int) -> date:
    """First day of the month `months` away from d's month."""
    index = d.year * 12 + d.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(first: date) -> date:
    return add_months(first, 1) - timedelta(days=1)


def snapshot_months(today: date, back: int = 12) -> list[date]:
    """First-of-month dates: `back` months before today's month, then today's month."""
    current = month_start(today)
    return [add_months(current, k) for k in range(-back, 1)]


def quarter_ends(start: date, end: date) -> list[date]:
    """Quarter-end dates (3-31, 6-30, 9-30, 12-31) in [start, end]."""
    out = []
    for year in range(start.year, end.year + 1):
        for month, day in ((3, 31), (6, 30), (9, 30), (12, 31)):
            d = date(year, month, day)
            if start <= d <= end:
                out.append(d)
    return out


def week_of(d: date) -> tuple[date, date]:
    """Monday and Sunday of d's week."""
    monday = d - timedelta(days=d.weekday())
    return monday, monday + timedelta(days=6)


def birthday_in(year: int, month: int, day: int) -> date:
    """A birthday in `year`; 29 February falls on the 28th in common years."""
    try:
        return date(year, month, day)
    except ValueError:
        return date(year, month, day - 1)
