"""One client's profile card: tier, assets, holdings, last contact."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.store.models import Complaint, Contact, Customer, Holding, Product, Staff


@dataclass(frozen=True)
class HoldingLine:
    product_name: str
    product_type: str
    amount_fen: int
    current_value_fen: int
    maturity_date: date | None


@dataclass(frozen=True)
class LastContact:
    contacted_on: date
    channel: str
    outcome: str
    staff_name: str
    note: str | None


@dataclass(frozen=True)
class CustomerProfile:
    customer_id: int
    name: str
    gender: str
    birth_date: date
    phone: str
    occupation: str
    tier: str
    value_class: str
    lifecycle_stage: str
    risk_rating: str | None  # C1 .. C5
    risk_rated_on: date | None
    aum_fen: int
    demand_deposit_fen: int
    rm_name: str | None
    holdings: tuple[HoldingLine, ...]
    holdings_count: int
    last_contact: LastContact | None
    open_complaints: int
    opened_on: date | None = None  # the day the client opened their account with the bank


def customer_profile(session: Session, customer_id: int, max_holdings: int = 5) -> CustomerProfile | None:
    """Callers check visibility first (bot.store.scope.covers / visible); this only reads."""
    c = session.get(Customer, customer_id)
    if c is None:
        return None
    rm_name = session.execute(select(Staff.name).where(Staff.id == c.rm_id)).scalar_one_or_none() if c.rm_id else None
    active = (
        select(Holding, Product)
        .join(Product, Product.id == Holding.product_id)
        .where(Holding.customer_id == customer_id, Holding.status == "active")
    )
    holdings = [
        HoldingLine(p.name, p.type, h.amount_fen, h.current_value_fen, h.maturity_date)
        for h, p in session.execute(active.order_by(Holding.current_value_fen.desc()).limit(max_holdings))
    ]
    holdings_count = session.execute(
        select(func.count(Holding.id)).where(Holding.customer_id == customer_id, Holding.status == "active")
    ).scalar_one()
    last = session.execute(
        select(Contact, Staff.name)
        .join(Staff, Staff.id == Contact.staff_id)
        .where(Contact.customer_id == customer_id)
        .order_by(Contact.contacted_at.desc(), Contact.id.desc())
        .limit(1)
    ).first()
    last_contact = (
        LastContact(last[0].contacted_at.date(), last[0].channel, last[0].outcome, last[1], last[0].note)
        if last
        else None
    )
    open_complaints = session.execute(
        select(func.count(Complaint.id)).where(Complaint.customer_id == customer_id, Complaint.resolved.is_(False))
    ).scalar_one()
    return CustomerProfile(
        customer_id=c.id,
        name=c.name,
        gender=c.gender,
        birth_date=c.birth_date,
        phone=c.phone,
        occupation=c.occupation,
        tier=c.tier,
        value_class=c.value_class,
        lifecycle_stage=c.lifecycle_stage,
        risk_rating=c.risk_rating,
        risk_rated_on=c.risk_rated_on,
        aum_fen=c.aum_fen,
        demand_deposit_fen=c.demand_deposit_fen,
        rm_name=rm_name,
        holdings=tuple(holdings),
        holdings_count=int(holdings_count),
        last_contact=last_contact,
        open_complaints=int(open_complaints),
        opened_on=c.opened_on,
    )
