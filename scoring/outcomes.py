"""The churn label: what happened in the HORIZON_DAYS after an as-of date.

churned = the account closed within the horizon, or AUM fell to half or less of its as-of level at a month end
within the horizon (snapshot rows hold month-end figures). The as-of level is the figure the features use: the
latest month end before as_of. Customers below MIN_BASE_FEN at as_of can only churn by closing: on a few
thousand yuan, halving is noise.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np
from sqlalchemy import select

from bot.store.models import AumSnapshot, Customer
from scoring.features import month_start

HORIZON_DAYS = 90
DROP_SHARE = 0.5
MIN_BASE_FEN = 5_000 * 100


def churn_labels(conn: Any, as_of: date, ids: np.ndarray, aum_now_fen: np.ndarray) -> np.ndarray:
    """1/0 per id (aligned with `ids`, ascending) for churn within HORIZON_DAYS after `as_of`."""
    end = as_of + timedelta(days=HORIZON_DAYS)
    ids = np.asarray(ids, dtype=np.int64)
    y = np.zeros(len(ids), dtype=np.int64)
    if len(ids) == 0:
        return y
    lo, hi = int(ids[0]), int(ids[-1])
    closed = conn.execute(
        select(Customer.id).where(Customer.id.between(lo, hi), Customer.closed_on >= as_of, Customer.closed_on < end)
    ).all()
    y[np.isin(ids, [r[0] for r in closed])] = 1

    rows = conn.execute(
        select(AumSnapshot.customer_id, AumSnapshot.aum_fen).where(
            AumSnapshot.customer_id.between(lo, hi),
            AumSnapshot.month >= month_start(as_of),  # its month end is on or after as_of
            AumSnapshot.month < month_start(end + timedelta(days=1)),  # its month end is on or before `end`
        )
    ).all()
    if rows:
        cid = np.array([r[0] for r in rows], dtype=np.int64)
        val = np.array([r[1] for r in rows], dtype=np.float64)
        order = np.argsort(cid, kind="stable")
        cid, val = cid[order], val[order]
        starts = np.flatnonzero(np.r_[True, cid[1:] != cid[:-1]])
        lowest = np.minimum.reduceat(val, starts)
        pos = np.searchsorted(ids, cid[starts])
        pos_ok = (pos < len(ids)) & (ids[np.minimum(pos, len(ids) - 1)] == cid[starts])
        base = np.asarray(aum_now_fen, dtype=np.float64)[pos[pos_ok]]
        fell = (base >= MIN_BASE_FEN) & (lowest[pos_ok] <= DROP_SHARE * base)
        y[pos[pos_ok][fell]] = 1
    return y
