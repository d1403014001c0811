"""Tables of the customer store.

SQLAlchemy 1.4 written in 2.0 style. Money is integer fen (BigInteger), dates are
`datetime.date` in Asia/Shanghai, codes are short English strings whose Chinese
labels live in `bot.labels`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base

Base: Any = declarative_base()  # Any: SQLAlchemy 1.4 has no inline types


class Branch(Base):
    __tablename__ = "branches"
    id = Column(Integer, primary_key=True)
    code = Column(String(16), unique=True, nullable=False)
    name = Column(String(64), nullable=False)
    city = Column(String(32), nullable=False)


class Staff(Base):
    """A member of bank staff; `id` is also the sender id on the local rest channel."""

    __tablename__ = "staff"
    id = Column(String(32), primary_key=True)
    name = Column(String(32), nullable=False)
    role = Column(String(16), nullable=False)  # rm | branch_head | counter
    branch_id = Column(Integer, ForeignKey("branches.id"), nullable=False)
    wecom_userid = Column(String(64), unique=True)
    wechat_openid = Column(String(64), unique=True)
    active = Column(Boolean, nullable=False, default=True)


class Customer(Base):
    __tablename__ = "customers"
    id = Column(Integer, primary_key=True)
    cust_no = Column(String(20), unique=True, nullable=False)
    name = Column(String(32), nullable=False)
    gender = Column(String(1), nullable=False)  # F | M
    birth_date = Column(Date, nullable=False)
    phone = Column(String(20), nullable=False)  # stored whole, always masked when shown
    id_number = Column(String(18), nullable=False)  # stored whole, always masked when shown
    occupation = Column(String(32), nullable=False)
    tier = Column(String(16), nullable=False)  # a code of bot/tiers.yml (private | diamond | vip | gold | basic)
    value_class = Column(String(4), nullable=False)  # MVC | MGC | LVC | BZ
    lifecycle_stage = Column(String(16), nullable=False)  # potential ... terminated
    # Suitability (bot/playbook/suitability.py): the client's risk rating C1 (cautious) .. C5 (aggressive) from the
    # bank's questionnaire, and the day it was done; a rating older than a year must be redone before any sale.
    risk_rating = Column(String(2))  # C1 .. C5; None: never rated
    risk_rated_on = Column(Date)
    has_children = Column(Boolean, nullable=False, default=False)
    rm_id = Column(String(32), ForeignKey("staff.id"))
    branch_id = Column(Integer, ForeignKey("branches.id"), nullable=False)
    opened_on = Column(Date, nullable=False)
    closed_on = Column(Date)
    # Denormalised current figures, refreshed by whoever writes holdings/balances.
    aum_fen = Column(BigInteger, nullable=False, default=0)
    demand_deposit_fen = Column(BigInteger, nullable=False, default=0)

    __table_args__ = (
        Index("ix_customers_rm", "rm_id", "id"),
        Index("ix_customers_branch", "branch_id"),
        Index("ix_customers_name", "name"),
    )


class Product(Base):
    __tablename__ = "products"
    id = Column(Integer, primary_key=True)
    code = Column(String(24), unique=True, nullable=False)
    type = Column(String(16), nullable=False)  # wealth | term_deposit | cd | fund | insurance | bond
    name = Column(String(64), nullable=False)
    term_days = Column(Integer)  # None for open-ended funds
    expected_yield_bp = Column(Integer)  # annual, basis points
    risk_level = Column(String(2), nullable=False)  # R1 (lowest) .. R5; sold only to clients rated C{n} or higher


class Holding(Base):
    __tablename__ = "holdings"
    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False)
    product_id = Column(Integer, ForeignKey("products.id"), nullable=False)
    amount_fen = Column(BigInteger, nullable=False)
    current_value_fen = Column(BigInteger, nullable=False)
    buy_date = Column(Date, nullable=False)
    maturity_date = Column(Date)
    status = Column(String(12), nullable=False, default="active")  # active | matured | redeemed

    __table_args__ = (
        Index("ix_holdings_customer_maturity", "customer_id", "maturity_date"),
        Index("ix_holdings_maturity", "maturity_date"),
    )


class Transaction(Base):
    __tablename__ = "transactions"
    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False)
    occurred_at = Column(DateTime, nullable=False)
    amount_fen = Column(BigInteger, nullable=False)  # always positive
    direction = Column(String(3), nullable=False)  # in | out
    channel = Column(String(12), nullable=False)  # counter | mobile | atm | pos | online | payroll
    other_bank = Column(Boolean, nullable=False, default=False)
    counterparty = Column(String(64))
    purpose = Column(String(16), nullable=False)  # salary | spending | transfer | house | car | school | ...

    __table_args__ = (Index("ix_txn_customer_time", "customer_id", "occurred_at"),)


class AumSnapshot(Base):
    """Month-end assets under management (deposits + holdings at value)."""

    __tablename__ = "aum_snapshots"
    customer_id = Column(Integer, ForeignKey("customers.id"), primary_key=True)
    month = Column(Date, primary_key=True)  # first day of the month the figure closes
    aum_fen = Column(BigInteger, nullable=False)


class Contact(Base):
    __tablename__ = "contacts"
    id = Column(Integer, primary_key=True)
    staff_id = Column(String(32), ForeignKey("staff.id"), nullable=False)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False)
    contacted_at = Column(DateTime, nullable=False)
    channel = Column(String(12), nullable=False)  # phone | wechat | sms | meeting | visit
    outcome = Column(String(16), nullable=False)
    stated_purpose = Column(String(16))
    note = Column(Text)
    next_contact_on = Column(Date)
    # Money the client announced they will take out or move, and when (None: not said): the plan ranks it first.
    announced_fen = Column(BigInteger)
    announced_on = Column(Date)
    # Idempotency key: a retried or repeated confirmation never makes a second row.
    request_key = Column(String(64), unique=True)

    __table_args__ = (Index("ix_contacts_customer_time", "customer_id", "contacted_at"),)


class Complaint(Base):
    __tablename__ = "complaints"
    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False)
    filed_on = Column(Date, nullable=False)
    category = Column(String(24), nullable=False)
    resolved = Column(Boolean, nullable=False, default=False)
    resolved_on = Column(Date)

    __table_args__ = (Index("ix_complaints_customer", "customer_id"),)


class ChurnScore(Base):
    __tablename__ = "churn_scores"
    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False)
    as_of = Column(Date, nullable=False)
    score = Column(Float, nullable=False)
    churn_type = Column(String(16), nullable=False)
    reasons = Column(Text, nullable=False)  # JSON list of reason objects
    model_version = Column(String(32), nullable=False)
    scored_at = Column(DateTime, nullable=False)

    __table_args__ = (
        UniqueConstraint("customer_id", "as_of", "model_version", name="uq_score_customer_asof_model"),
        Index("ix_scores_asof_score", "as_of", "score"),
    )


class AuditEntry(Base):
    __tablename__ = "audit_log"
    id = Column(Integer, primary_key=True)
    staff_id = Column(String(32), nullable=False)
    at = Column(DateTime, nullable=False)
    customer_id = Column(Integer)
    intent = Column(String(32), nullable=False)
    channel = Column(String(16))

    __table_args__ = (Index("ix_audit_staff_at", "staff_id", "at"),)


class DemoTruth(Base):
    """Ground truth of the demo bank: which churn story was injected into a customer."""

    __tablename__ = "demo_truth"
    customer_id = Column(Integer, ForeignKey("customers.id"), primary_key=True)
    story = Column(String(24), nullable=False)  # yield | service | consumption | intermediary | none (churns, no story)
    event_date = Column(Date, nullable=False)
    note = Column(Text)


class Handover(Base):
    """One client moved from one RM's book to another's (an RM leaves, books are rebalanced)."""

    __tablename__ = "handovers"
    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False)
    from_rm = Column(String(32), ForeignKey("staff.id"))
    to_rm = Column(String(32), ForeignKey("staff.id"), nullable=False)
    by_staff = Column(String(32), nullable=False)
    at = Column(DateTime, nullable=False)
    batch = Column(String(32), nullable=False)  # one id per handover command: the move as a whole

    __table_args__ = (Index("ix_handovers_customer_at", "customer_id", "at"),)


class ClientInfoChange(Base):
    """What staff learned about a client in a contact (a new phone, a new job, family news), old value kept."""

    __tablename__ = "client_info_changes"
    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False)
    staff_id = Column(String(32), nullable=False)
    field = Column(String(16), nullable=False)  # bot.store.client_info.FIELDS
    old_value = Column(Text)
    new_value = Column(Text, nullable=False)
    at = Column(DateTime, nullable=False)

    __table_args__ = (Index("ix_info_changes_customer", "customer_id", "at"),)


class OutboxMessage(Base):
    """A push (morning briefing or same-day alert) to one staff member, written before it is sent.

    The natural key (staff, kind, subject, day) makes queuing idempotent; `status` moves
    queued -> sending -> sent, or to uncertain / failed (bot.alerts.outbox explains each).
    """

    __tablename__ = "alert_outbox"
    id = Column(Integer, primary_key=True)
    staff_id = Column(String(32), ForeignKey("staff.id"), nullable=False)
    kind = Column(String(24), nullable=False)  # briefing | large_movement | other_bank | salary_stopped | risk_high
    subject = Column(String(64), nullable=False)  # what it is about: "c123:out", "day", ...
    day = Column(Date, nullable=False)  # the business day the push is about
    recipient = Column(String(64), nullable=False)  # WeCom userid at queue time
    content = Column(Text, nullable=False)
    urgent = Column(Boolean, nullable=False, default=False)
    status = Column(String(12), nullable=False, default="queued")  # queued|sending|sent|uncertain|failed
    attempts = Column(Integer, nullable=False, default=0)
    not_before = Column(DateTime, nullable=False)  # quiet hours and retry backoff
    created_at = Column(DateTime, nullable=False)
    claimed_at = Column(DateTime)
    claim_token = Column(String(32))
    parts_sent = Column(Integer, nullable=False, default=0)  # parts of a split message confirmed sent
    msgids = Column(Text)  # WeCom msgid of each confirmed part, comma-separated
    resend = Column(Boolean, nullable=False, default=False)  # resent after an uncertain crash: marked （补发）
    sent_at = Column(DateTime)
    last_error = Column(String(200))

    __table_args__ = (
        UniqueConstraint("staff_id", "kind", "subject", "day", name="uq_outbox_natural_key"),
        Index("ix_outbox_status_due", "status", "not_before"),
        Index("ix_outbox_sent_at", "sent_at"),
    )


class AlertWatermark(Base):
    """How far a detector has examined the data: the last transaction / score id, or a day's ordinal."""

    __tablename__ = "alert_watermarks"
    detector = Column(String(32), primary_key=True)
    last_id = Column(BigInteger, nullable=False, default=0)
    updated_at = Column(DateTime, nullable=False)


