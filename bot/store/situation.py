"""Facts about one client or a list of clients, read from the store in a few set-based queries.

`situations(session, ids, today)` is what the playbook, segments and the assistant's actions read:
one frozen `ClientSituation` per customer, no Rasa, no wording. Nine queries per chunk of ids,
whatever the number of customers (no N+1).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, bindparam, case, func, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from bot import policy_review, tiers
from bot.risk_bands import HIGH_RISK_SCORE
from bot.store.models import (
    AumSnapshot,
    ChurnScore,
    Complaint,
    Contact,
    Customer,
    Handover,
    Holding,
    Product,
    Transaction,
)
from bot.store.values import as_date, as_date_or_none, as_datetime

MATURING_WINDOW_DAYS = 30
FLOW_WINDOW_DAYS = 30
# A single outflow at least this big is "notable"; its date tells whether the RM has followed it up.
NOTABLE_OUTFLOW_FEN = 5 * tiers.WAN
AUM_LOOKBACK_DAYS = 90
ANNOUNCEMENT_DAYS = 30  # an announcement older than this is history, whatever day it named
UNREACHED = "no_answer"  # contacts.outcome of a call or message that did not reach the client
_CHUNK = 500  # ids per IN (...) list; well under every driver's parameter limit
# One expanding parameter for the id list: no per-element coercion, one cached statement per query.
_IDS = bindparam("ids", expanding=True)


@dataclass(frozen=True)
class MaturingHolding:
    product_name: str
    product_type: str  # wealth | term_deposit | cd | fund | insurance | bond
    amount_fen: int
    maturity_date: date
    risk_level: str | None = None  # R1 .. R5


@dataclass(frozen=True)
class DayMovement:
    """Money in or out of a client's accounts on one day (the sum of that day's transactions)."""

    day: date
    direction: str  # in | out
    amount_fen: int


@dataclass(frozen=True)
class OpenComplaint:
    category: str
    filed_on: date


@dataclass(frozen=True)
class LastContact:
    """The latest contact that reached the client: a call nobody answered (没接通, 关机, 拒接) is logged but
    neither resets the tier's contact clock nor counts as the new RM's first contact."""

    contacted_on: date
    channel: str
    outcome: str
    stated_purpose: str | None
    staff_id: str


@dataclass(frozen=True)
class Announcement:
    """Money the client told their RM will go out (contacts.announced_fen / announced_on), from the latest
    contact that said so in the last ANNOUNCEMENT_DAYS; a later contact where the client agreed to stay
    (钱不动了) withdraws it. Later contacts about other things leave it standing."""

    amount_fen: int
    on: date | None  # the day the client named; None: not said (近日)
    said_on: date
    purpose: str | None


@dataclass(frozen=True)
class LatestScore:
    score: float
    churn_type: str  # product | service | consumption | intermediary | none
    top_reason: str | None  # text of the first reason the scorer gave
    as_of: date


@dataclass(frozen=True)
class ClientSituation:
    customer_id: int
    name: str
    gender: str  # F | M
    age: int
    birth_date: date
    occupation: str
    tier: str  # a code of bot/tiers.yml: private | diamond | vip | gold | basic by default
    value_class: str  # MVC | MGC | LVC | BZ
    lifecycle_stage: str
    aum_fen: int
    aum_90d_ago_fen: int | None  # month-end snapshot at or before today - 90 days
    demand_deposit_fen: int
    has_children: bool
    active_holding_count: int
    maturing: tuple[MaturingHolding, ...]  # active holdings maturing in [today, today + 30], soonest first
    fund_loss_pct: float | None  # worst active fund holding's loss in percent (12.5 = down 12.5%); None: no loss
    fund_loss_product: str | None
    low_yield_insurance: bool
    low_yield_insurance_product: str | None
    open_complaint: OpenComplaint | None  # the oldest unresolved one
    last_contact: LastContact | None
    contacted_by_rm: bool  # the assigned RM has logged a contact with this client (since the last handover to them)
    days_since_contact: int | None
    contact_every_days: int | None  # from the AUM band (bot.tiers); None: no scheduled contact
    outflow_30d_fen: int  # all outflows in the last 30 days
    outflow_30d_other_bank_fen: int  # of which to other banks
    inflow_30d_fen: int
    last_notable_outflow_on: date | None  # latest single outflow >= NOTABLE_OUTFLOW_FEN in the window
    latest_score: LatestScore | None
    rm_id: str | None
    branch_id: int
    as_of: date  # the `today` these facts were computed for
    # The biggest single-day outflow / inflow in the flow window reaching tiers.LARGE_MOVEMENT_FEN (20万); None: none
    largest_day_outflow: DayMovement | None = None
    largest_day_inflow: DayMovement | None = None
    risk_rating: str | None = None  # C1 .. C5 (bot.playbook.suitability); None: never rated
    risk_rated_on: date | None = None
    announced: Announcement | None = None  # money the client said will go out (see Announcement)
    handed_over_on: date | None = None  # the day the client was last handed to the current RM (bot/store/handover.py)

    @property
    def net_flow_30d_fen(self) -> int:
        return self.inflow_30d_fen - self.outflow_30d_fen

    @property
    def contact_due_on(self) -> date | None:
        """When the tier's frequency next requires a contact; never contacted means due now."""
        if self.contact_every_days is None:
            return None
        if self.last_contact is None:
            return self.as_of
        return self.last_contact.contacted_on + timedelta(days=self.contact_every_days)

    @property
    def contact_overdue(self) -> bool:
        """Due today or earlier by the tier's frequency (what staff call 该联系了 / 逾期)."""
        due = self.contact_due_on
        return due is not None and due <= self.as_of

    @property
    def is_high_risk(self) -> bool:
        return self.latest_score is not None and self.latest_score.score >= HIGH_RISK_SCORE


