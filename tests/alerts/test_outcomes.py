"""What came of each alert, read from the contacts the staff logged after it (python -m bot alerts report)."""

from __future__ import annotations

import json
from datetime import date, datetime

from bot.alerts.cli import main
from bot.alerts.outcomes import alert_outcomes
from bot.store.db import session_scope
from bot.store.models import OutboxMessage
from tests import factories as f

SENT = datetime(2026, 11, 18, 10, 0)


def _alert(s, staff_id: str, kind: str, customer_id: int, sent_at: datetime = SENT) -> None:
    s.add(
        OutboxMessage(
            staff_id=staff_id, kind=kind, subject=f"c{customer_id}:out", day=sent_at.date(), recipient="u",
            content="…", urgent=True, status="sent", attempts=1, not_before=sent_at, created_at=sent_at,
            sent_at=sent_at,
        )
    )  # fmt: skip


def _contact(s, customer, when: datetime, outcome: str) -> None:
    f.contact(s, "rm01", customer, when).outcome = outcome


def _bank(db):
    with session_scope(db) as s:
        f.branch(s, 1)
        f.staff(s, "rm01", "王丽")
        kept, missed, ignored, lost = (f.customer(s, n, "rm01") for n in ("留住", "没接通", "没理", "流失"))
        _alert(s, "rm01", "large_movement", kept.id)
        _contact(s, kept, datetime(2026, 11, 18, 15, 0), "agreed")  # same day: within 1 and 3 days
        _alert(s, "rm01", "large_movement", missed.id)
        _contact(s, missed, datetime(2026, 11, 20, 9, 0), "no_answer")  # day 2: within 3 days, not reached
        _alert(s, "rm01", "other_bank", ignored.id)
        _contact(s, ignored, datetime(2026, 11, 10, 9, 0), "reached")  # before the alert: does not count
        _alert(s, "rm01", "risk_high", lost.id)
        _contact(s, lost, datetime(2026, 11, 18, 11, 0), "declined")
        _alert(s, "rm01", "briefing", kept.id)  # briefings name many clients: not in the report
        _alert(s, "rm01", "risk_high", kept.id, datetime(2026, 10, 1, 9, 0))  # before --since


def test_each_alert_kind_counts_what_was_acted_on_reached_retained_and_lost(db):
    _bank(db)
    with session_scope(db) as s:
        got = {kind: o.as_dict() for kind, o in alert_outcomes(s, date(2026, 11, 1)).items()}
    assert got == {
        "large_movement": {
            "sent": 2,
            "acted_within_1d": 1,
            "acted_within_3d": 2,
            "reached": 1,
            "retained": 1,
            "lost": 0,
        },
        "other_bank": {"sent": 1, "acted_within_1d": 0, "acted_within_3d": 0, "reached": 0, "retained": 0, "lost": 0},
        "risk_high": {"sent": 1, "acted_within_1d": 1, "acted_within_3d": 1, "reached": 1, "retained": 0, "lost": 1},
    }


def test_the_report_command_prints_a_table_and_the_figures_as_its_last_line(db, capsys):
    _bank(db)
    assert main(["report", "--db", db, "--since", "2026-11-01"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[1].startswith("| alert | sent | acted on within 1 day")
    assert any(line.startswith("| large_movement | 2 | 1 (50%) | 2 (100%) | 1 | 1 | 0 |") for line in out)
    assert json.loads(out[-1])["other_bank"]["sent"] == 1
