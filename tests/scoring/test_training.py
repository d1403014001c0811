from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from scoring.outcomes import churn_labels
from scoring.training import NotEnoughHistory, history_range, snapshot_dates, time_split
from tests.scoring import builders as b

AS_OF = date(2026, 6, 1)


def labels_for(session, customers, base_wan):
    ids = np.array([c.id for c in customers])
    return churn_labels(session, AS_OF, ids, np.array(base_wan) * b.WAN).tolist()


def test_label_is_churn_when_assets_halve_within_ninety_days(session):
    b.bank(session)
    halved, dipped, late, closed, small = (b.customer(session, n) for n in ("减半", "小降", "晚降", "销户", "小户"))
    for month, wan in [(6, 50), (7, 20), (8, 40)]:  # June's month end is the first inside the window
        b.snapshot(session, halved, date(2026, month, 1), wan)
    for month, wan in [(6, 90), (7, 60), (8, 70)]:
        b.snapshot(session, dipped, date(2026, month, 1), wan)
    for month, wan in [(6, 100), (7, 100), (8, 100), (9, 10)]:  # September's month end is after day 90
        b.snapshot(session, late, date(2026, month, 1), wan)
    closed.closed_on = AS_OF + timedelta(days=60)
    b.snapshot(session, small, date(2026, 7, 1), 0.01)
    session.flush()
    assert labels_for(session, [halved, dipped, late, closed, small], [100, 100, 100, 100, 0.4]) == [1, 0, 0, 1, 0]


def test_snapshot_dates_leave_a_full_label_window_and_history():
    first, last = date(2025, 11, 30), date(2026, 10, 31)  # first and last complete month end
    dates = snapshot_dates(first, last, step_days=14)
    assert dates[-1] == last - timedelta(days=90)
    assert dates[0] >= first + timedelta(days=91)
    assert all((b_ - a_).days == 14 for a_, b_ in zip(dates, dates[1:]))


def test_history_range_stops_at_the_last_complete_month(session):
    b.bank(session)
    c = b.customer(session)
    for month in (date(2025, 11, 1), date(2026, 5, 1), date(2026, 11, 1)):
        b.snapshot(session, c, month, 10)
    assert history_range(session) == (date(2025, 11, 30), date(2026, 10, 31))


def test_time_split_tests_on_the_newest_and_trains_only_on_closed_label_windows():
    dates = [date(2026, 3, 1) + timedelta(days=14 * k) for k in range(12)]
    split = time_split(dates, horizon=90)
    parts = [set(split.fit), set(split.calibrate), {split.test}]
    assert split.test == max(dates)
    assert all(not (p & q) for i, p in enumerate(parts) for q in parts[i + 1 :])  # no as-of in two parts
    assert max(split.fit) < min(split.calibrate)  # calibration is later than fitting
    assert all(d + timedelta(days=90) <= split.test for d in split.fit + split.calibrate)
    assert split.gap_days >= 90


def test_too_little_history_is_refused():
    with pytest.raises(NotEnoughHistory):
        time_split([date(2026, 3, 1), date(2026, 3, 15)])