def age_on(birth_date: date, today: date) -> int:
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


def situations(session: Session, customer_ids: Iterable[int], today: date) -> dict[int, ClientSituation]:
    """Facts for each existing customer among `customer_ids`, keyed by id. Unknown ids are left out."""
    ids = sorted({int(i) for i in customer_ids})
    session.flush()  # the queries below run on the connection, which does not autoflush
    out: dict[int, ClientSituation] = {}
    for chunk in _chunks(ids):
        out.update(_situations_chunk(session, chunk, today))
    return out


def situation(session: Session, customer_id: int, today: date) -> ClientSituation | None:
    return situations(session, [customer_id], today).get(customer_id)


def _situations_chunk(session: Session, ids: list[int], today: date) -> dict[int, ClientSituation]:
    # Core rows straight from the connection: no ORM entity loading for what are plain columns.
    conn = session.connection()
    customers = conn.execute(
        select(
            Customer.id,
            Customer.name,
            Customer.gender,
            Customer.birth_date,
            Customer.occupation,
            Customer.tier,
            Customer.value_class,
            Customer.lifecycle_stage,
            Customer.aum_fen,
            Customer.demand_deposit_fen,
            Customer.has_children,
            Customer.rm_id,
            Customer.branch_id,
            Customer.risk_rating,
            Customer.risk_rated_on,
        ).where(Customer.id.in_(_IDS)),
        {"ids": ids},
    ).all()
    if not customers:
        return {}
    holdings = _holding_facts(conn, ids, today)
    contacts = _last_contacts(conn, ids)
    announced = _announcements(conn, ids, today)
    served, received = _served_and_received(conn, ids)
    complaints = _open_complaints(conn, ids)
    flows = _flows(conn, ids, today)
    big_days = _large_days(conn, ids, today)
    scores = _latest_scores(conn, ids)
    aum_then = _aum_snapshots(conn, ids, today - timedelta(days=AUM_LOOKBACK_DAYS))

    out: dict[int, ClientSituation] = {}
    for (cid, name, gender, birth, occupation, tier, value_class, stage, aum, demand, children, rm_id,
         branch_id, risk_rating, rated_on) in customers:  # fmt: skip
        h = holdings.get(cid, _EMPTY_HOLDINGS)
        last = contacts.get(cid)
        flow = flows.get(cid, (0, 0, 0, None))
        aum = int(aum or 0)
        out[cid] = ClientSituation(
            customer_id=cid,
            name=name,
            gender=gender,
            age=age_on(birth, today),
            birth_date=birth,
            occupation=occupation,
            tier=tier,
            value_class=value_class,
            lifecycle_stage=stage,
            aum_fen=aum,
            aum_90d_ago_fen=aum_then.get(cid),
            demand_deposit_fen=int(demand or 0),
            has_children=bool(children),
            active_holding_count=h.active_count,
            maturing=tuple(h.maturing),
            fund_loss_pct=h.fund_loss_pct,
            fund_loss_product=h.fund_loss_product,
            low_yield_insurance=h.low_yield_product is not None,
            low_yield_insurance_product=h.low_yield_product,
            open_complaint=complaints.get(cid),
            last_contact=last,
            contacted_by_rm=cid in served,
            # A contact stamped after `today` (a demo running on a fixed BOT_TODAY) counts as today's.
            days_since_contact=max(0, (today - last.contacted_on).days) if last else None,
            contact_every_days=tiers.band_for(aum).contact_every_days,
            outflow_30d_fen=flow[0],
            outflow_30d_other_bank_fen=flow[1],
            inflow_30d_fen=flow[2],
            last_notable_outflow_on=flow[3],
            largest_day_outflow=big_days.get((cid, "out")),
            largest_day_inflow=big_days.get((cid, "in")),
            risk_rating=risk_rating,
            risk_rated_on=rated_on,
            announced=announced.get(cid),
            handed_over_on=as_date(received[cid]) if cid in received else None,
            latest_score=scores.get(cid),
            rm_id=rm_id,
            branch_id=branch_id,
            as_of=today,
        )
    return out


