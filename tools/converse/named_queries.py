"""Queries a conversation script can name to compute what a reply must say, from the store, at run time.

Written in plain SQLAlchemy against the tables, deliberately independent of the assistant's own query code
(bot.store.*, bot.answers.*): a bug there must not be copied into the expectation. Visibility follows the
contract in design.md: an RM sees the clients assigned to them, branch staff see their branch.

Every query takes the session, a `QueryContext` and keyword parameters, and returns customer (or staff)
names. Parameters are declared with converters so a script is validated before anything runs. Dates accept
`2026-11-18` or an expression relative to the script's today: `today`, `today+3`, `week_start`, `week_end`
(this Sunday), `next_week_start`, `next_week_end`, `month_end`, `next_month_start`, `next_month_end`,
each optionally followed by `+N` / `-N` days.
"""

from __future__ import annotations

import calendar
import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from bot import tiers
from bot.store.models import (
    AuditEntry,
    ChurnScore,
    ClientInfoChange,
    Complaint,
    Contact,
    Customer,
    Handover,
    Holding,
    Product,
    Staff,
    Transaction,
)

YUAN = 100  # fen per yuan

PRODUCT_TYPES = ("wealth", "term_deposit", "cd", "fund", "insurance", "bond")
TIERS = tuple(tiers.TIER_RANK)  # highest first, from the bank's tiers file
# AUM floors of the tiers above the lowest, in yuan (bot/tiers.yml).
TIER_FLOORS_YUAN = tuple(sorted(f // YUAN for f in tiers.TIER_FLOORS_FEN.values() if f > 0))


@dataclass(frozen=True)
class QueryContext:
    """What a query may know about the conversation it runs for."""

    today: date
    staff_id: str  # the conversation's staff member: the default for every `staff` parameter
    contact_floor: int = 0  # highest contacts.id when the conversation started
    audit_floor: int = 0  # highest audit_log.id when the conversation started


@dataclass(frozen=True)
class NamedQuery:
    name: str
    run: Callable[..., list[str]]
    converters: dict[str, Callable[[Any, date], Any]]
    required: tuple[str, ...]
    doc: str
    defaults: dict[str, Any] = field(default_factory=dict)


QUERIES: dict[str, NamedQuery] = {}


# --- parameter converters: (raw value from YAML, script's today) -> value, or ValueError ---------------

_DATE_EXPR = re.compile(r"^\s*([a-z_]+)\s*(?:([+-])\s*(\d+))?\s*$")


def resolve_date(value: Any, today: date) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    m = _DATE_EXPR.match(text)
    anchors = _anchors(today)
    if not m or m.group(1) not in anchors:
        raise ValueError(f"not a date or date expression: {value!r} (e.g. 2026-11-18, today+6, week_end, month_end)")
    offset = int(m.group(3) or 0) * (-1 if m.group(2) == "-" else 1)
    return anchors[m.group(1)] + timedelta(days=offset)


def _anchors(today: date) -> dict[str, date]:
    week_start = today - timedelta(days=today.weekday())
    month_end = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    next_month_start = month_end + timedelta(days=1)
    next_month_end = next_month_start.replace(day=calendar.monthrange(next_month_start.year, next_month_start.month)[1])
    return {
        "today": today,
        "week_start": week_start,
        "week_end": week_start + timedelta(days=6),
        "next_week_start": week_start + timedelta(days=7),
        "next_week_end": week_start + timedelta(days=13),
        "month_end": month_end,
        "next_month_start": next_month_start,
        "next_month_end": next_month_end,
    }


def as_date(value: Any, today: date) -> date:
    return resolve_date(value, today)


def as_int(value: Any, today: date) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected a whole number, got {value!r}")
    return value


def as_number(value: Any, today: date) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"expected a number, got {value!r}")
    return value


def as_flag(value: Any, today: date) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {value!r}")
    return value


def as_text(value: Any, today: date) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"expected text, got {value!r}")
    return value.strip()