class AlertMute(Base):
    """A kind of push a staff member asked not to get ("别再推送生日提醒了"); bot.alerts.mutes says which
    kinds may be muted. One row per (staff, kind): muting twice changes nothing."""

    __tablename__ = "alert_mutes"
    staff_id = Column(String(32), ForeignKey("staff.id"), primary_key=True)
    kind = Column(String(24), primary_key=True)  # an alert kind, a briefing section, or the briefing
    muted_at = Column(DateTime, nullable=False)


class PushClients(Base):
    """The clients a push named, in the order its text names them, so a reply in the chat ("第一个为什么",
    "给他打电话怎么说") can point at them (bot.answers.pushes).

    `clients` is a JSON list of [customer id, what the push said of them (an alert kind or a briefing
    section, bot.alerts.mutes)]: the first `shown` are named in the text (a client named in two sections
    of a briefing twice, as the reader counts them), the rest were only counted ("另有3位"), each once.
    `delivered_epoch` is the real moment WeCom confirmed the last part (Unix seconds, as the chat's own
    events are stamped), set when the push is marked sent; None until then."""

    __tablename__ = "alert_push_clients"
    outbox_id = Column(Integer, ForeignKey("alert_outbox.id"), primary_key=True)
    staff_id = Column(String(32), ForeignKey("staff.id"), nullable=False)
    clients = Column(Text, nullable=False)
    shown = Column(Integer, nullable=False)
    delivered_epoch = Column(Float)

    __table_args__ = (Index("ix_push_clients_staff_delivered", "staff_id", "delivered_epoch"),)
