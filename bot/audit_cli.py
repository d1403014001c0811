"""`python -m bot audit --staff rm01 --date 2026-11-22`: who looked at which customer, when and why.

Reads the audit log every customer lookup writes (bot.store.audit). Without --staff: everybody; without
--date: today (the real date in Asia/Shanghai; audit entries carry the wall-clock time even when
BOT_TODAY fixes the assistant's "today"). `--format csv` or `json` for an auditor's spreadsheet or tools.
Exit status: 0 (also when nothing was found), 2 bad arguments.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from datetime import date
from typing import TextIO

from bot import clock
from bot.store.audit import lookups
from bot.store.db import db_url, session_scope
from bot.store.scope import names_of

COLUMNS = ("时间", "员工", "客户编号", "客户", "意图", "渠道")
FIELDS = ("at", "staff_id", "customer_id", "customer_name", "intent", "channel")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bot audit", description="查询客户查看审计记录")
    p.add_argument("--staff", help="员工编号，如 rm01（默认所有人）")
    p.add_argument("--date", type=clock.day_argument, help="日期 YYYY-MM-DD（默认今天）")
    p.add_argument("--db", help="数据库 URL，默认 BOT_DB_URL 或 sqlite:///var/demo.db")
    p.add_argument("--format", choices=("text", "csv", "json"), default="text", help="输出格式，默认 text")
    p.add_argument("--limit", type=int, default=0, help="最多显示多少条（0 为不限）")
    return p


def audit_rows(url: str, staff_id: str | None, on: date, limit: int = 0) -> list[dict]:
    """Audit entries (newest first) with the customer's name, as plain dicts."""
    with session_scope(url) as session:
        entries = lookups(session, staff_id, on)
        if limit > 0:
            entries = entries[:limit]
        names = names_of(session, sorted({e.customer_id for e in entries if e.customer_id is not None}))
        return [
            {
                "at": e.at.isoformat(sep=" ", timespec="seconds"),
                "staff_id": e.staff_id,
                "customer_id": e.customer_id,
                "customer_name": names.get(e.customer_id, ("", ""))[0] if e.customer_id is not None else "",
                "intent": e.intent,
                "channel": e.channel or "",
            }
            for e in entries
        ]


def render(rows: list[dict], fmt: str, out: TextIO) -> None:
    if fmt == "json":
        json.dump(rows, out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif fmt == "csv":
        writer = csv.writer(out)
        writer.writerow(FIELDS)
        for row in rows:
            writer.writerow([row[f] if row[f] is not None else "" for f in FIELDS])
    else:
        out.write("  ".join(COLUMNS) + "\n")
        for row in rows:
            cells = [
                row["at"],
                row["staff_id"],
                "" if row["customer_id"] is None else str(row["customer_id"]),
                row["customer_name"] or "-",
                row["intent"],
                row["channel"] or "-",
            ]
            out.write("  ".join(cells) + "\n")


def main(argv: list[str]) -> int:
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    on = args.date or clock.now().date()
    rows = audit_rows(args.db or db_url(), args.staff, on, args.limit)
    render(rows, args.format, sys.stdout)
    if args.format == "text":
        who = args.staff or "所有员工"
        print(f"{who} 在 {on.isoformat()} 共 {len(rows)} 条查看记录。", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