def one_of(*allowed: str) -> Callable[[Any, date], str]:
    def convert(value: Any, today: date) -> str:
        if value not in allowed:
            raise ValueError(f"expected one of {', '.join(allowed)}, got {value!r}")
        return value

    return convert


def named_query(**converters: Callable[[Any, date], Any]) -> Callable:
    """Register `fn(session, ctx, staff, **params)`; `staff` defaults to the conversation's staff member."""

    def register(fn: Callable[..., list[str]]) -> Callable[..., list[str]]:
        sig = inspect.signature(fn)
        params = [p for p in list(sig.parameters.values())[2:]]
        names = [p.name for p in params]
        missing = set(names) - set(converters) - {"staff"}
        if missing:
            raise TypeError(f"{fn.__name__}: no converter for {sorted(missing)}")
        QUERIES[fn.__name__] = NamedQuery(
            name=fn.__name__,
            run=fn,
            converters={"staff": as_text, **converters},
            required=tuple(p.name for p in params if p.default is inspect.Parameter.empty and p.name != "staff"),
            doc=(inspect.getdoc(fn) or "").split("\n")[0],
            defaults={p.name: p.default for p in params if p.default is not inspect.Parameter.empty},
        )
        return fn

    return register


def convert_params(query: NamedQuery, raw: dict[str, Any], today: date) -> dict[str, Any]:
    """Checked, converted parameters; raises ValueError naming the offending parameter."""
    unknown = sorted(set(raw) - set(query.converters))
    if unknown:
        known = ", ".join(sorted(query.converters))
        raise ValueError(f"query {query.name} has no parameter {', '.join(unknown)} (parameters: {known})")
    missing = [name for name in query.required if name not in raw]
    if missing:
        raise ValueError(f"query {query.name} needs parameter {', '.join(missing)}")
    out = {}
    for name, value in raw.items():
        if value is None and name in query.defaults:
            continue
        try:
            out[name] = query.converters[name](value, today)
        except ValueError as exc:
            raise ValueError(f"query {query.name}, parameter {name}: {exc}") from None
    return out


def run_query(session: Session, ctx: QueryContext, name: str, raw_params: dict[str, Any]) -> list[str]:
    query = QUERIES[name]
    params = convert_params(query, raw_params, ctx.today)
    staff_id = params.pop("staff", ctx.staff_id)
    return query.run(session, ctx, staff_row(session, staff_id), **params)


# --- shared pieces -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffRow:
    id: str
    name: str
    role: str
    branch_id: int
    wecom_userid: str | None


def staff_row(session: Session, staff_id: str) -> StaffRow:
    row = session.execute(
        select(Staff.id, Staff.name, Staff.role, Staff.branch_id, Staff.wecom_userid).where(Staff.id == staff_id)
    ).first()
    if row is None:
        raise LookupError(f"no staff member {staff_id!r} in the store")
    return StaffRow(*row)


def _in_view(staff: StaffRow, today: date):
    """Open clients the staff member may see."""
    is_open = or_(Customer.closed_on.is_(None), Customer.closed_on > today)
    if staff.role == "rm":
        return and_(Customer.rm_id == staff.id, is_open)
    return and_(Customer.branch_id == staff.branch_id, is_open)


def _unique(names) -> list[str]:
    return list(dict.fromkeys(names))


def book_names(session: Session, staff_id: str, today: date) -> list[str]:
    """Every client name the staff member may see: the vocabulary replies are read against."""
    return book(session, QueryContext(today, staff_id), staff_row(session, staff_id))


def contact_floor(session: Session) -> int:
    return int(session.execute(select(func.coalesce(func.max(Contact.id), 0))).scalar_one())


def audit_floor(session: Session) -> int:
    return int(session.execute(select(func.coalesce(func.max(AuditEntry.id), 0))).scalar_one())


# --- the queries -------------------------------------------------------------------------------------


@named_query()
def book(session: Session, ctx: QueryContext, staff: StaffRow) -> list[str]:
    """All open clients the staff member may see (an RM's book, a branch's clients)."""
    rows = session.execute(select(Customer.name).where(_in_view(staff, ctx.today)).order_by(Customer.id))
    return _unique(r.name for r in rows)


