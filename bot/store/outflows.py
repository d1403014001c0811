"""Large outgoing money movements in the asker's scope (大额资金流出 / 他行转出)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from bot.store.models import Customer, Transaction
from bot.store.scope import visible
from bot.store.staff_directory import StaffMember
from bot.store.values import as_date


@dataclass(frozen=True)
class OutflowLine:
    customer_id: int
    customer_name: str
    tier: str
    total_out_fen: int
    to_other_bank_fen: int
    transfers: int
    last_on: date


def large_outflows(
    session: Session,
    staff: StaffMember,
    start: date,
    end: date,
    min_total_fen: int,
    other_bank_only: bool = False,
    limit: int = 200,
) -> list[OutflowLine]:
    """Per client: money out between start and end (inclusive), when the sum reaches min_total_fen; largest first."""
    other = case((Transaction.other_bank.is_(True), Transaction.amount_fen), else_=0)
    conds = [
        visible(staff),
        Transaction.direction == "out",
        Transaction.purpose != "spending",  # card spending is daily life, not a fund movement
        Transaction.occurred_at >= datetime.combine(start, datetime.min.time()),
        Transaction.occurred_at < datetime.combine(end + timedelta(days=1), datetime.min.time()),
    ]
    if other_bank_only:
        conds.append(Transaction.other_bank.is_(True))
    total = func.sum(Transaction.amount_fen)
    rows = session.execute(
        select(
            Customer.id,
            Customer.name,
            Customer.tier,
            total.label("total"),
            func.sum(other).label("other"),
            func.count(Transaction.id).label("n"),
            func.max(Transaction.occurred_at).label("last"),
        )
        .join(Customer, Customer.id == Transaction.customer_id)
        .where(*conds)
        .group_by(Customer.id, Customer.name, Customer.tier)
        .having(total >= min_total_fen)
        .order_by(total.desc(), Customer.id)
        .limit(limit)
    ).all()
    return [OutflowLine(r.id, r.name, r.tier, int(r.total), int(r.other or 0), int(r.n), as_date(r.last)) for r in rows]
