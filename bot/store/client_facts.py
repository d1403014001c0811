"""Facts about one client beyond the card: maturities in a period, money moved out and where to, open
complaints. Callers check visibility first (bot.store.scope, through bot/lookup.py); these only read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.store.models import Complaint, Holding, Product, Transaction
from bot.store.profile import HoldingLine

MAX_LINES = 5


@dataclass(frozen=True)
class MoneyOut:
    total_fen: int
    transfers: int
    by_destination: tuple[tuple[str | None, int], ...]  # (other bank's name, fen), None: within the bank; largest first


@dataclass(frozen=True)
class OpenComplaint:
    filed_on: date
    category: str


def maturing_of(session: Session, customer_id: int, start: date, end: date) -> tuple[tuple[HoldingLine, ...], int]:
    """The client's holdings maturing between start and end (inclusive), soonest first (at most MAX_LINES),
    and how many there are."""
    conds = [
        Holding.customer_id == customer_id,
        Holding.status != "redeemed",
        Holding.maturity_date >= start,
        Holding.maturity_date <= end,
    ]
    rows = session.execute(
        select(Holding, Product)
        .join(Product, Product.id == Holding.product_id)
        .where(*conds)
        .order_by(Holding.maturity_date, Holding.amount_fen.desc(), Holding.id)
        .limit(MAX_LINES)
    ).all()
    count = session.execute(select(func.count(Holding.id)).where(*conds)).scalar_one()
    lines = tuple(HoldingLine(p.name, p.type, h.amount_fen, h.current_value_fen, h.maturity_date) for h, p in rows)
    return lines, int(count)


def money_out_of(session: Session, customer_id: int, start: date, end: date) -> MoneyOut:
    """Money the client moved out between start and end (inclusive), by destination; card spending left out,
    as in the book-wide list (bot/store/outflows.py)."""
    destination = func.coalesce(Transaction.counterparty, "")
    rows = session.execute(
        select(
            Transaction.other_bank,
            destination.label("to"),
            func.sum(Transaction.amount_fen).label("fen"),
            func.count(Transaction.id).label("n"),
        )
        .where(
            Transaction.customer_id == customer_id,
            Transaction.direction == "out",
            Transaction.purpose != "spending",
            Transaction.occurred_at >= datetime.combine(start, datetime.min.time()),
            Transaction.occurred_at < datetime.combine(end + timedelta(days=1), datetime.min.time()),
        )
        .group_by(Transaction.other_bank, destination)
    ).all()
    by_place: dict[str | None, int] = {}
    for r in rows:
        place = (r.to or "他行") if r.other_bank else None
        by_place[place] = by_place.get(place, 0) + int(r.fen)
    ranked = tuple(sorted(by_place.items(), key=lambda kv: (-kv[1], kv[0] or "")))
    return MoneyOut(sum(by_place.values()), sum(int(r.n) for r in rows), ranked)


def open_complaints_of(session: Session, customer_id: int) -> tuple[OpenComplaint, ...]:
    rows = session.execute(
        select(Complaint.filed_on, Complaint.category)
        .where(Complaint.customer_id == customer_id, Complaint.resolved.is_(False))
        .order_by(Complaint.filed_on.desc(), Complaint.id.desc())
        .limit(MAX_LINES)
    ).all()
    return tuple(OpenComplaint(r.filed_on, r.category) for r in rows)