@named_query(
    start=as_date,
    end=as_date,
    product_type=one_of(*PRODUCT_TYPES),
    tier=one_of(*TIERS),
    min_yuan=as_number,
    max_yuan=as_number,
    offset=as_int,
    limit=as_int,
)
def maturing_between(
    session: Session,
    ctx: QueryContext,
    staff: StaffRow,
    start: date,
    end: date,
    product_type: str | None = None,
    tier: str | None = None,
    min_yuan: float | None = None,
    max_yuan: float | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> list[str]:
    """Clients with a holding maturing from start to end (inclusive); offset/limit count holdings in the
    order staff see them: earliest maturity first, then larger amounts."""
    q = (
        select(Customer.name)
        .select_from(Holding)
        .join(Customer, Customer.id == Holding.customer_id)
        .join(Product, Product.id == Holding.product_id)
        .where(
            _in_view(staff, ctx.today),
            Holding.maturity_date >= start,
            Holding.maturity_date <= end,
            Holding.status != "redeemed",
        )
    )
    if product_type:
        q = q.where(Product.type == product_type)
    if tier:
        q = q.where(Customer.tier == tier)
    if min_yuan is not None:
        q = q.where(Holding.amount_fen >= int(min_yuan * YUAN))
    if max_yuan is not None:
        q = q.where(Holding.amount_fen <= int(max_yuan * YUAN))
    q = q.order_by(Holding.maturity_date, Holding.amount_fen.desc(), Holding.id).offset(offset)
    if limit is not None:
        q = q.limit(limit)
    return _unique(r.name for r in session.execute(q))


def _latest_scores(staff: StaffRow, today: date):
    ranked = (
        select(
            ChurnScore.customer_id,
            ChurnScore.score,
            func.row_number()
            .over(partition_by=ChurnScore.customer_id, order_by=(ChurnScore.as_of.desc(), ChurnScore.id.desc()))
            .label("rn"),
        )
        .where(ChurnScore.as_of <= today)
        .subquery()
    )
    return (
        select(Customer.name, ranked.c.score)
        .join(ranked, ranked.c.customer_id == Customer.id)
        .where(ranked.c.rn == 1, _in_view(staff, today))
    )


@named_query(n=as_int, tier=one_of(*TIERS), offset=as_int)
def top_risk(
    session: Session, ctx: QueryContext, staff: StaffRow, n: int = 5, tier: str | None = None, offset: int = 0
) -> list[str]:
    """The n clients with the highest latest churn score, after skipping the first `offset` (a later page)."""
    q = _latest_scores(staff, ctx.today)
    if tier:
        q = q.where(Customer.tier == tier)
    rows = session.execute(q.order_by(q.selected_columns.score.desc(), Customer.id).offset(offset).limit(n))
    return _unique(r.name for r in rows)


@named_query(min_score=as_number)
def high_risk(session: Session, ctx: QueryContext, staff: StaffRow, min_score: float = 0.5) -> list[str]:
    """Clients whose latest churn score is at least min_score."""
    q = _latest_scores(staff, ctx.today)
    rows = session.execute(q.where(q.selected_columns.score >= min_score).order_by(Customer.id))
    return _unique(r.name for r in rows)


@named_query(days=as_int, min_yuan=as_number, other_bank_only=as_flag)
def large_outflow(
    session: Session,
    ctx: QueryContext,
    staff: StaffRow,
    days: int = 30,
    min_yuan: float = 200_000,
    other_bank_only: bool = False,
) -> list[str]:
    """Clients whose money out over the last `days` days (today included) adds up to min_yuan or more."""
    start = datetime.combine(ctx.today - timedelta(days=days), datetime.min.time())
    stop = datetime.combine(ctx.today + timedelta(days=1), datetime.min.time())
    conds = [
        _in_view(staff, ctx.today),
        Transaction.direction == "out",
        Transaction.occurred_at >= start,
        Transaction.occurred_at < stop,
    ]
    if other_bank_only:
        conds.append(Transaction.other_bank.is_(True))
    rows = session.execute(
        select(Customer.name, func.sum(Transaction.amount_fen).label("out_fen"))
        .join(Customer, Customer.id == Transaction.customer_id)
        .where(*conds)
        .group_by(Customer.id, Customer.name)
        .having(func.sum(Transaction.amount_fen) >= int(min_yuan * YUAN))
        .order_by(func.sum(Transaction.amount_fen).desc())
    )
    return _unique(r.name for r in rows)


@named_query(within_pct=as_number)
def near_upgrade(session: Session, ctx: QueryContext, staff: StaffRow, within_pct: float = 10) -> list[str]:
    """临界客户: AUM less than within_pct % under the floor of the next tier (the floors in bot/tiers.yml)."""
    bands = [
        and_(Customer.aum_fen >= int(floor * (100 - within_pct) / 100) * YUAN, Customer.aum_fen < floor * YUAN)
        for floor in TIER_FLOORS_YUAN
    ]
    rows = session.execute(select(Customer.name).where(_in_view(staff, ctx.today), or_(*bands)).order_by(Customer.id))
    return _unique(r.name for r in rows)


@named_query(min_loss_pct=as_number)
def fund_loss(session: Session, ctx: QueryContext, staff: StaffRow, min_loss_pct: float = 10) -> list[str]:
    """Clients with an active fund worth at least min_loss_pct % less than they paid."""
    rows = session.execute(
        select(Customer.name)
        .join(Holding, Holding.customer_id == Customer.id)
        .join(Product, Product.id == Holding.product_id)
        .where(
            _in_view(staff, ctx.today),
            Holding.status == "active",
            Product.type == "fund",
            Holding.amount_fen > 0,
            (Holding.amount_fen - Holding.current_value_fen) * 100 >= Holding.amount_fen * min_loss_pct,
        )
        .order_by(Customer.id)
    )
    return _unique(r.name for r in rows)


@named_query(min_age=as_int)
def aged(session: Session, ctx: QueryContext, staff: StaffRow, min_age: int = 60) -> list[str]:
    """Clients aged min_age or more on the script's today."""
    t = ctx.today
    born_by = t.replace(year=t.year - min_age) if not (t.month == 2 and t.day == 29) else date(t.year - min_age, 2, 28)
    rows = session.execute(
        select(Customer.name).where(_in_view(staff, t), Customer.birth_date <= born_by).order_by(Customer.id)
    )
    return _unique(r.name for r in rows)


@named_query(min_yuan=as_number)
def demand_only(session: Session, ctx: QueryContext, staff: StaffRow, min_yuan: float = 50_000) -> list[str]:
    """Clients with no active product, only demand deposits, and assets of at least min_yuan."""
    held = select(Holding.customer_id).where(Holding.status == "active")
    rows = session.execute(
        select(Customer.name)
        .where(
            _in_view(staff, ctx.today),
            Customer.demand_deposit_fen > 0,
            Customer.aum_fen >= int(min_yuan * YUAN),
            Customer.id.not_in(held),
        )
        .order_by(Customer.id)
    )
    return _unique(r.name for r in rows)


@named_query(
    min_age=as_int, min_aum_yuan=as_number, min_demand_yuan=as_number, no_products=as_flag,
    min_fund_loss_pct=as_number, tier=one_of(*TIERS),
)  # fmt: skip
def clients_where(
    session: Session,
    ctx: QueryContext,
    staff: StaffRow,
    min_age: int | None = None,
    min_aum_yuan: float | None = None,
    min_demand_yuan: float | None = None,
    no_products: bool = False,
    min_fund_loss_pct: float | None = None,
    tier: str | None = None,
) -> list[str]:
    """Clients meeting every condition given (a combined segment: 六十五岁以上、资产超过80万的)."""
    t = ctx.today
    q = select(Customer.name).where(_in_view(staff, t))
    if min_age is not None:
        born_by = (
            t.replace(year=t.year - min_age) if not (t.month == 2 and t.day == 29) else date(t.year - min_age, 2, 28)
        )
        q = q.where(Customer.birth_date <= born_by)
    if min_aum_yuan is not None:
        q = q.where(Customer.aum_fen >= int(min_aum_yuan * YUAN))
    if min_demand_yuan is not None:
        q = q.where(Customer.demand_deposit_fen >= int(min_demand_yuan * YUAN))
    if no_products:
        q = q.where(Customer.id.not_in(select(Holding.customer_id).where(Holding.status == "active")))
    if tier:
        q = q.where(Customer.tier == tier)
    if min_fund_loss_pct is not None:
        losing = (
            select(Holding.customer_id)
            .join(Product, Product.id == Holding.product_id)
            .where(
                Holding.status == "active",
                Product.type == "fund",
                Holding.amount_fen > 0,
                (Holding.amount_fen - Holding.current_value_fen) * 100 >= Holding.amount_fen * min_fund_loss_pct,
            )
        )
        q = q.where(Customer.id.in_(losing))
    return _unique(r.name for r in session.execute(q.order_by(Customer.id)))


@named_query(days=as_int)
def not_contacted_for(session: Session, ctx: QueryContext, staff: StaffRow, days: int) -> list[str]:
    """Clients nobody has contacted in the last `days` days (or ever)."""
    since = datetime.combine(ctx.today - timedelta(days=days), datetime.min.time())
    recent = select(Contact.customer_id).where(Contact.contacted_at >= since)
    rows = session.execute(
        select(Customer.name).where(_in_view(staff, ctx.today), Customer.id.not_in(recent)).order_by(Customer.id)
    )
    return _unique(r.name for r in rows)


@named_query()
def branch_rms(session: Session, ctx: QueryContext, staff: StaffRow) -> list[str]:
    """Names of the active relationship managers in the staff member's branch."""
    rows = session.execute(
        select(Staff.name)
        .where(Staff.branch_id == staff.branch_id, Staff.role == "rm", Staff.active.is_(True))
        .order_by(Staff.id)
    )
    return _unique(r.name for r in rows)


@named_query(customer=as_text)
def contacts_logged(session: Session, ctx: QueryContext, staff: StaffRow, customer: str | None = None) -> list[str]:
    """One entry per contact record the staff member wrote during this conversation (not de-duplicated:
    a record written twice shows twice)."""
    q = (
        select(Customer.name)
        .join(Contact, Contact.customer_id == Customer.id)
        .where(Contact.staff_id == staff.id, Contact.id > ctx.contact_floor)
    )
    if customer:
        q = q.where(Customer.name == customer)
    return [r.name for r in session.execute(q.order_by(Contact.id))]


@named_query(intent=as_text)
def audited_lookups(session: Session, ctx: QueryContext, staff: StaffRow, intent: str | None = None) -> list[str]:
    """Clients whose lookup by the staff member was written to the audit log during this conversation."""
    q = (
        select(Customer.name)
        .join(AuditEntry, AuditEntry.customer_id == Customer.id)
        .where(AuditEntry.staff_id == staff.id, AuditEntry.id > ctx.audit_floor)
    )
    if intent:
        q = q.where(AuditEntry.intent == intent)
    return _unique(r.name for r in session.execute(q.order_by(AuditEntry.id)))


# --- the week's bookkeeping (#15) ---------------------------------------------------------------------


@named_query(risk=as_text, min_yuan=as_number)
def product_fit(session: Session, ctx: QueryContext, staff: StaffRow, risk: str, min_yuan: float = 0) -> list[str]:
    """Clients a product of this risk level (R1..R5) may be suggested to: a rating done within a year whose C level
    covers it, money maturing in the next 30 days plus demand deposits of at least min_yuan (and some), no open
    complaint."""
    level = int(risk.strip().upper().lstrip("R"))
    covering = [f"C{n}" for n in range(level, 6)]
    maturing = (
        select(Holding.customer_id, func.sum(Holding.amount_fen).label("fen"))
        .where(
            Holding.status == "active",
            Holding.maturity_date >= ctx.today,
            Holding.maturity_date <= ctx.today + timedelta(days=30),
        )
        .group_by(Holding.customer_id)
        .subquery()
    )
    money = Customer.demand_deposit_fen + func.coalesce(maturing.c.fen, 0)
    rows = session.execute(
        select(Customer.name)
        .outerjoin(maturing, maturing.c.customer_id == Customer.id)
        .where(
            _in_view(staff, ctx.today),
            Customer.risk_rating.in_(covering),
            Customer.risk_rated_on >= ctx.today - timedelta(days=365),
            money > 0,
            money >= int(min_yuan * YUAN),
            Customer.id.not_in(select(Complaint.customer_id).where(Complaint.resolved.is_(False))),
        )
        .order_by(Customer.id)
    )
    return _unique(r.name for r in rows)


@named_query(to_rm=as_text)
def handed_over(session: Session, ctx: QueryContext, staff: StaffRow, to_rm: str | None = None) -> list[str]:
    """Clients the staff member handed over (to to_rm) on the script's today, now in the receiving RM's book."""
    start = datetime.combine(ctx.today, datetime.min.time())
    q = (
        select(Customer.name)
        .join(Handover, Handover.customer_id == Customer.id)
        .where(
            Handover.by_staff == staff.id,
            Handover.at >= start,
            Handover.at < start + timedelta(days=1),
            Customer.rm_id == Handover.to_rm,
        )
    )
    if to_rm:
        q = q.where(Handover.to_rm == to_rm)
    return _unique(r.name for r in session.execute(q.order_by(Handover.id)))


@named_query(customer=as_text)
def complaints_logged(session: Session, ctx: QueryContext, staff: StaffRow, customer: str | None = None) -> list[str]:
    """One entry per open complaint filed on the script's today for a client the staff member may see."""
    q = (
        select(Customer.name)
        .join(Complaint, Complaint.customer_id == Customer.id)
        .where(_in_view(staff, ctx.today), Complaint.filed_on == ctx.today, Complaint.resolved.is_(False))
    )
    if customer:
        q = q.where(Customer.name == customer)
    return [r.name for r in session.execute(q.order_by(Complaint.id))]


@named_query(customer=as_text, field=as_text, value=as_text)
def info_changes(
    session: Session,
    ctx: QueryContext,
    staff: StaffRow,
    customer: str | None = None,
    field: str | None = None,
    value: str | None = None,
) -> list[str]:
    """One entry per change of client information the staff member recorded on the script's today
    (`value`: only changes to exactly this new value)."""
    start = datetime.combine(ctx.today, datetime.min.time())
    q = (
        select(Customer.name)
        .join(ClientInfoChange, ClientInfoChange.customer_id == Customer.id)
        .where(ClientInfoChange.staff_id == staff.id, ClientInfoChange.at >= start)
    )
    if customer:
        q = q.where(Customer.name == customer)
    if field:
        q = q.where(ClientInfoChange.field == field)
    if value:
        q = q.where(ClientInfoChange.new_value == value)
    return [r.name for r in session.execute(q.order_by(ClientInfoChange.id))]


@named_query(customer=as_text)
def client_risk_rating(session: Session, ctx: QueryContext, staff: StaffRow, customer: str) -> list[str]:
    """The risk rating (C1..C5, "" when never rated) on record of the named client(s) the staff member may see."""
    rows = session.execute(select(Customer.risk_rating).where(_in_view(staff, ctx.today), Customer.name == customer))
    return [r.risk_rating or "" for r in rows]


@named_query(customer=as_text)
def client_phone(session: Session, ctx: QueryContext, staff: StaffRow, customer: str) -> list[str]:
    """The phone number on record of the named client(s) the staff member may see."""
    rows = session.execute(select(Customer.phone).where(_in_view(staff, ctx.today), Customer.name == customer))
    return [r.phone for r in rows]
