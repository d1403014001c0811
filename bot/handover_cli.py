"""`python -m bot handover --db URL --from rm03 --to rm05 [--customers 12,15] [--by bh01]`: move an RM's book.

The whole open book of --from, or only --customers (ids or customer numbers), goes to --to, an RM of the same
branch. --by names the branch head doing it (checked: a branch head of that branch); without it the operator
acts for the branch of --from and is recorded as "operator". All or nothing; every client moved gets a
handover row and an audit entry. Exit status: 0 done, 1 refused, 2 bad arguments.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

from sqlalchemy import or_, select

from bot import clock
from bot.store.db import db_url, session_scope
from bot.store.handover import HandoverRefused, hand_over
from bot.store.models import Customer, Staff
from bot.store.staff_directory import StaffMember, staff_by_id

OPERATOR = "operator"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bot handover", description="把客户经理名下的客户移交给另一位客户经理")
    p.add_argument("--from", dest="from_rm", required=True, help="转出的客户经理，如 rm03")
    p.add_argument("--to", dest="to_rm", required=True, help="接收的客户经理，如 rm05（须同一网点）")
    p.add_argument("--customers", nargs="*", help="只移交这些客户（客户 id 或客户号，空格或逗号分隔）；默认全部")
    p.add_argument("--by", help="办理的网点负责人，如 bh01（默认记为 operator）")
    p.add_argument("--db", help="数据库 URL，默认 BOT_DB_URL 或 sqlite:///var/demo.db")
    return p


def _customer_ids(session, refs: list[str]) -> list[int]:
    wanted = [r.strip() for ref in refs for r in ref.split(",") if r.strip()]
    numbers = [int(r) for r in wanted if r.isdigit()]
    rows = session.execute(
        select(Customer.id, Customer.cust_no).where(or_(Customer.cust_no.in_(wanted), Customer.id.in_(numbers)))
    ).all()
    by_ref = {str(r.id): r.id for r in rows} | {r.cust_no: r.id for r in rows}
    missing = [r for r in wanted if r not in by_ref]
    if missing:
        raise HandoverRefused("not_in_book", ",".join(missing))
    return sorted({by_ref[r] for r in wanted})


def main(argv: list[str], out=sys.stdout) -> int:
    args = parser().parse_args(argv)
    with session_scope(args.db or db_url()) as session:
        if args.by:
            by = staff_by_id(session, args.by)
            if by is None or by.role != "branch_head":
                print(f"{args.by} 不是在职的网点负责人", file=sys.stderr)
                return 1
        else:
            source = session.get(Staff, args.from_rm)
            if source is None:
                print(f"没有客户经理 {args.from_rm}", file=sys.stderr)
                return 1
            by = StaffMember(OPERATOR, "运维", "branch_head", source.branch_id)
        try:
            ids = _customer_ids(session, args.customers) if args.customers else None
            at = datetime.combine(clock.today(), clock.now().time())
            done = hand_over(session, by, args.from_rm, args.to_rm, ids, at, "cli")
        except HandoverRefused as refused:
            session.rollback()
            print(f"未移交（{refused}）", file=sys.stderr)
            return 1
    plan = done.plan
    print(
        f"已移交 {done.moved} 位客户：{plan.from_rm} {plan.from_name} → {plan.to_rm} {plan.to_name}（批次 {done.batch}）",
        file=out,
    )
    return 0
