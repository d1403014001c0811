"""Hand-made rows for store and playbook tests: a tiny bank built explicitly in each test.

`Bank(session)` adds rows with sensible defaults; every test states the facts it depends on.
`situation(**facts)` builds a ClientSituation directly for the pure playbook tests.
"""

from __future__ import annotations

import itertools
import json
import os
import uuid
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot import tiers
from bot.store.db import create_schema, make_engine
from bot.store.models import (
    AumSnapshot,
    Branch,
    ChurnScore,
    Complaint,
    Contact,
    Customer,
    Holding,
    Product,
    Staff,
    Transaction,
)
from bot.store.situation import (
    Announcement,
    ClientSituation,
    DayMovement,
    LastContact,
    LatestScore,
    MaturingHolding,
    OpenComplaint,
)

WAN = tiers.WAN
TODAY = date(2024, 11, 27)  # a Wednesday


def sqlite_session(tmp_path: Path) -> Session:
    engine = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
    create_schema(engine)
    return Session(engine, future=True)


PG_URL = os.environ.get("TEST_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")


@contextmanager
def pg_schema_engine():
    """An engine on a fresh, uniquely named PostgreSQL schema with the store's tables; dropped after.

    No skip: when PostgreSQL is absent the connection error fails the test.
    """
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, future=True)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine: Engine = create_engine(
        PG_URL, future=True, pool_size=10, max_overflow=10, connect_args={"options": f"-csearch_path={schema}"}
    )
    try:
        create_schema(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


class Bank:
    def __init__(self, session: Session):
        self.s = session
        self._n = itertools.count(1)

    def _add(self, row):
        self.s.add(row)
        self.s.flush()
        return row

    def branch(self, name: str = "西湖支行") -> Branch:
        n = next(self._n)
        return self._add(Branch(code=f"B{n:03d}", name=name, city="杭州"))

    def staff(self, staff_id: str, branch: Branch, role: str = "rm", name: str | None = None, active=True) -> Staff:
        name = name or f"员工{staff_id}"
        return self._add(Staff(id=staff_id, name=name, role=role, branch_id=branch.id, active=active))

    def customer(self, rm: Staff | None, branch: Branch | None = None, **kw) -> Customer:
        n = next(self._n)
        aum = kw.pop("aum_fen", 30 * WAN)
        fields = dict(
            cust_no=f"C{n:08d}",
            name=f"客户{n}",
            gender="F",
            birth_date=date(1980, 5, 17),
            phone=f"138{n:08d}",
            id_number=f"33010619800517{n:04d}",
            occupation="teacher",
            tier=tiers.tier_for(aum),
            value_class="MVC",
            lifecycle_stage="mature",
            risk_rating="C3",
            risk_rated_on=date(2024, 6, 3),
            has_children=False,
            rm_id=rm.id if rm is not None else None,
            branch_id=(branch.id if branch is not None else rm.branch_id),
            opened_on=date(2015, 1, 1),
            aum_fen=aum,
            demand_deposit_fen=kw.pop("demand_deposit_fen", 5 * WAN),
        )
        fields.update(kw)
        return self._add(Customer(**fields))

    def product(self, type: str = "wealth", name: str | None = None, **kw) -> Product:
        n = next(self._n)
        return self._add(
            Product(code=f"P{n:05d}", type=type, name=name or f"产品{n}", risk_level=kw.pop("risk_level", "R2"), **kw)
        )

    def holding(self, customer: Customer, product: Product, amount_fen: int, **kw) -> Holding:
        return self._add(
            Holding(
                customer_id=customer.id,
                product_id=product.id,
                amount_fen=amount_fen,
                current_value_fen=kw.pop("current_value_fen", amount_fen),
                buy_date=kw.pop("buy_date", date(2024, 1, 2)),
                status=kw.pop("status", "active"),
                **kw,
            )
        )

    def txn(self, customer: Customer, on: date | datetime, amount_fen: int, direction: str = "out", **kw):
        at = on if isinstance(on, datetime) else datetime.combine(on, time(10, 30))
        return self._add(
            Transaction(
                customer_id=customer.id,
                occurred_at=at,
                amount_fen=amount_fen,
                direction=direction,
                channel=kw.pop("channel", "online"),
                other_bank=kw.pop("other_bank", False),
                purpose=kw.pop("purpose", "transfer"),
                **kw,
            )
        )

    def contact(self, customer: Customer, staff: Staff, on: date | datetime, **kw) -> Contact:
        at = on if isinstance(on, datetime) else datetime.combine(on, time(15, 0))
        return self._add(
            Contact(
                staff_id=staff.id,
                customer_id=customer.id,
                contacted_at=at,
                channel=kw.pop("channel", "phone"),
                outcome=kw.pop("outcome", "reached"),
                **kw,
            )
        )

    def complaint(self, customer: Customer, filed_on: date, category: str = "fee", **kw) -> Complaint:
        return self._add(Complaint(customer_id=customer.id, filed_on=filed_on, category=category, **kw))

    def score(self, customer: Customer, as_of: date, score: float, churn_type: str = "product", reasons=None, **kw):
        if reasons is None:
            reasons = [{"code": "maturity", "text": "理财下周到期", "contribution": 0.3}]
        return self._add(
            ChurnScore(
                customer_id=customer.id,
                as_of=as_of,
                score=score,
                churn_type=churn_type,
                reasons=reasons if isinstance(reasons, str) else json.dumps(reasons, ensure_ascii=False),
                model_version=kw.pop("model_version", "v1"),
                scored_at=kw.pop("scored_at", datetime.combine(as_of, time(6, 0))),
            )
        )

    def snapshot(self, customer: Customer, month: date, aum_fen: int) -> AumSnapshot:
        return self._add(AumSnapshot(customer_id=customer.id, month=month, aum_fen=aum_fen))


_BASE = ClientSituation(
    customer_id=1,
    name="张伟",
    gender="F",
    age=44,
    birth_date=date(1980, 5, 17),
    occupation="teacher",
    tier="gold",
    value_class="MVC",
    lifecycle_stage="mature",
    aum_fen=30 * WAN,
    aum_90d_ago_fen=30 * WAN,
    demand_deposit_fen=5 * WAN,
    has_children=False,
    active_holding_count=1,
    maturing=(),
    fund_loss_pct=None,
    fund_loss_product=None,
    low_yield_insurance=False,
    low_yield_insurance_product=None,
    open_complaint=None,
    last_contact=LastContact(date(2024, 11, 20), "phone", "reached", None, "rm1"),
    contacted_by_rm=True,
    days_since_contact=7,
    contact_every_days=30,
    outflow_30d_fen=0,
    outflow_30d_other_bank_fen=0,
    inflow_30d_fen=0,
    last_notable_outflow_on=None,
    latest_score=None,
    rm_id="rm1",
    branch_id=1,
    as_of=TODAY,
)


def situation(**facts) -> ClientSituation:
    """A quiet, contacted-last-week gold client unless the test says otherwise.

    Keeps derived fields consistent: days_since_contact follows last_contact, the contact
    frequency follows aum_fen.
    """
    s = replace(_BASE, **facts)
    if "days_since_contact" not in facts:
        s = replace(s, days_since_contact=(s.as_of - s.last_contact.contacted_on).days if s.last_contact else None)
    if "contact_every_days" not in facts:
        s = replace(s, contact_every_days=tiers.band_for(s.aum_fen).contact_every_days)
    return s


__all__ = [
    "Bank",
    "DayMovement",
    "Announcement",
    "LastContact",
    "LatestScore",
    "MaturingHolding",
    "OpenComplaint",
    "PG_URL",
    "TODAY",
    "WAN",
    "pg_schema_engine",
    "situation",
    "sqlite_session",
]
