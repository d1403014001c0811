"""Holdings maturing in a date range, for the customers a staff member may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.pages import PAGE_SIZE, Page
from bot.store.models import Customer, Holding, Product
from bot.store.scope import visible
from bot.store.staff_directory import StaffMember


@dataclass(frozen=True)
class MaturingFilter:
    start: date
    end: date  # inclusive
    product_types: tuple[str, ...] = ()
    min_fen: int | None = None
    max_fen: int | None = None  # inclusive


@dataclass(frozen=True)
class MaturingHolding:
    holding_id: int
    customer_id: int
    customer_name: str
    tier: str
    product_name: str
    product_type: str
    amount_fen: int
    maturity_date: date


@dataclass(frozen=True)
class MaturingPage(Page[MaturingHolding]):
    total_amount_fen: int = 0  # of the whole list, not only this page


def _conditions(staff: StaffMember, f: MaturingFilter) -> list:
    conds = [
        visible(staff),
        Holding.maturity_date >= f.start,
        Holding.maturity_date <= f.end,
        Holding.status != "redeemed",
    ]
    if f.product_types:
        conds.append(Product.type.in_(f.product_types))
    if f.min_fen is not None:
        conds.append(Holding.amount_fen >= f.min_fen)
    if f.max_fen is not None:
        conds.append(Holding.amount_fen <= f.max_fen)
    return conds


def maturing_holdings(
    session: Session, staff: StaffMember, f: MaturingFilter, offset: int = 0, limit: int = PAGE_SIZE
) -> MaturingPage:
    """Ordered by maturity date, then larger amounts first; one page plus the totals."""
    joined = (
        select(Holding, Customer, Product)
        .join(Customer, Customer.id == Holding.customer_id)
        .join(Product, Product.id == Holding.product_id)
    )
    conds = _conditions(staff, f)
    total, total_amount = session.execute(
        select(func.count(Holding.id), func.coalesce(func.sum(Holding.amount_fen), 0))
        .select_from(Holding)
        .join(Customer, Customer.id == Holding.customer_id)
        .join(Product, Product.id == Holding.product_id)
        .where(*conds)
    ).one()
    rows = session.execute(
        joined.where(*conds)
        .order_by(Holding.maturity_date, Holding.amount_fen.desc(), Holding.id)
        .offset(offset)
        .limit(limit)
    ).all()
    items = tuple(
        MaturingHolding(
            holding_id=h.id,
            customer_id=c.id,
            customer_name=c.name,
            tier=c.tier,
            product_name=p.name,
            product_type=p.type,
            amount_fen=h.amount_fen,
            maturity_date=h.maturity_date,
        )
        for h, c, p in rows
    )
    return MaturingPage(items=items, offset=offset, total=int(total), total_amount_fen=int(total_amount))