class _HoldingFacts:
    __slots__ = (
        "active_count", "maturing", "fund_loss_pct", "fund_loss_product", "low_yield_product", "_low_yield_pct"
    )  # fmt: skip

    def __init__(self) -> None:
        self.active_count = 0
        self.maturing: list[MaturingHolding] = []
        self.fund_loss_pct: float | None = None
        self.fund_loss_product: str | None = None
        self.low_yield_product: str | None = None
        self._low_yield_pct: float | None = None


_EMPTY_HOLDINGS = _HoldingFacts()


def _holding_facts(conn: Connection, ids: list[int], today: date) -> dict[int, _HoldingFacts]:
    """Active holdings: how many, which mature soon, the worst fund loss, the lowest-yield insurance."""
    facts: dict[int, _HoldingFacts] = {}
    counts = conn.execute(
        select(Holding.customer_id, func.count())
        .where(Holding.customer_id.in_(_IDS), Holding.status == "active")
        .group_by(Holding.customer_id),
        {"ids": ids},
    )
    for cid, n in counts:
        facts[cid] = _HoldingFacts()
        facts[cid].active_count = int(n)

    horizon = today + timedelta(days=MATURING_WINDOW_DAYS)
    held_since = today - timedelta(days=policy_review.MIN_HELD_DAYS)  # younger policies are never flagged
    rows = conn.execute(
        select(
            Holding.customer_id,
            Holding.amount_fen,
            Holding.current_value_fen,
            Holding.buy_date,
            Holding.maturity_date,
            Product.name,
            Product.type,
            Product.expected_yield_bp,
            Product.risk_level,
        )
        .join(Product, Product.id == Holding.product_id)
        .where(
            Holding.customer_id.in_(_IDS),
            Holding.status == "active",
            or_(
                Holding.maturity_date.between(today, horizon),
                and_(Product.type == "fund", Holding.current_value_fen < Holding.amount_fen),
                and_(Product.type == "insurance", Holding.buy_date <= held_since),
            ),
        ),
        {"ids": ids},
    ).all()
    for cid, amount, value, buy_date, maturity, name, ptype, stated_bp, risk in rows:
        f = facts[cid]
        if maturity is not None and today <= maturity <= horizon:
            f.maturing.append(MaturingHolding(name, ptype, int(amount), maturity, risk))
        if amount <= 0:
            continue
        if ptype == "fund" and value < amount:
            loss = round((amount - value) * 100 / amount, 1)
            if f.fund_loss_pct is None or loss > f.fund_loss_pct:
                f.fund_loss_pct, f.fund_loss_product = loss, name
        elif ptype == "insurance":
            # Against its own stated return, once old enough (bot.policy_review); the biggest shortfall is named.
            gap = policy_review.shortfall_points(int(amount), int(value), buy_date, today, stated_bp)
            if gap is not None and (f._low_yield_pct is None or gap > f._low_yield_pct):
                f._low_yield_pct, f.low_yield_product = gap, name
    for f in facts.values():
        f.maturing.sort(key=lambda m: (m.maturity_date, -m.amount_fen, m.product_name))
    return facts


def _last_contacts(conn: Connection, ids: list[int]) -> dict[int, LastContact]:
    # Join on the latest time per customer (faster than a window on SQLite); ties go to the highest id.
    latest = (
        select(Contact.customer_id, func.max(Contact.contacted_at).label("at"))
        .where(Contact.customer_id.in_(_IDS), Contact.outcome != UNREACHED)
        .group_by(Contact.customer_id)
        .subquery()
    )
    rows = conn.execute(
        select(
            Contact.customer_id,
            Contact.id,
            Contact.contacted_at,
            Contact.channel,
            Contact.outcome,
            Contact.stated_purpose,
            Contact.staff_id,
        )
        .join(latest, and_(latest.c.customer_id == Contact.customer_id, latest.c.at == Contact.contacted_at))
        # Repeating the id filter outside keeps PostgreSQL on the index: it cannot tell how few groups the
        # subquery yields and would otherwise hash-join a scan of the whole contacts table (0.7 s at 1M clients).
        .where(Contact.customer_id.in_(_IDS), Contact.outcome != UNREACHED)
        .order_by(Contact.customer_id, Contact.id),
        {"ids": ids},
    ).all()
    return {
        cid: LastContact(as_date(at), channel, outcome, purpose or None, staff_id)
        for cid, _id, at, channel, outcome, purpose, staff_id in rows
    }


