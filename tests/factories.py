"""Explicit, tiny data builders for tests: every row a test relies on is visible in the test."""

from __future__ import annotations

from datetime import date, datetime
from itertools import count

from sqlalchemy.orm import Session

from bot.store.models import Branch, Contact, Customer, Holding, Product, Staff
from bot.tiers import WAN, tier_for

_ids = count(1)


def branch(s: Session, id: int = 1, name: str = "城东支行") -> Branch:
    b = Branch(id=id, code=f"B{id:03d}", name=name, city="杭州")
    s.add(b)
    s.flush()
    return b


def staff(s: Session, id: str, name: str, role: str = "rm", branch_id: int = 1, wecom: str | None = None) -> Staff:
    st = Staff(id=id, name=name, role=role, branch_id=branch_id, wecom_userid=wecom, active=True)
    s.add(st)
    s.flush()
    return st


def customer(
    s: Session,
    name: str,
    rm_id: str | None,
    branch_id: int = 1,
    gender: str = "F",
    aum_wan: float = 30,
    phone: str | None = None,
    birth: date = date(1975, 5, 6),
    risk_rating: str | None = "C3",
    rated_on: date | None = date(2026, 3, 2),
) -> Customer:
    n = next(_ids)
    aum = int(aum_wan * WAN)
    c = Customer(
        cust_no=f"C{n:08d}",
        name=name,
        gender=gender,
        birth_date=birth,
        phone=phone or f"1380000{n:04d}",
        id_number=f"33010619750506{n:04d}",
        occupation="企业主",
        tier=tier_for(aum),
        value_class="MGC",
        lifecycle_stage="mature",
        risk_rating=risk_rating,
        risk_rated_on=rated_on,
        has_children=False,
        rm_id=rm_id,
        branch_id=branch_id,
        opened_on=date(2015, 3, 1),
        aum_fen=aum,
        demand_deposit_fen=aum // 5,
    )
    s.add(c)
    s.flush()
    return c


def product(
    s: Session, type: str = "wealth", name: str = "稳享6个月", term_days: int = 182, risk_level: str = "R2"
) -> Product:
    n = next(_ids)
    p = Product(
        code=f"P{n:05d}", type=type, name=name, term_days=term_days, expected_yield_bp=300, risk_level=risk_level
    )
    s.add(p)
    s.flush()
    return p


def holding(
    s: Session, customer: Customer, product: Product, amount_wan: float, maturity: date | None, status: str = "active"
) -> Holding:
    amount = int(amount_wan * WAN)
    h = Holding(
        customer_id=customer.id,
        product_id=product.id,
        amount_fen=amount,
        current_value_fen=amount,
        buy_date=date(2026, 5, 1),
        maturity_date=maturity,
        status=status,
    )
    s.add(h)
    s.flush()
    return h


def contact(s: Session, staff_id: str, customer: Customer, when: datetime, channel: str = "phone") -> Contact:
    c = Contact(staff_id=staff_id, customer_id=customer.id, contacted_at=when, channel=channel, outcome="reached")
    s.add(c)
    s.flush()
    return c
