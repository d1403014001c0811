"""The branch head's view: per RM, how many clients are at high risk, what matures, what flows out,
who is overdue for a contact. Aggregated in SQL per branch; scoped to one branch.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot import tiers
from bot.store.models import ChurnScore, Contact, Customer, Holding, Staff, Transaction
from bot.store.situation import FLOW_WINDOW_DAYS, HIGH_RISK_SCORE
from bot.store.values import as_date

LARGE_OUTFLOW_FEN = tiers.LARGE_MOVEMENT_FEN  # 20万 out on one day (the ±20万 rule, for clients of 50万+)


@dataclass(frozen=True)
class RmOverview:
    rm_id: str | None  # None: clients nobody is assigned to
    rm_name: str | None
    customers: int
    high_risk: int
    maturing_week_fen: int
    maturing_week_count: int
    maturing_month_fen: int
    maturing_month_count: int
    large_outflow_customers: int
    large_outflow_fen: int
    overdue_contacts: int


@dataclass(frozen=True)
class BranchOverview:
    branch_id: int
    as_of: date
    week_end: date  # maturing "this week" means today .. this Sunday
    month_end: date  # maturing "this month" means today .. the last day of this month
    high_risk_threshold: float
    rms: tuple[RmOverview, ...]  # active RMs of the branch by name, then unassigned clients if any
    totals: RmOverview


def branch_overview(session: Session, branch_id: int, today: date) -> BranchOverview:
    week_end = today + timedelta(days=6 - today.weekday())
    month_end = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    open_customer = (Customer.branch_id == branch_id) & or_(Customer.closed_on.is_(None), Customer.closed_on > today)

    stats: dict[str | None, dict[str, int]] = {}

    def row(rm_id: str | None) -> dict[str, int]:
        return stats.setdefault(rm_id, dict.fromkeys(_FIELDS, 0))

    rms = session.execute(
        select(Staff.id, Staff.name)
        .where(Staff.branch_id == branch_id, Staff.role == "rm", Staff.active.is_(True))
        .order_by(Staff.name, Staff.id)
    ).all()
    names = {r.id: r.name for r in rms}
    for r in rms:
        row(r.id)

    # Customers and overdue contacts: the frequency depends on the AUM band, so finish in Python.
    last_contact = (
        select(Contact.customer_id, func.max(Contact.contacted_at).label("last_at"))
        .join(Customer, Customer.id == Contact.customer_id)
        .where(open_customer)
        .group_by(Contact.customer_id)
        .subquery()
    )
    for c in session.execute(
        select(Customer.rm_id, Customer.aum_fen, last_contact.c.last_at)
        .outerjoin(last_contact, last_contact.c.customer_id == Customer.id)
        .where(open_customer)
    ):
        r = row(c.rm_id)
        r["customers"] += 1
        every = tiers.band_for(int(c.aum_fen or 0)).contact_every_days
        if every is not None and (c.last_at is None or as_date(c.last_at) + timedelta(days=every) <= today):
            r["overdue_contacts"] += 1

    latest = (
        select(
            ChurnScore.customer_id,
            ChurnScore.score,
            func.row_number()
            .over(
                partition_by=ChurnScore.customer_id,
                order_by=(ChurnScore.as_of.desc(), ChurnScore.scored_at.desc(), ChurnScore.id.desc()),
            )
            .label("rn"),
        )
        .join(Customer, Customer.id == ChurnScore.customer_id)
        .where(open_customer)
        .subquery()
    )
    for rm_id, n in session.execute(
        select(Customer.rm_id, func.count())
        .join(latest, latest.c.customer_id == Customer.id)
        .where(latest.c.rn == 1, latest.c.score >= HIGH_RISK_SCORE)
        .group_by(Customer.rm_id)
    ):
        row(rm_id)["high_risk"] = int(n)

    for prefix, end in (("maturing_week", week_end), ("maturing_month", month_end)):
        for rm_id, fen, n in session.execute(
            select(Customer.rm_id, func.sum(Holding.amount_fen), func.count())
            .join(Holding, Holding.customer_id == Customer.id)
            .where(open_customer, Holding.status == "active", Holding.maturity_date.between(today, end))
            .group_by(Customer.rm_id)
        ):
            row(rm_id)[f"{prefix}_fen"] = int(fen or 0)
            row(rm_id)[f"{prefix}_count"] = int(n)

    start = datetime.combine(today - timedelta(days=FLOW_WINDOW_DAYS), time.min)
    stop = datetime.combine(today + timedelta(days=1), time.min)
    # The same rule as the plan and the alerts: a client of 50万+ with a day of 20万+ out in the window.
    day = func.date(Transaction.occurred_at)
    large_days = (
        select(Transaction.customer_id, day.label("day"), func.sum(Transaction.amount_fen).label("out_fen"))
        .join(Customer, Customer.id == Transaction.customer_id)
        .where(
            open_customer,
            Customer.aum_fen >= tiers.LARGE_MOVEMENT_MIN_AUM_FEN,
            Transaction.direction == "out",
            Transaction.occurred_at >= start,
            Transaction.occurred_at < stop,
        )
        .group_by(Transaction.customer_id, day)
        .having(func.sum(Transaction.amount_fen) >= LARGE_OUTFLOW_FEN)
        .subquery()
    )
    per_customer = (
        select(large_days.c.customer_id, func.sum(large_days.c.out_fen).label("out_fen"))
        .group_by(large_days.c.customer_id)
        .subquery()
    )
    for rm_id, n, fen in session.execute(
        select(Customer.rm_id, func.count(), func.sum(per_customer.c.out_fen))
        .join(per_customer, per_customer.c.customer_id == Customer.id)
        .group_by(Customer.rm_id)
    ):
        row(rm_id)["large_outflow_customers"] = int(n)
        row(rm_id)["large_outflow_fen"] = int(fen or 0)

    # Clients still assigned to someone who left or moved: show that person's name too.
    others = [k for k in stats if k is not None and k not in names]
    if others:
        names.update(dict(session.execute(select(Staff.id, Staff.name).where(Staff.id.in_(others))).all()))
    ordered = [r.id for r in rms] + sorted(
        (k for k in stats if k not in {r.id for r in rms}), key=lambda k: (k is None, k or "")
    )
    per_rm = tuple(RmOverview(rm_id, names.get(rm_id), **stats[rm_id]) for rm_id in ordered)
    totals = RmOverview(None, None, **{f: sum(stats[k][f] for k in stats) for f in _FIELDS})
    return BranchOverview(branch_id, today, week_end, month_end, HIGH_RISK_SCORE, per_rm, totals)


_FIELDS = (
    "customers",
    "high_risk",
    "maturing_week_fen",
    "maturing_week_count",
    "maturing_month_fen",
    "maturing_month_count",
    "large_outflow_customers",
    "large_outflow_fen",
    "overdue_contacts",
)