def _announcements(conn: Connection, ids: list[int], today: date) -> dict[int, Announcement]:
    since = datetime.combine(today - timedelta(days=ANNOUNCEMENT_DAYS), datetime.min.time())
    rows = conn.execute(
        select(
            Contact.customer_id,
            Contact.contacted_at,
            Contact.outcome,
            Contact.announced_fen,
            Contact.announced_on,
            Contact.stated_purpose,
        )
        .where(
            Contact.customer_id.in_(_IDS),
            Contact.contacted_at >= since,
            or_(Contact.announced_fen.is_not(None), Contact.outcome == "agreed"),
        )
        .order_by(Contact.customer_id, Contact.contacted_at, Contact.id),
        {"ids": ids},
    ).all()
    out: dict[int, Announcement] = {}
    for cid, at, outcome, fen, on, purpose in rows:
        if fen:
            out[cid] = Announcement(int(fen), as_date_or_none(on), as_date(at), purpose or None)
        elif outcome == "agreed":
            out.pop(cid, None)
    return out


def _served_and_received(conn: Connection, ids: list[int]) -> tuple[set[int], dict[int, datetime]]:
    """(clients the current RM has contacted, when each client was last handed to the current RM).

    A handed-over client counts as contacted only by a contact from the handover on."""
    last_contact = (
        select(func.max(Contact.contacted_at))
        # An unreached call is not a first contact.
        .where(Contact.customer_id == Customer.id, Contact.staff_id == Customer.rm_id, Contact.outcome != UNREACHED)
        .scalar_subquery()
    )
    last_handover = (
        select(func.max(Handover.at))
        .where(Handover.customer_id == Customer.id, Handover.to_rm == Customer.rm_id)
        .scalar_subquery()
    )
    rows = conn.execute(
        select(Customer.id, last_contact, last_handover).where(Customer.id.in_(_IDS)), {"ids": ids}
    ).all()
    received = {cid: as_datetime(at) for cid, _last, at in rows if at is not None}
    served = {
        cid
        for cid, last, _at in rows
        if last is not None and (cid not in received or as_datetime(last) >= received[cid])
    }
    return served, received


def _open_complaints(conn: Connection, ids: list[int]) -> dict[int, OpenComplaint]:
    rows = conn.execute(
        select(Complaint.customer_id, Complaint.category, Complaint.filed_on)
        .where(Complaint.customer_id.in_(_IDS), Complaint.resolved.is_(False))
        .order_by(Complaint.customer_id, Complaint.filed_on, Complaint.id),
        {"ids": ids},
    ).all()
    out: dict[int, OpenComplaint] = {}
    for r in rows:
        out.setdefault(r.customer_id, OpenComplaint(r.category, r.filed_on))
    return out


def _flows(conn: Connection, ids: list[int], today: date) -> dict[int, tuple[int, int, int, date | None]]:
    """(outflow, outflow to other banks, inflow, last notable outflow date) over the last 30 days."""
    start = datetime.combine(today - timedelta(days=FLOW_WINDOW_DAYS), time.min)
    end = datetime.combine(today + timedelta(days=1), time.min)
    out_amt = case((Transaction.direction == "out", Transaction.amount_fen), else_=0)
    rows = conn.execute(
        select(
            Transaction.customer_id,
            func.sum(out_amt).label("out_fen"),
            func.sum(
                case(
                    (and_(Transaction.direction == "out", Transaction.other_bank.is_(True)), Transaction.amount_fen),
                    else_=0,
                )
            ).label("other_bank_fen"),
            func.sum(case((Transaction.direction == "in", Transaction.amount_fen), else_=0)).label("in_fen"),
            func.max(
                case(
                    (
                        and_(Transaction.direction == "out", Transaction.amount_fen >= NOTABLE_OUTFLOW_FEN),
                        Transaction.occurred_at,
                    ),
                    else_=None,
                )
            ).label("last_notable"),
        )
        .where(
            Transaction.customer_id.in_(_IDS),
            Transaction.occurred_at >= start,
            Transaction.occurred_at < end,
        )
        .group_by(Transaction.customer_id),
        {"ids": ids},
    ).all()
    return {
        r.customer_id: (
            int(r.out_fen or 0),
            int(r.other_bank_fen or 0),
            int(r.in_fen or 0),
            as_date(r.last_notable) if r.last_notable is not None else None,
        )
        for r in rows
    }


