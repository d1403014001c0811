"""`python -m bot audit --staff rm01 --date 2026-11-22`: every lookup, queryable by staff and day."""

from __future__ import annotations

import json
from datetime import datetime

from bot.audit_cli import main
from bot.store.db import session_scope
from bot.store.models import AuditEntry
from tests import factories as f


def test_audit_lists_one_staff_members_lookups_of_one_day_newest_first(fresh_pg_url, capsys):
    with session_scope(fresh_pg_url) as s:
        f.branch(s)
        f.staff(s, "rm01", "李明")
        f.staff(s, "rm02", "张丽")
        wang = f.customer(s, "王秀英", "rm01")
        chen = f.customer(s, "陈建国", "rm01")
        s.add_all(
            [
                AuditEntry(
                    staff_id="rm01",
                    at=datetime(2026, 11, 22, 9, 5),
                    customer_id=wang.id,
                    intent="customer_profile",
                    channel="wecom",
                ),
                AuditEntry(
                    staff_id="rm01",
                    at=datetime(2026, 11, 22, 16, 40),
                    customer_id=chen.id,
                    intent="explain_risk",
                    channel="counter",
                ),
                AuditEntry(
                    staff_id="rm01",
                    at=datetime(2026, 11, 21, 23, 59),
                    customer_id=chen.id,
                    intent="customer_profile",
                    channel="wecom",
                ),
                AuditEntry(
                    staff_id="rm02",
                    at=datetime(2026, 11, 22, 10, 0),
                    customer_id=wang.id,
                    intent="customer_profile",
                    channel="wecom",
                ),
                AuditEntry(
                    staff_id="rm01",
                    at=datetime(2026, 11, 22, 12, 0),
                    customer_id=None,
                    intent="branch_overview",
                    channel="wecom",
                ),
            ]
        )

    assert main(["--staff", "rm01", "--date", "2026-11-22", "--db", fresh_pg_url, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["at"], r["customer_name"], r["intent"], r["channel"]) for r in rows] == [
        ("2026-11-22 16:40:00", "陈建国", "explain_risk", "counter"),
        ("2026-11-22 12:00:00", "", "branch_overview", "wecom"),
        ("2026-11-22 09:05:00", "王秀英", "customer_profile", "wecom"),
    ]


def test_audit_text_output_has_a_header_and_a_count(fresh_pg_url, capsys):
    with session_scope(fresh_pg_url) as s:
        f.branch(s)
        f.staff(s, "rm01", "李明")
        wang = f.customer(s, "王秀英", "rm01")
        s.add(
            AuditEntry(
                staff_id="rm01",
                at=datetime(2026, 11, 22, 9, 5),
                customer_id=wang.id,
                intent="customer_profile",
                channel="wecom",
            )
        )

    assert main(["--staff", "rm01", "--date", "2026-11-22", "--db", fresh_pg_url]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0].split() == ["时间", "员工", "客户编号", "客户", "意图", "渠道"]
    assert "王秀英" in out and "customer_profile" in out
    assert "共 1 条" in err


def test_audit_refuses_a_malformed_date(capsys):
    assert main(["--date", "22/11/2026"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
