"""Explicit row builders for scorer tests: every row a test relies on is written in the test itself."""

from __future__ import annotations

from datetime import date, datetime, time
from itertools import count

import numpy as np
from sqlalchemy.orm import Session

from bot.store.models import (
    AumSnapshot,
    Branch,
    Complaint,
    Contact,
    Customer,
    Holding,
    Product,
    Staff,
    Transaction,
)
from bot.tiers import WAN, tier_for
from scoring.features import FEATURE_INDEX, FEATURES

_seq = count(1)


def bank(s: Session) -> str:
    """One branch and one RM ('rm01'); returns the RM's id."""
    s.add(Branch(id=1, code="B001", name="城东支行", city="杭州"))
    s.add(Staff(id="rm01", name="李明", role="rm", branch_id=1, active=True))
    s.flush()
    return "rm01"


def customer(
    s: Session,
    name: str = "王秀英",
    aum_wan: float = 30,
    birth: date = date(1975, 5, 6),
    opened: date = date(2015, 3, 1),
    closed: date | None = None,
) -> Customer:
    n = next(_seq)
    aum = int(aum_wan * WAN)
    c = Customer(
        cust_no=f"T{n:08d}",
        name=name,
        gender="F",
        birth_date=birth,
        phone=f"1390000{n:04d}",
        id_number=f"33010619750506{n:04d}",
        occupation="教师",
        tier=tier_for(aum),
        value_class="MGC",
        lifecycle_stage="mature",
        risk_rating="C3",
        risk_rated_on=date(2026, 3, 2),
        has_children=False,
        rm_id="rm01",
        branch_id=1,
        opened_on=opened,
        closed_on=closed,
        aum_fen=aum,
        demand_deposit_fen=aum // 5,
    )
    s.add(c)
    s.flush()
    return c


def snapshot(s: Session, c: Customer, month: date, aum_wan: float) -> None:
    """The month-end AUM of `month` (first-of-month date), as the demo bank stores it."""
    s.add(AumSnapshot(customer_id=c.id, month=month, aum_fen=int(aum_wan * WAN)))
    s.flush()


def txn(
    s: Session,
    c: Customer,
    when: date | datetime,
    amount_wan: float,
    direction: str = "out",
    purpose: str = "transfer",
    other_bank: bool = False,
    channel: str = "mobile",
) -> None:
    at = when if isinstance(when, datetime) else datetime.combine(when, time(10, 0))
    s.add(
        Transaction(
            customer_id=c.id,
            occurred_at=at,
            amount_fen=int(round(amount_wan * WAN)),
            direction=direction,
            channel=channel,
            other_bank=other_bank,
            purpose=purpose,
        )
    )
    s.flush()


def holding(
    s: Session,
    c: Customer,
    type: str,
    amount_wan: float,
    buy: date,
    maturity: date | None,
    status: str = "active",
    value_wan: float | None = None,
    yield_bp: int = 300,
) -> Holding:
    n = next(_seq)
    p = Product(
        code=f"P{n:05d}",
        type=type,
        name=f"测试{type}{n}",
        term_days=None if maturity is None else 180,
        expected_yield_bp=yield_bp,
        risk_level="R2",
    )
    s.add(p)
    s.flush()
    h = Holding(
        customer_id=c.id,
        product_id=p.id,
        amount_fen=int(amount_wan * WAN),
        current_value_fen=int((value_wan if value_wan is not None else amount_wan) * WAN),
        buy_date=buy,
        maturity_date=maturity,
        status=status,
    )
    s.add(h)
    s.flush()
    return h


def contact(s: Session, c: Customer, when: date | datetime, stated_purpose: str | None = None) -> None:
    at = when if isinstance(when, datetime) else datetime.combine(when, time(15, 0))
    s.add(
        Contact(
            staff_id="rm01",
            customer_id=c.id,
            contacted_at=at,
            channel="phone",
            outcome="reached",
            stated_purpose=stated_purpose,
        )
    )
    s.flush()


def complaint(
    s: Session, c: Customer, filed: date, category: str = "服务态度", resolved_on: date | None = None
) -> None:
    s.add(
        Complaint(
            customer_id=c.id,
            filed_on=filed,
            category=category,
            resolved=resolved_on is not None,
            resolved_on=resolved_on,
        )
    )
    s.flush()


def synthetic_training_set(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Feature rows with plausible ranges and a known churn mechanism: a big AUM drop, an overdue contact, an
    open complaint, money to other banks and a product maturing this week raise the odds; nothing else does."""
    rng = np.random.default_rng(seed)
    X = np.zeros((n, len(FEATURES)))
    col = lambda name: X[:, FEATURE_INDEX[name]]  # noqa: E731
    col("aum_wan")[:] = rng.lognormal(3, 1, n)
    for k in ("30d", "90d", "180d"):
        noise = rng.normal(0.02, 0.15, n)
        fall = (rng.random(n) < 0.15) * rng.uniform(0.2, 0.9, n)
        col(f"aum_change_{k}")[:] = np.clip(noise - fall, -1, 2)
    col("maturing_30d_wan")[:] = (rng.random(n) < 0.3) * rng.uniform(1, 50, n)
    col("maturing_7d_wan")[:] = col("maturing_30d_wan") * (rng.random(n) < 0.3)
    col("days_to_maturity")[:] = np.where(
        col("maturing_7d_wan") > 0,
        rng.integers(0, 7, n),
        np.where(col("maturing_30d_wan") > 0, rng.integers(7, 30, n), 90),
    )
    col("other_bank_out_90d_wan")[:] = (rng.random(n) < 0.3) * rng.lognormal(1, 1, n)
    col("other_bank_out_30d_wan")[:] = col("other_bank_out_90d_wan") * rng.uniform(0, 1, n)
    col("net_flow_90d_wan")[:] = rng.normal(0, 3, n)
    col("largest_out_30d_wan")[:] = rng.lognormal(0, 1, n)
    col("days_since_txn")[:] = rng.integers(0, 60, n)
    col("txn_count_90d")[:] = rng.integers(0, 20, n)
    col("fund_pnl_pct")[:] = (rng.random(n) < 0.2) * rng.normal(0, 10, n)
    col("open_complaints")[:] = rng.random(n) < 0.08
    col("complaints_180d")[:] = col("open_complaints") + (rng.random(n) < 0.05)
    col("days_since_contact")[:] = rng.integers(0, 200, n)
    col("contact_overdue_ratio")[:] = col("days_since_contact") / 30
    col("product_count")[:] = rng.integers(0, 4, n)
    col("tier_rank")[:] = rng.integers(0, 4, n)
    col("tenure_years")[:] = rng.uniform(0, 20, n)
    col("age")[:] = rng.integers(22, 85, n)
    logit = (
        -3.5
        + 3.0 * (col("aum_change_90d") < -0.3)
        + 1.5 * (col("contact_overdue_ratio") > 2)
        + 1.5 * col("open_complaints")
        + 1.0 * (col("other_bank_out_30d_wan") > 5)
        + 1.2 * (col("maturing_7d_wan") > 5)
    )
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.int64)
    return X, y