def _large_days(conn: Connection, ids: list[int], today: date) -> dict[tuple[int, str], DayMovement]:
    """Per (customer, direction): the biggest day total in the flow window reaching LARGE_MOVEMENT_FEN.

    The ±20万 rule is per day, in and out measured apart (seed 002); latest day wins a tie."""
    start = datetime.combine(today - timedelta(days=FLOW_WINDOW_DAYS), time.min)
    end = datetime.combine(today + timedelta(days=1), time.min)
    day = func.date(Transaction.occurred_at)
    total = func.sum(Transaction.amount_fen)
    rows = conn.execute(
        select(Transaction.customer_id, Transaction.direction, day.label("day"), total.label("fen"))
        .where(
            Transaction.customer_id.in_(_IDS),
            Transaction.occurred_at >= start,
            Transaction.occurred_at < end,
        )
        .group_by(Transaction.customer_id, Transaction.direction, day)
        .having(total >= tiers.LARGE_MOVEMENT_FEN),
        {"ids": ids},
    ).all()
    out: dict[tuple[int, str], DayMovement] = {}
    for cid, direction, on, fen in rows:
        found = DayMovement(as_date(on), direction, int(fen))
        best = out.get((cid, direction))
        if best is None or (found.amount_fen, found.day) > (best.amount_fen, best.day):
            out[(cid, direction)] = found
    return out


def _latest_scores(conn: Connection, ids: list[int]) -> dict[int, LatestScore]:
    # Rows of each customer's latest as_of; among several (model versions), the last scored wins.
    latest = (
        select(ChurnScore.customer_id, func.max(ChurnScore.as_of).label("as_of"))
        .where(ChurnScore.customer_id.in_(_IDS))
        .group_by(ChurnScore.customer_id)
        .subquery()
    )
    rows = conn.execute(
        select(ChurnScore.customer_id, ChurnScore.score, ChurnScore.churn_type, ChurnScore.reasons, ChurnScore.as_of)
        .join(latest, and_(latest.c.customer_id == ChurnScore.customer_id, latest.c.as_of == ChurnScore.as_of))
        .order_by(ChurnScore.customer_id, ChurnScore.scored_at, ChurnScore.id),
        {"ids": ids},
    ).all()
    last = {r[0]: r for r in rows}  # ordered ascending: the last row per customer stays
    return {
        cid: LatestScore(float(score), churn_type, first_reason_text(reasons), as_of)
        for cid, score, churn_type, reasons, as_of in last.values()
    }


def first_reason_text(reasons_json: str | None) -> str | None:
    """The `text` of the strongest reason in churn_scores.reasons; None when absent or malformed.

    The list holds reasons ({code, text, contribution}, strongest first) and may end with elements
    that are not reasons (the scorer's churn-type evidence, which has no text): those are skipped.
    """
    if not reasons_json:
        return None
    try:
        reasons = json.loads(reasons_json)
    except (TypeError, ValueError):
        return None
    for item in reasons if isinstance(reasons, list) else ():
        text = item.get("text") if isinstance(item, dict) else None
        if isinstance(text, str) and text.strip():
            return text.strip()
    return None


def _aum_snapshots(conn: Connection, ids: list[int], on: date) -> dict[int, int]:
    """The latest month-end figure measured on or before `on`.

    A snapshot keyed by a month's first day holds that month's closing figure, so the months that
    qualify are those before the month of `on + 1 day` (which includes on's own month only when `on`
    is its last day)."""
    after = on + timedelta(days=1)
    cutoff = date(after.year, after.month, 1)
    ranked = (
        select(
            AumSnapshot.customer_id,
            AumSnapshot.aum_fen,
            func.row_number().over(partition_by=AumSnapshot.customer_id, order_by=AumSnapshot.month.desc()).label("rn"),
        )
        .where(AumSnapshot.customer_id.in_(_IDS), AumSnapshot.month < cutoff)
        .subquery()
    )
    rows = conn.execute(select(ranked.c.customer_id, ranked.c.aum_fen).where(ranked.c.rn == 1), {"ids": ids}).all()
    return {r.customer_id: int(r.aum_fen) for r in rows}
